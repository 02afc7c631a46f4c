/**
 * SBPF v3 output of the linker, for solana-sbpf's strict loader: two PT_LOAD segments and no
 * sections, syscalls as `call src=0 imm=murmur3(name)`, internal calls src=1 pc-relative. That the
 * programs run in LiteSVM, as their v0 builds do, is checked in `link-run.test.ts`.
 */
import { describe, expect, it } from 'vitest';
import { linkSbpf } from '../src/link/link.ts';
import {
  type FileRange,
  IR,
  PROGRAMS,
  compileIr,
  compilePrograms,
  contents,
  decode,
  linkerFor,
  placedIn,
  programHeaders,
  section,
  u64s,
  withStaticCall,
} from './helpers/llc.ts';

const MM_BYTECODE = 0x1_0000_0000n;
const HEADERS = 64 + 2 * 56;
const [PT_LOAD, PF_X, PF_R] = [1, 1, 4];
const [OP_LDDW, OP_CALL, OP_CALLX] = [0x18, 0x85, 0x8d];
/** murmur3_32 (seed 0) of the syscall names, as solana-sbpf registers them. */
const HASH = { sol_log_: 0x207559bd, sol_set_return_data: 0xa226d3eb, abort: 0xb6fc1a11 };

const objects = compilePrograms();
const link = linkerFor(3);

/** The rodata and bytecode segments: program headers 0 and 1. */
function segments(so: Buffer) {
  const [rodata, bytecode] = programHeaders(so);
  return { rodata: rodata!, bytecode: bytecode! };
}

/** The code of a v3 program: the bytecode segment. */
function bytecodeRange(so: Buffer): FileRange {
  const { bytecode } = segments(so);
  return [bytecode.offset, bytecode.offset + bytecode.filesz];
}

const code = (so: Buffer) => decode(so, ...bytecodeRange(so));

/** Where the code of a leaf function of `object` ended up in `so`'s bytecode segment. */
const placed = (so: Buffer, object: Buffer, textSection: string): number => placedIn(so, bytecodeRange(so), object, textSection);

/** File offset -> VM address, for a byte in either segment. */
function vaddrOf(so: Buffer, at: number): bigint {
  const s = programHeaders(so).find((p) => at >= p.offset && at < p.offset + p.filesz);
  if (!s) throw new Error(`file offset ${at} is in no segment`);
  return s.vaddr + BigInt(at - s.offset);
}

describe('SBPF v3 ELF layout', () => {
  it('has an ELF64 header with EM_BPF, e_flags 3, e_phoff 64, two program headers and no sections', () => {
    const so = link(objects.syscalls);

    expect(so.readUInt32BE(0)).toBe(0x7f454c46);
    expect([so[4], so[5]]).toEqual([2, 1]); // ELFCLASS64, ELFDATA2LSB
    expect(so.readUInt16LE(18)).toBe(247); // EM_BPF
    expect(so.readUInt32LE(48)).toBe(3); // e_flags
    expect(so.readBigUInt64LE(32)).toBe(64n); // e_phoff
    expect(so.readUInt16LE(56)).toBe(2); // e_phnum
    expect(so.readBigUInt64LE(40)).toBe(0n); // e_shoff
    expect(so.readUInt16LE(60)).toBe(0); // e_shnum
  });

  it.each(PROGRAMS)('%s: PF_R rodata at vaddr 0 right after the headers, then PF_X bytecode at 1<<32', (name) => {
    const so = link(objects[name]);
    const { rodata, bytecode } = segments(so);

    expect(programHeaders(so).map((p) => p.type)).toEqual([PT_LOAD, PT_LOAD]);
    expect(rodata).toMatchObject({ flags: PF_R, offset: HEADERS, vaddr: 0n });
    expect(bytecode).toMatchObject({ flags: PF_X, offset: HEADERS + rodata.filesz, vaddr: MM_BYTECODE });
    for (const s of [rodata, bytecode]) {
      expect(s.filesz).toBe(s.memsz);
      expect(s.filesz % 8).toBe(0);
      expect(s.filesz).toBeGreaterThan(0);
    }
    expect(bytecode.offset + bytecode.filesz).toBe(so.length);
  });

  it('pads the start of rodata so that no object sits at address 0', () => {
    const so = link(objects.syscalls);
    const { rodata } = segments(so);

    expect(so.subarray(rodata.offset, rodata.offset + 8)).toEqual(Buffer.alloc(8));
    expect(code(so).filter((i) => i.op === OP_LDDW).every((i) => i.imm64! >= 8n)).toBe(true);
  });

  it('sets e_entry to the VM address of entrypoint', () => {
    // Given: an object without -function-sections: entrypoint follows scale and offset in one .text
    const object = compileIr(IR.calls, { sections: false });
    const text = contents(object, section(object, '.text'));
    const so = link(object);
    const { bytecode } = segments(so);

    // Then: the entry is inside the bytecode and its first instruction is entrypoint's
    const entry = so.readBigUInt64LE(24);
    const at = bytecode.offset + Number(entry - MM_BYTECODE);
    expect(entry).toBeGreaterThan(MM_BYTECODE);
    expect(so.subarray(at, at + 8)).toEqual(contents(objects.calls, section(objects.calls, '.text.entrypoint')).subarray(0, 8));
    expect(so.subarray(bytecode.offset, bytecode.offset + 48)).toEqual(text.subarray(0, 48)); // scale, offset
  });
});

