/**
 * What linked programs do, which is the same for SBPF v0 and v3: the programs of `helpers/llc.ts`,
 * linked for each version, run in LiteSVM 1.5 with the same logs and return data, and linking is
 * deterministic. How each version encodes and lays out a program is checked in `link-v0.test.ts`
 * and `link-v3.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { linkSbpf } from '../src/link/link.ts';
import {
  IR,
  PROGRAMS,
  compileIr,
  compilePrograms,
  contents,
  leaf,
  linkerFor,
  runProgram,
  section,
  withStaticCall,
} from './helpers/llc.ts';

/** murmur3_32 (seed 0) of "sol_log_": the imm of a static `sol_log_` call. */
const SOL_LOG_HASH = 0x207559bd;

const objects = compilePrograms();
/** `calls` with `offset` made weak, and a second object with a strong `offset` that returns x + 5. */
const weak = compileIr(IR.calls.replace('define i64 @offset', 'define weak i64 @offset'));
const strong = compileIr(`target triple = "bpfel"
${leaf('offset', 'add', 5)}`);

/** Runs `so` with instruction data `[x]`, expects it to succeed, and returns its 8 bytes of return data. */
async function returnValue(so: Buffer, x: number): Promise<bigint> {
  const run = await runProgram(so, [x]);
  expect(run.error).toBe('');
  return run.returnData.readBigUInt64LE(0);
}

describe.each([0, 3] as const)('SBPF v%i', (sbpfVersion) => {
  const link = linkerFor(sbpfVersion);

  describe('syscalls', () => {
    it('loads in LiteSVM and runs: logs its rodata strings and sets return data', async () => {
      const run = await runProgram(link(objects.syscalls), [7]);

      expect(run.error).toBe('');
      expect(run.ok).toBe(true);
      expect(run.programLogs).toEqual(['hello from rodata', 'bye']);
      expect(run.returnData.readBigUInt64LE(0)).toBe(1007n);
    });

    it('links a static syscall (src=0, imm=murmur3 hash), which then logs like a relocated one', async () => {
      // Given: the first sol_log_ call rewritten to `call imm=0x207559bd` with no relocation
      const object = withStaticCall(objects.syscalls, '.text.entrypoint', 0, SOL_LOG_HASH);

      // When
      const { so, report } = linkSbpf([{ name: 'static.o', bytes: object }], { sbpfVersion });

      // Then
      expect(report.staticSyscalls).toBe(1);
      expect((await runProgram(so, [1])).programLogs).toEqual(['hello from rodata', 'bye']);
    });
  });

  describe('llvm.trap', () => {
    it('runs through when x=1; the abort syscall stops the program when x=9', async () => {
      const so = link(compileIr(IR.trap));

      expect((await runProgram(so, [1])).error).toBe('');
      const trapped = await runProgram(so, [9]);
      expect(trapped.ok).toBe(false);
      expect(trapped.logs.at(-1)).toMatch(/SBF program panicked/);
    });
  });

  describe('internal calls', () => {
    it.each([
      { x: 1, expected: 1077n },
      { x: 3, expected: 3077n },
    ])('runs the callees: x=$x returns x * 1000 + 77 = $expected', async ({ x, expected }) => {
      expect(await returnValue(link(objects.calls), x)).toBe(expected);
    });

    it('starts at entrypoint when it follows its callees in one .text (no -function-sections)', async () => {
      const so = link(compileIr(IR.calls, { sections: false }));

      expect(await returnValue(so, 3)).toBe(3077n);
    });
  });

  describe('callx', () => {
    it.each([
      { x: 2, expected: 105n, callee: 'plus100' },
      { x: 1, expected: 35n, callee: 'times7' },
      { x: 4, expected: 105n, callee: 'plus100' },
    ])('x=$x: calls $callee, picked from the rodata table', async ({ x, expected }) => {
      expect(await returnValue(link(objects.callx), x)).toBe(expected);
    });
  });

  describe('rodata', () => {
    it.each([
      { x: 2, word: 'alpha' },
      { x: 1, word: 'beta' },
    ])('x=$x: the program reads $word through the pointer table at run time', async ({ x, word }) => {
      const run = await runProgram(link(objects.pointerTable), [x]);

      expect(run.error).toBe('');
      expect(run.programLogs).toEqual([word]);
    });
  });

  describe('section garbage collection', () => {
    it('drops functions and writable data not reachable from entrypoint', async () => {
      // Given: an unused global function with a recognisable constant and an unused mutable static
      const object = compileIr(`${IR.calls}
@unused_counter = global i64 5
${leaf('unused', 'mul', 987654)}`);
      const unused = contents(object, section(object, '.text.unused'));
      expect(section(object, '.data.unused_counter').flags & 1n).toBe(1n); // SHF_WRITE

      // When
      const so = link(object);

      // Then
      expect(so.indexOf(unused)).toBe(-1);
      expect(await returnValue(so, 1)).toBe(1077n);
    });
  });

  describe('symbol resolution', () => {
    it('resolves a call to a global defined in another object', async () => {
      // Given: entrypoint's object declares offset, a second object defines it (x + 5)
      const caller = compileIr(IR.calls.replace(/define i64 @offset[^}]*\}/, 'declare i64 @offset(i64)'));

      expect(await returnValue(link(caller, strong), 2)).toBe(2005n);
    });

    // A call in the object holding a weak definition still binds to the strong one elsewhere:
    // the entrypoint must compute x + 5 (strong), not x + 77 (its own weak copy).
    it("binds calls to the strong definition, not to a weak one in the caller's object", async () => {
      expect(await returnValue(link(strong, weak), 2)).toBe(2005n);
    });

    // Link order does not matter: weak first, strong later is not a duplicate.
    it('accepts a weak definition followed by a strong one in a later object', () => {
      expect(() => link(weak, strong)).not.toThrow();
    });
  });

  describe('determinism', () => {
    it.each(PROGRAMS)('%s: linking twice gives identical bytes and leaves the input untouched', (name) => {
      const input = objects[name];
      const copy = Buffer.from(input);

      expect(link(input).equals(link(input))).toBe(true);
      expect(input.equals(copy)).toBe(true);
    });
  });
});
