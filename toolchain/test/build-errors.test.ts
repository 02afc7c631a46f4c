// The toolchain's errors must say what is wrong and where: a missing tool names the apt package
// that provides it, and a construct SBPF cannot run names the Rust function that uses it.
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../src/build/program-build.ts';
import { locateToolchain } from '../src/build/toolchain-paths.ts';
import { ToolchainMissingError, UnsupportedConstructError } from '../src/errors.ts';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Runs `promise`, which must reject, and returns what it rejected with. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  return expect.fail('expected a rejection');
}

/** Builds a fixture crate that must fail, and returns its UnsupportedConstructError. */
async function unsupported(crate: string): Promise<UnsupportedConstructError> {
  const error = await rejection(buildProgram({ cargoDir: FIXTURES, crate }));
  expect(error, String(error)).toBeInstanceOf(UnsupportedConstructError);
  const e = error as UnsupportedConstructError;
  expect(e.code).toBe('UNSUPPORTED_CONSTRUCT');
  // Rust 1.96 mangles with v0 (`_R…`); names must come out demangled.
  expect(e.functionName).not.toMatch(/^_?_(R|ZN)/);
  expect(e.message).toContain(`in function '${e.functionName}'`);
  return e;
}

describe('a missing toolchain names the apt package to install', () => {
  const missing = async (env: NodeJS.ProcessEnv): Promise<ToolchainMissingError> => {
    const error = await rejection(locateToolchain({ ...process.env, ...env }));
    expect(error).toBeInstanceOf(ToolchainMissingError);
    const e = error as ToolchainMissingError;
    expect(e.code).toBe('TOOLCHAIN_MISSING');
    expect(e.message).toContain('apt-get install');
    return e;
  };

  it('finds the installed toolchain when nothing is overridden', async () => {
    const tools = await locateToolchain({ ...process.env });
    expect(tools.llvmBin).toBe(process.env.SPICETIME_LLVM_BIN ?? '/usr/lib/llvm-22/bin');
  });

  it('LLVM (llc and opt): llvm-22', async () => {
    const e = await missing({ SPICETIME_LLVM_BIN: '/nonexistent' });
    expect(e.message).toContain('llvm-22');
    expect(e.message).toContain('/nonexistent/llc');
    expect(e.message).toMatch(/apt-get install -y llvm-22$/);
    expect(e.aptPackages).toEqual(['llvm-22']);
  });

  it('rustc: rustc-web', async () => {
    const e = await missing({ SPICETIME_RUSTC: '/nonexistent/rustc' });
    expect(e.message).toContain('rustc-web');
    expect(e.message).toContain('/nonexistent/rustc');
    expect(e.aptPackages).toEqual(['rustc-web']);
  });

  it('the Rust standard library sources: rust-web-src', async () => {
    const e = await missing({ SPICETIME_RUST_SRC: '/nonexistent/library' });
    expect(e.message).toContain('rust-web-src');
    expect(e.aptPackages).toEqual(['rust-web-src']);
  });

  it('cargo: cargo-web', async () => {
    const e = await missing({ SPICETIME_CARGO: '/nonexistent/cargo' });
    expect(e.message).toContain('cargo-web');
    expect(e.aptPackages).toEqual(['cargo-web']);
  });

  it('several missing tools: every package in one install command', async () => {
    const e = await missing({ SPICETIME_RUSTC: '/nonexistent/rustc', SPICETIME_LLVM_BIN: '/nonexistent' });
    expect(e.message).toMatch(/apt-get install -y (rustc-web llvm-22|llvm-22 rustc-web)$/);
    expect(e.missing).toHaveLength(3); // rustc, llc, opt
  });

  describe('an LLVM of another major version than rustc', () => {
    let fakeLlvm = '';
    beforeAll(async () => {
      fakeLlvm = await mkdtemp(path.join(os.tmpdir(), 'fake-llvm-'));
      for (const tool of ['llc', 'opt']) {
        const file = path.join(fakeLlvm, tool);
        await writeFile(file, '#!/bin/sh\necho "LLVM (http://llvm.org/):\n  LLVM version 19.1.7"\n');
        await chmod(file, 0o755);
      }
    });
    afterAll(async () => {
      await rm(fakeLlvm, { recursive: true, force: true });
    });

    it("names the llvm package matching rustc's LLVM", async () => {
      const e = await missing({ SPICETIME_LLVM_BIN: fakeLlvm });
      expect(e.message).toContain('found LLVM 19');
      expect(e.aptPackages).toEqual(['llvm-22']);
    });
  });
});

describe('constructs SBPF cannot run name the Rust function', () => {
  it('floating point: float-probe', async () => {
    const e = await unsupported('float-probe');
    expect(e.construct).toBe('floating point');
    expect(e.functionName).toBe('float_probe::apply_fee_ratio');
    expect(e.message).toContain("floating point in function 'float_probe::apply_fee_ratio'");
  });

  it('a stack frame over 4 KiB: stack-probe', async () => {
    const e = await unsupported('stack-probe');
    expect(e.construct).toContain('4 KiB');
    expect(e.functionName).toBe('stack_probe::fill_big_table');
    expect(e.message).toContain('4 KiB');
  });

  it('an indirect call with more than 5 arguments: indirect-probe names a function of the indirect call', async () => {
    const e = await unsupported('indirect-probe');
    // The caller through the pointer, or a six-parameter function the pointer can point to.
    expect(['indirect_probe::dispatch_weigh', 'indirect_probe::weigh_linear', 'indirect_probe::weigh_rotating']).toContain(e.functionName);
  });

  // llc first reports the address-taken six-parameter callee ("stack arguments are not supported"
  // in weigh_linear), then "too many arguments" at the indirect call in dispatch_weigh: the
  // explanation must pick the indirect call, the root cause.
  it('an indirect call with more than 5 arguments: indirect-probe is explained at the indirect call', async () => {
    const e = await unsupported('indirect-probe');
    expect(e.functionName).toBe('indirect_probe::dispatch_weigh');
    expect(e.construct).toMatch(/more than 5 arguments/);
    expect(e.construct).toMatch(/indirect call/);
  });
});