describe('SBPF v3 syscalls', () => {
  it('encodes each syscall call as call src=0 imm=murmur3(name)', () => {
    const calls = code(link(objects.syscalls)).filter((i) => i.op === OP_CALL);

    expect(calls.map((c) => [c.src, c.dst, c.imm >>> 0])).toEqual([
      [0, 0, HASH.sol_log_],
      [0, 0, HASH.sol_set_return_data],
      [0, 0, HASH.sol_log_],
    ]);
  });

  it('keeps a static syscall that is already in v3 form', () => {
    // Given: the first sol_log_ call already written as `call imm=0x207559bd`, without relocation
    const object = withStaticCall(objects.syscalls, '.text.entrypoint', 0, HASH.sol_log_);

    const { so, report } = linkSbpf([{ name: 'static.o', bytes: object }], { sbpfVersion: 3 });

    expect(report.syscalls.sort()).toEqual(['sol_log_', 'sol_set_return_data']);
    expect(so.equals(link(objects.syscalls))).toBe(true);
  });
});

describe('SBPF v3 llvm.trap', () => {
  it('calls __bpf_trap as the abort syscall (imm=murmur3("abort"))', () => {
    const so = link(compileIr(IR.trap));

    expect(code(so).filter((i) => i.op === OP_CALL).map((i) => [i.src, i.imm >>> 0])).toEqual([[0, HASH.abort]]);
  });
});

describe('SBPF v3 internal calls', () => {
  it('encodes internal calls as src=1 with pc-relative immediates landing on each callee', () => {
    const so = link(objects.calls);
    const calls = code(so).filter((i) => i.op === OP_CALL && i.src === 1);

    expect(calls).toHaveLength(2);
    expect(calls.map((c) => c.at + 8 * (c.imm + 1))).toEqual([
      placed(so, objects.calls, '.text.scale'),
      placed(so, objects.calls, '.text.offset'),
    ]);
  });
});

describe('SBPF v3 callx', () => {
  it('keeps the callx register where llc put it', () => {
    const entry = section(objects.callx, '.text.entrypoint');
    const before = decode(objects.callx, entry.offset, entry.offset + entry.size).filter((i) => i.op === OP_CALLX);
    const after = code(link(objects.callx)).filter((i) => i.op === OP_CALLX);

    expect(before).toHaveLength(1);
    expect(after).toEqual([{ ...before[0]!, at: after[0]!.at }]);
  });
});

describe('SBPF v3 rodata', () => {
  it('gives lddw of a rodata object its address in the rodata segment', () => {
    const so = link(objects.syscalls);
    const at = so.indexOf('hello from rodata|bye', segments(so).rodata.offset, 'latin1');

    expect(at).toBeGreaterThanOrEqual(HEADERS);
    expect(code(so).filter((i) => i.op === OP_LDDW).map((i) => i.imm64)).toEqual([vaddrOf(so, at), vaddrOf(so, at)]);
  });

  it('resolves pointers stored in rodata (with addend) to rodata addresses', () => {
    const so = link(objects.pointerTable);
    const words = vaddrOf(so, so.indexOf('alphabeta', HEADERS, 'latin1'));
    const table = so.indexOf(u64s(words, words + 5n), HEADERS);

    expect(table).toBeGreaterThanOrEqual(HEADERS);
    expect(code(so).filter((i) => i.op === OP_LDDW).map((i) => i.imm64)).toContain(vaddrOf(so, table));
  });

  it('resolves function pointers stored in rodata to bytecode addresses', () => {
    const so = link(objects.callx);
    const table = u64s(
      vaddrOf(so, placed(so, objects.callx, '.text.plus100')),
      vaddrOf(so, placed(so, objects.callx, '.text.times7')),
    );
    const { rodata } = segments(so);

    const at = so.indexOf(table, rodata.offset);
    expect(at).toBeGreaterThanOrEqual(rodata.offset);
    expect(at + 16).toBeLessThanOrEqual(rodata.offset + rodata.filesz);
  });
});
