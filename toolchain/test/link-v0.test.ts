/**
 * SBPF v0 output of the linker: the ELF layout solana-sbpf's lenient loader accepts (checked by
 * parsing the bytes here), syscall relocations, internal calls, callx and rodata addresses. That
 * the programs run in LiteSVM, as their v3 builds do, is checked in `link-run.test.ts`.
 */
import { describe, expect, it } from 'vitest';
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
  sectionHeaders,
  u64s,
  withStaticCall,
} from './helpers/llc.ts';

const MM_PROGRAM = 0x1_0000_0000n;
const SHF_ALLOC = 2n;
const [OP_LDDW, OP_CALL, OP_CALLX] = [0x18, 0x85, 0x8d];
const SOL_LOG_HASH = 0x207559bd;

const objects = compilePrograms();
const link = linkerFor(0);

/** The code of a v0 program: `.text`. */
function textRange(so: Buffer): FileRange {
  const t = section(so, '.text');
  return [t.offset, t.offset + t.size];
}

const text = (so: Buffer) => decode(so, ...textRange(so));

/** Where the code of a leaf function of `object` ended up in `so`'s `.text`. */
const placed = (so: Buffer, object: Buffer, textSection: string): number => placedIn(so, textRange(so), object, textSection);

/** `.dynamic` entries up to DT_NULL, tag -> value. */
function dynamic(so: Buffer): Map<bigint, bigint> {
  const d = section(so, '.dynamic');
  const out = new Map<bigint, bigint>();
  for (let at = d.offset; at < d.offset + d.size; at += 16) {
    const tag = so.readBigUInt64LE(at);
    if (tag === 0n) break;
    out.set(tag, so.readBigUInt64LE(at + 8));
  }
  return out;
}

/** `.dynsym` entries with their names looked up in `.dynstr`. */
function dynsyms(so: Buffer) {
  const sym = section(so, '.dynsym');
  const str = section(so, '.dynstr');
  return Array.from({ length: sym.size / 24 }, (_, i) => {
    const at = sym.offset + 24 * i;
    const name = str.offset + so.readUInt32LE(at);
    return { name: so.toString('latin1', name, so.indexOf(0, name)), info: so[at + 4]!, shndx: so.readUInt16LE(at + 6) };
  });
}

/** `.rel.dyn` entries: r_offset, type and symbol index. */
function relDyn(so: Buffer) {
  const rel = section(so, '.rel.dyn');
  return Array.from({ length: rel.size / 16 }, (_, i) => {
    const info = so.readBigUInt64LE(rel.offset + 16 * i + 8);
    return { offset: Number(so.readBigUInt64LE(rel.offset + 16 * i)), type: Number(info & 0xffffffffn), symbol: Number(info >> 32n) };
  });
}

/** A symbol of a relocatable object: its value and the name of its section. */
function objectSymbol(object: Buffer, name: string): { value: number; section: string } {
  const headers = sectionHeaders(object);
  const symtab = headers.find((s) => s.type === 2)!;
  const strtab = headers[symtab.link]!;
  for (let at = symtab.offset; at < symtab.offset + symtab.size; at += 24) {
    const n = strtab.offset + object.readUInt32LE(at);
    if (object.toString('latin1', n, object.indexOf(0, n)) !== name) continue;
    return { value: Number(object.readBigUInt64LE(at + 8)), section: headers[object.readUInt16LE(at + 6)]!.name };
  }
  throw new Error(`no symbol ${name}`);
}

