import { AnchorError } from '@coral-xyz/anchor';
import { expect } from 'vitest';
import { LiteSvmTransactionError } from '../src/litesvm/index.ts';

/** Runs `action`, expects it to fail with the Anchor error `name` (number `code`). */
export async function expectAnchorError(action: () => Promise<unknown> | unknown, name: string, code: number): Promise<AnchorError> {
  let caught: unknown;
  try {
    await action();
  } catch (e) {
    caught = e;
  }
  expect(caught, `expected ${name} (${code})`).toBeDefined();
  const error = caught instanceof LiteSvmTransactionError ? AnchorError.parse(caught.logs) : caught;
  expect(error).toBeInstanceOf(AnchorError);
  const anchorError = error as AnchorError;
  expect({ name: anchorError.error.errorCode.code, code: anchorError.error.errorCode.number }).toEqual({ name, code });
  return anchorError;
}
