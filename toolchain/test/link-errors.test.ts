/**
 * Inputs the linker must refuse with a LinkError that names the problem, rather than writing a
 * program the SBPF loaders reject or that computes something else.
 */
import { describe, expect, it } from 'vitest';
import { LinkError } from '../src/errors.ts';
import { type SbpfVersion, linkSbpf } from '../src/link/link.ts';
import { IR, compileIr, section, withStaticCall } from './helpers/llc.ts';

const link = (inputs: Buffer[], sbpfVersion: SbpfVersion = 0) =>
  linkSbpf(
    inputs.map((bytes, i) => ({ name: `in${i}.o`, bytes })),
    { sbpfVersion },
  );

/** Runs `fn`, expecting it to throw a LinkError, and returns that error. */
function linkError(fn: () => unknown): LinkError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(LinkError);
    expect((e as LinkError).code).toBe('LINK_ERROR');
    return e as LinkError;
  }
  throw new Error('expected a LinkError, but linking succeeded');
}

/** An entrypoint that only returns `body`'s value, after the given top-level declarations. */
const program = (globals: string, body: string, ret = '0'): string => `target triple = "bpfel"
declare void @sol_log_(ptr, i64)
${globals}
define i64 @entrypoint(ptr %input) {
${body}
  ret i64 ${ret}
}`;

const versions: SbpfVersion[] = [0, 3];

describe('linker input errors', () => {
  it('rejects an empty input list and an unsupported SBPF version', () => {
    expect(linkError(() => link([])).message).toMatch(/no input objects/);
    const object = compileIr(IR.calls);
    expect(linkError(() => link([object], 2 as SbpfVersion)).message).toMatch(/SBPF v2 is not supported/);
  });

  it('rejects a file that is not ELF, naming it', () => {
    const error = linkError(() => linkSbpf([{ name: 'notes.txt', bytes: Buffer.from('x'.repeat(100)) }]));

    expect(error.message).toMatch(/notes\.txt: not an ELF file/);
  });

  it('rejects an object for another machine', () => {
    // Given: the same IR compiled for x86-64
    const object = compileIr(IR.calls, { march: 'x86-64' });
    expect(object.readUInt16LE(18)).toBe(62); // EM_X86_64

    expect(linkError(() => link([object])).message).toMatch(/not a BPF object \(EM_BPF\)/);
  });

  it('rejects RELA relocation sections', () => {
    // Given: a BPF object whose .rel.text.entrypoint is retyped SHT_RELA (llc only writes REL)
    const object = Buffer.from(compileIr(IR.calls));
    object.writeUInt32LE(4, section(object, '.rel.text.entrypoint').header + 4);

    expect(linkError(() => link([object])).message).toMatch(/RELA relocations are not supported \(\.rel\.text\.entrypoint\)/);
  });
});

describe('mutable statics', () => {
  it.each([
    { kind: 'zero-initialised (.bss)', global: '@counter = internal global i64 0', section: '.bss.counter' },
    { kind: 'initialised (.data)', global: '@counter = internal global i64 41', section: '.data.counter' },
  ])('rejects a live $kind mutable static', ({ global, section: name }) => {
    // Given: entrypoint increments a static and logs it (so neither can be optimised away)
    const object = compileIr(
      program(
        global,
        `  %v = load i64, ptr @counter
  %n = add i64 %v, 1
  store i64 %n, ptr @counter
  call void @sol_log_(ptr @counter, i64 8)`,
      ),
    );

    for (const version of versions) {
      const error = linkError(() => link([object], version));
      expect(error.message).toContain(name);
      expect(error.message).toMatch(/writable or bss .*mutable statics/);
    }
  });
});

describe('symbols', () => {
  it('rejects an undefined symbol that is not a syscall, naming it', () => {
    const object = compileIr(
      program('declare i64 @not_a_syscall(i64)', '  %r = call i64 @not_a_syscall(i64 1)', '%r'),
    );

    for (const version of versions) {
      expect(linkError(() => link([object], version)).message).toMatch(/undefined symbol 'not_a_syscall'/);
    }
  });

  it('rejects objects without entrypoint (unless another entry symbol is named)', () => {
    const object = compileIr(IR.calls.replace('@entrypoint', '@main'));

    expect(linkError(() => link([object])).message).toMatch(/entry symbol 'entrypoint' not found/);
    expect(() => linkSbpf([{ name: 'main.o', bytes: object }], { entry: 'main' })).not.toThrow();
  });

  it('rejects a global symbol defined in two objects, naming it', () => {
    const helper = `target triple = "bpfel"
define i64 @shared_helper(i64 %x) noinline {
  %r = add i64 %x, 1
  ret i64 %r
}`;
    const main = compileIr(program('declare i64 @shared_helper(i64)', '  %r = call i64 @shared_helper(i64 1)', '%r'));

    // One definition links; two do not
    expect(() => link([main, compileIr(helper)])).not.toThrow();
    const error = linkError(() => link([main, compileIr(helper), compileIr(helper)]));
    expect(error.message).toMatch(/duplicate symbol 'shared_helper'/);
  });
});