describe('SBPF v0 ELF layout', () => {
  it('is an ELF64 LE ET_DYN EM_BPF image with e_flags 0 and exactly one .text', () => {
    const so = link(objects.syscalls);

    expect(so.readUInt32BE(0)).toBe(0x7f454c46);
    expect([so[4], so[5]]).toEqual([2, 1]); // ELFCLASS64, ELFDATA2LSB
    expect(so.readUInt16LE(16)).toBe(3); // ET_DYN
    expect(so.readUInt16LE(18)).toBe(247); // EM_BPF
    expect(so.readUInt32LE(48)).toBe(0); // e_flags
    expect(sectionHeaders(so).filter((s) => s.name === '.text')).toHaveLength(1);
  });

  it.each(PROGRAMS)('%s: allocated sections sit at sh_addr == sh_offset, in file order, without overlap', (name) => {
    const so = link(objects[name]);
    const allocated = sectionHeaders(so).filter((s) => s.flags & SHF_ALLOC);

    expect(allocated.length).toBeGreaterThanOrEqual(6);
    for (const s of allocated) {
      expect(s.addr, s.name).toBe(BigInt(s.offset));
      expect(s.name.length, s.name).toBeLessThanOrEqual(16);
    }
    const all = sectionHeaders(so).slice(1);
    for (let i = 1; i < all.length; i++) expect(all[i]!.offset).toBeGreaterThanOrEqual(all[i - 1]!.offset + all[i - 1]!.size);
    expect(all.at(-1)!.offset + all.at(-1)!.size).toBeLessThanOrEqual(so.length);
    // Only .text and .rodata carry code and data.
    expect(allocated.filter((s) => s.type === 1).map((s) => s.name)).toEqual(['.text', '.rodata']);
  });

  it('has .dynamic, .dynsym, .dynstr and .rel.dyn, and .dynamic points at the other three', () => {
    const so = link(objects.syscalls);
    const headers = sectionHeaders(so);
    const [dyn, sym, str, rel] = ['.dynamic', '.dynsym', '.dynstr', '.rel.dyn'].map((n) => section(so, n));
    const d = dynamic(so);

    expect([dyn!.type, sym!.type, str!.type, rel!.type]).toEqual([6, 11, 3, 9]); // DYNAMIC, DYNSYM, STRTAB, REL
    expect(d.get(17n)).toBe(rel!.addr); // DT_REL
    expect(d.get(18n)).toBe(BigInt(rel!.size)); // DT_RELSZ
    expect(d.get(19n)).toBe(16n); // DT_RELENT
    expect(d.get(6n)).toBe(sym!.addr); // DT_SYMTAB
    expect(d.get(5n)).toBe(str!.addr); // DT_STRTAB
    expect(d.get(10n)).toBe(BigInt(str!.size)); // DT_STRSZ
    expect(d.has(22n)).toBe(true); // DT_TEXTREL
    expect(rel!.size).toBe(16 * 3);
    expect(sym!.size).toBe(24 * 3);
    expect(headers[sym!.link]!.name).toBe('.dynstr');
    expect(headers[rel!.link]!.name).toBe('.dynsym');
    for (const s of [dyn!, sym!, rel!]) expect(s.offset % 8, s.name).toBe(0);
    // PT_DYNAMIC covers .dynamic.
    const pt = programHeaders(so).filter((p) => p.type === 2);
    expect(pt).toHaveLength(1);
    expect(pt[0]!.offset).toBe(dyn!.offset);
    expect(pt[0]!.filesz).toBe(dyn!.size);
  });

  it('sets e_entry to the offset of entrypoint in .text', () => {
    // Given: an object without -function-sections, so entrypoint sits after scale and offset in one .text
    const object = compileIr(IR.calls, { sections: false });
    const entry = objectSymbol(object, 'entrypoint');
    expect(entry).toMatchObject({ section: '.text' });
    expect(entry.value).toBeGreaterThan(0);

    // When
    const so = link(object);

    // Then: e_entry is .text's offset plus the symbol's value (link-run runs this program from there)
    expect(Number(so.readBigUInt64LE(24))).toBe(section(so, '.text').offset + entry.value);
  });

  it('points e_entry at the first instruction of entrypoint when it is placed after other functions', () => {
    const so = link(objects.calls);
    const entry = Number(so.readBigUInt64LE(24));
    const first = contents(objects.calls, section(objects.calls, '.text.entrypoint')).subarray(0, 8);

    expect(entry).toBeGreaterThan(section(so, '.text').offset);
    expect(so.subarray(entry, entry + 8)).toEqual(first);
  });
});

describe('SBPF v0 syscall relocations', () => {
  it('leaves each syscall call as call -1 with an R_BPF_64_32 .rel.dyn entry naming it, sorted by offset', () => {
    const so = link(objects.syscalls);
    const rels = relDyn(so);
    const syms = dynsyms(so);
    const sites = text(so).filter((i) => i.op === OP_CALL && i.imm === -1);

    expect(sites).toHaveLength(3);
    expect(rels.map((r) => r.offset)).toEqual(sites.map((s) => s.at));
    expect(rels.map((r) => r.offset)).toEqual([...rels.map((r) => r.offset)].sort((a, b) => a - b));
    expect(rels.map((r) => r.type)).toEqual([10, 10, 10]);
    expect(rels.map((r) => syms[r.symbol]!.name)).toEqual(['sol_log_', 'sol_set_return_data', 'sol_log_']);
  });

  it('imports each distinct syscall once in .dynsym, as a GLOBAL NOTYPE undefined symbol', () => {
    const syms = dynsyms(link(objects.syscalls));

    expect(syms[0]).toEqual({ name: '', info: 0, shndx: 0 });
    expect(syms.slice(1).map((s) => s.name).sort()).toEqual(['sol_log_', 'sol_set_return_data']);
    for (const s of syms.slice(1)) expect(s).toMatchObject({ info: 0x10, shndx: 0 });
  });

  it('turns a static syscall (src=0, imm=murmur3 hash) into call -1 plus a relocation, keeping .rel.dyn sorted', () => {
    // Given: the first sol_log_ call rewritten to `call imm=0x207559bd` with no relocation
    const object = withStaticCall(objects.syscalls, '.text.entrypoint', 0, SOL_LOG_HASH);

    // When
    const so = link(object);

    // Then: it became an ordinary relocated syscall, listed first although found last
    const sites = text(so).filter((i) => i.op === OP_CALL && i.imm === -1);
    const rels = relDyn(so);
    expect(rels.map((r) => r.offset)).toEqual(sites.map((s) => s.at));
    expect(rels.map((r) => dynsyms(so)[r.symbol]!.name)).toEqual(['sol_log_', 'sol_set_return_data', 'sol_log_']);
    expect(dynsyms(so).filter((s) => s.name === 'sol_log_')).toHaveLength(1);
  });
});

