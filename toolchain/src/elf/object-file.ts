import { LinkError } from '../errors.ts';

/** Section header types and flags used by the linker. */
export const SHT = { PROGBITS: 1, SYMTAB: 2, STRTAB: 3, RELA: 4, DYNAMIC: 6, NOBITS: 8, REL: 9, DYNSYM: 11 } as const;
export const SHF = { WRITE: 1n, ALLOC: 2n, EXECINSTR: 4n } as const;
/** BPF relocation types (LLVM's ELF/RelocationTypes for BPF). */
export const R_BPF = { NONE: 0, R64_64: 1, ABS64: 2, ABS32: 3, NODYLD32: 4, R64_32: 10 } as const;
export const EM_BPF = 247;

/** One relocation against a section of a relocatable object. */
export interface Relocation {
  offset: number;
  symbol: number;
  type: number;
}

/** A section of a relocatable object, as read from its header. */
export interface Section {
  index: number;
  name: string;
  type: number;
  flags: bigint;
  offset: number;
  size: number;
  link: number;
  info: number;
  align: number;
  relocations: Relocation[];
  object: ObjectFile;
}

/** A symbol table entry. `shndx` 0 is undefined; 0xff00 and above are special. */
export interface ElfSymbol {
  name: string;
  bind: number;
  type: number;
  shndx: number;
  value: number;
}

/** A parsed ELF64 little-endian BPF relocatable object (what `llc -filetype=obj` writes). */
export interface ObjectFile {
  name: string;
  bytes: Buffer;
  sections: Section[];
  symbols: ElfSymbol[];
}

const cstr = (b: Buffer, off: number): string => {
  let end = off;
  while (end < b.length && b[end] !== 0) end++;
  return b.toString('latin1', off, end);
};

/** Parses an ELF relocatable object; anything else is a {@link LinkError}. */
export function parseObject(bytes: Buffer, name = 'input'): ObjectFile {
  if (bytes.length < 64 || bytes.readUInt32BE(0) !== 0x7f454c46) throw new LinkError(`${name}: not an ELF file`);
  if (bytes[4] !== 2 || bytes[5] !== 1) throw new LinkError(`${name}: not ELF64 little-endian`);
  if (bytes.readUInt16LE(16) !== 1) throw new LinkError(`${name}: not a relocatable object (ET_REL)`);
  if (bytes.readUInt16LE(18) !== EM_BPF) throw new LinkError(`${name}: not a BPF object (EM_BPF)`);
  const shoff = Number(bytes.readBigUInt64LE(0x28));
  const shentsize = bytes.readUInt16LE(0x3a);
  const shnum = bytes.readUInt16LE(0x3c);
  const shstrndx = bytes.readUInt16LE(0x3e);
  if (shnum === 0 || shstrndx === 0xffff) throw new LinkError(`${name}: no sections, or extended section numbering (not supported)`);
  if (shoff + shnum * shentsize > bytes.length) throw new LinkError(`${name}: section headers past the end of the file`);
  const object: ObjectFile = { name, bytes, sections: [], symbols: [] };
  const nameOffsets: number[] = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    nameOffsets.push(bytes.readUInt32LE(o));
    object.sections.push({
      index: i,
      name: '',
      type: bytes.readUInt32LE(o + 4),
      flags: bytes.readBigUInt64LE(o + 8),
      offset: Number(bytes.readBigUInt64LE(o + 24)),
      size: Number(bytes.readBigUInt64LE(o + 32)),
      link: bytes.readUInt32LE(o + 40),
      info: bytes.readUInt32LE(o + 44),
      align: Number(bytes.readBigUInt64LE(o + 48)) || 1,
      relocations: [],
      object,
    });
  }
  for (const s of object.sections) {
    if (s.type !== SHT.NOBITS && s.offset + s.size > bytes.length) {
      throw new LinkError(`${name}: section #${s.index} extends past the end of the file`);
    }
  }
  const shstr = object.sections[shstrndx];
  if (!shstr) throw new LinkError(`${name}: no section name table`);
  object.sections.forEach((s, i) => (s.name = cstr(bytes, shstr.offset + nameOffsets[i]!)));
  for (const s of object.sections) {
    if (s.type === SHT.RELA) throw new LinkError(`${name}: RELA relocations are not supported (${s.name})`);
    if (s.type === SHT.SYMTAB) {
      const strtab = object.sections[s.link]!;
      for (let o = s.offset; o < s.offset + s.size; o += 24) {
        const info = bytes[o + 4]!;
        object.symbols.push({
          name: cstr(bytes, strtab.offset + bytes.readUInt32LE(o)),
          bind: info >> 4,
          type: info & 15,
          shndx: bytes.readUInt16LE(o + 6),
          value: Number(bytes.readBigUInt64LE(o + 8)),
        });
      }
    }
  }
  for (const s of object.sections) {
    if (s.type !== SHT.REL) continue;
    const target = object.sections[s.info];
    if (!target) throw new LinkError(`${name}: relocation section ${s.name} targets no section`);
    for (let o = s.offset; o < s.offset + s.size; o += 16) {
      const info = bytes.readBigUInt64LE(o + 8);
      target.relocations.push({
        offset: Number(bytes.readBigUInt64LE(o)),
        symbol: Number(info >> 32n),
        type: Number(info & 0xffffffffn),
      });
    }
  }
  return object;
}