describe('instructions the SBPF VM would run differently', () => {
  it.each([
    { flags: '-mcpu=v3', llc: { mcpu: 'v3' } },
    { flags: '-mcpu=v2 -mattr=+alu32', llc: { mcpu: 'v2', mattr: '+alu32' } },
  ])(
    'rejects 32-bit ALU instructions (llc $flags)',
    ({ llc }) => {
      // Given: 32-bit arithmetic, which llc emits as ALU32 with -mcpu=v3 or +alu32
      const ir = program(
        '',
        `  %p = getelementptr i8, ptr %input, i64 16
  %b = load i32, ptr %p
  %s = add i32 %b, 7
  %z = zext i32 %s to i64`,
        '%z',
      );
      const alu32 = compileIr(ir, llc);
      expect(() => link([compileIr(ir)])).not.toThrow(); // the same IR with -mcpu=v2 links

      for (const version of versions) {
        expect(linkError(() => link([alu32], version)).message).toMatch(/32-bit ALU opcode 0x[0-9a-f]+ at \.text\+0x/);
      }
    },
  );

  it.each(versions)('v%i: rejects a static call whose imm is not a known syscall hash', (version) => {
    // Given: the sol_log_ call rewritten to `call src=0 imm=0x12345678` with no relocation
    const object = withStaticCall(compileIr(IR.syscalls), '.text.entrypoint', 0, 0x12345678);

    expect(linkError(() => link([object], version)).message).toMatch(/imm=0x12345678 .*not a known syscall hash/);
  });

  it('v0: rejects a call -1 left without a relocation', () => {
    const object = withStaticCall(compileIr(IR.syscalls), '.text.entrypoint', 1, 0xffffffff);

    expect(linkError(() => link([object])).message).toMatch(/call -1 without a relocation at \.text\+0x/);
  });

  it.each(versions)('v%i: rejects a 32-bit absolute address (R_BPF_64_ABS32) in rodata', (version) => {
    // Given: the first pointer of the string table relocated as ABS32 instead of ABS64
    const object = Buffer.from(compileIr(IR.pointerTable));
    object.writeUInt32LE(3, section(object, '.rel.data.rel.ro.names').offset + 8);

    expect(linkError(() => link([object], version)).message).toMatch(/\.data\.rel\.ro\.names/);
  });
});

describe('syscall names and empty rodata', () => {
  // A typo in a syscall name must fail at link time, not when the call first runs.
  it.each(versions)('v%i: rejects an undefined sol_* name that is not a syscall', (version) => {
    const object = compileIr(program('declare void @sol_logg_(ptr, i64)', '  call void @sol_logg_(ptr %input, i64 1)'));

    expect(linkError(() => link([object], version)).message).toMatch(/sol_logg_/);
  });

  // A reference to a zero-size constant links (the section is kept, empty).
  it.each(versions)('v%i: links a reference to a zero-size rodata object', (version) => {
    const object = compileIr(
      program('@empty = internal constant [0 x i8] zeroinitializer, align 8', '  call void @sol_log_(ptr @empty, i64 0)'),
    );

    expect(() => link([object], version)).not.toThrow();
  });

  it.each(versions)('v%i: rejects cpu-v4 signed division, which SBPF would run as unsigned', (version) => {
    // Given sdiv compiled for cpu v4 (64-bit only): opcode 0x3f/0x37 with offset 1
    const ir = program('', '  %x = load i64, ptr %input\n  %q = sdiv i64 %x, 3\n  store i64 %q, ptr %input');
    const object = compileIr(ir, { mcpu: 'v4', mattr: '-alu32' });
    expect(linkError(() => link([object], version)).message).toMatch(/cpu-v4 instruction/);
  });
});