describe('SBPF v0 llvm.trap', () => {
  it('imports __bpf_trap as the abort syscall', () => {
    expect(dynsyms(link(compileIr(IR.trap))).map((s) => s.name)).toEqual(['', 'abort']);
  });
});

describe('SBPF v0 internal calls', () => {
  it('writes pc-relative immediates that land on the first instruction of each callee', () => {
    const so = link(objects.calls);
    const calls = text(so).filter((i) => i.op === OP_CALL && i.imm !== -1);

    // scale is called through its section symbol, offset through its global symbol
    expect(calls).toHaveLength(2);
    expect(calls.map((c) => c.at + 8 * (c.imm + 1))).toEqual([
      placed(so, objects.calls, '.text.scale'),
      placed(so, objects.calls, '.text.offset'),
    ]);
    expect(relDyn(so).map((r) => r.offset)).not.toContain(calls[0]!.at);
  });
});

describe('SBPF v0 callx', () => {
  it('moves the callx register number from the register field into imm', () => {
    const entry = section(objects.callx, '.text.entrypoint');
    const before = decode(objects.callx, entry.offset, entry.offset + entry.size).filter((i) => i.op === OP_CALLX);
    const after = text(link(objects.callx)).filter((i) => i.op === OP_CALLX);

    expect(before).toHaveLength(1);
    expect(before[0]!.imm).toBe(0);
    expect(before[0]!.dst).toBeGreaterThan(0);
    expect(after).toHaveLength(1);
    expect(after[0]!.imm).toBe(before[0]!.dst);
  });
});

describe('SBPF v0 rodata', () => {
  it('gives lddw of a rodata object 0x1_0000_0000 + its file offset', () => {
    const so = link(objects.syscalls);
    const rodata = section(so, '.rodata');
    const at = so.indexOf('hello from rodata|bye', rodata.offset, 'latin1');

    expect(at).toBeGreaterThanOrEqual(rodata.offset);
    expect(at + 21).toBeLessThanOrEqual(rodata.offset + rodata.size);
    // llc loads the string's address twice (for "hello from rodata" and for "bye" = +18)
    expect(text(so).filter((i) => i.op === OP_LDDW).map((i) => i.imm64)).toEqual([MM_PROGRAM + BigInt(at), MM_PROGRAM + BigInt(at)]);
  });

  it('resolves pointers stored in rodata (R_BPF_64_ABS64, with addend) to VM addresses', () => {
    const so = link(objects.pointerTable);
    const rodata = section(so, '.rodata');
    const words = so.indexOf('alphabeta', rodata.offset, 'latin1');
    const table = so.indexOf(u64s(MM_PROGRAM + BigInt(words), MM_PROGRAM + BigInt(words) + 5n), rodata.offset);

    expect(words).toBeGreaterThanOrEqual(rodata.offset);
    expect(table).toBeGreaterThanOrEqual(rodata.offset);
    expect(table % 8).toBe(0);
    expect(text(so).filter((i) => i.op === OP_LDDW).map((i) => i.imm64)).toContain(MM_PROGRAM + BigInt(table));
  });

  it('resolves function pointers stored in rodata to 0x1_0000_0000 + the callee offset', () => {
    const so = link(objects.callx);
    const table = u64s(
      MM_PROGRAM + BigInt(placed(so, objects.callx, '.text.plus100')),
      MM_PROGRAM + BigInt(placed(so, objects.callx, '.text.times7')),
    );

    expect(so.indexOf(table, section(so, '.rodata').offset)).toBeGreaterThan(0);
  });
});
