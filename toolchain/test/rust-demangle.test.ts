import { describe, expect, it } from 'vitest';
import { demangle } from '../src/legalise/rust-demangle.ts';

describe('demangle', () => {
  it('reads v0 paths, generic arguments and inherent impls', () => {
    expect(demangle('_RINvNtCs7jBKT2WBndQ_13spicetime_abi5error4failNtNtCshpmowWjTTWx_7economy6errors12EconomyErrorEBM_')).toBe(
      'spicetime_abi::error::fail<economy::errors::EconomyError>',
    );
    expect(demangle('_RNvCshpmowWjTTWx_7economy19process_instruction')).toBe('economy::process_instruction');
    expect(demangle('_RNvMNtNtCshpmowWjTTWx_7economy5state6configNtB2_6Config9set_rates')).toBe(
      '<economy::state::config::Config>::set_rates',
    );
  });

  it('reads legacy names without their hash', () => {
    expect(demangle('_ZN4core3fmt5write17h0123456789abcdefE')).toBe('core::fmt::write');
  });

  it('leaves other names, and v0 it cannot read, as they are', () => {
    expect(demangle('entrypoint')).toBe('entrypoint');
    expect(demangle('_RZZZ')).toBe('_RZZZ');
  });
});
