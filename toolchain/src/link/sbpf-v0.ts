import { R_BPF, SHF, SHT } from '../elf/object-file.ts';
import { LinkError } from '../errors.ts';
import type { LinkReport } from './link.ts';
import { type LiveProgram, OP, alignUp, checkInstructionSet, readLddwImm, writeLddwImm } from './resolve.ts';

/** Where the loader maps the program image: VM address = MM_PROGRAM + file offset. */
const MM_PROGRAM = 0x1_0000_0000n;
const PHNUM = 4;

/**
 * Writes an SBPF v0 shared object for solana-sbpf's lenient loader: every allocated section has
 * `sh_addr == sh_offset`, one `.text`, read-only data merged into `.rodata`, syscalls left as
 * `call -1` with `R_BPF_64_32` entries in `.rel.dyn` against `.dynsym` names, internal calls
 * pc-relative, `lddw` and pointer data resolved to final VM addresses.
 */
export function writeSbpfV0(program: LiveProgram, syscallNames: Map<number, string>): { so: Buffer; report: LinkReport } {
  const { text, rodata, resolve, entry } = program;
  const place = new Map<object, number>();
  let off = alignUp(64 + PHNUM * 56, 8);
  const textOff = off;
  for (const s of text) {
    off = alignUp(off, Math.max(8, s.align));
    place.set(s, off);
    off += s.size;
  }
  const textEnd = off;
  off = alignUp(off, 8);
  const roOff = off;
  for (const s of rodata) {
    off = alignUp(off, s.align);
    place.set(s, off);
    off += s.size;
  }
  const roEnd = off;
  const image = Buffer.alloc(roEnd);
  for (const s of [...text, ...rodata]) s.object.bytes.copy(image, place.get(s)!, s.offset, s.offset + s.size);

  const dynsyms: string[] = [];
  const dynsymIndex = new Map<string, number>();
  const importSyscall = (name: string): number => {
    if (!dynsymIndex.has(name)) {
      dynsyms.push(name);
      dynsymIndex.set(name, dynsyms.length);
    }
    return dynsymIndex.get(name)!;
  };
  const relDyn: { offset: number; symbol: number }[] = [];
  const relocated = new Set<number>();
  let internalCalls = 0;

  for (const s of [...text, ...rodata]) {
    const isText = (s.flags & SHF.EXECINSTR) !== 0n;
    for (const r of s.relocations) {
      if (r.type === R_BPF.NONE || r.type === R_BPF.NODYLD32) continue;
      const P = place.get(s)! + r.offset;
      const t = resolve(s.object, r.symbol);
      const vaddr = (): bigint => {
        if (!('section' in t)) throw new LinkError(`data reference to syscall '${t.syscall}'`);
        const at = place.get(t.section);
        if (at === undefined) throw new LinkError(`reference to discarded section ${t.section.name}`);
        return BigInt(at + t.value);
      };
      if (r.type === R_BPF.R64_32) {
        if (!isText || image[P] !== OP.CALL) throw new LinkError(`R_BPF_64_32 on a non-call at ${s.name}+${r.offset}`);
        relocated.add(P);
        if ('syscall' in t) {
          image.writeInt32LE(-1, P + 4);
          image[P + 1] = 0;
          relDyn.push({ offset: P, symbol: importSyscall(t.syscall) });
        } else {
          const target = Number(vaddr()) + (image.readInt32LE(P + 4) + 1) * 8;
          if (target < textOff || target >= textEnd || (target - textOff) % 8) {
            throw new LinkError(`call target outside .text (${t.name})`);
          }
          image.writeInt32LE((target - (P + 8)) / 8, P + 4);
          internalCalls++;
        }
      } else if (r.type === R_BPF.R64_64) {
        if (!isText || image[P] !== OP.LDDW) throw new LinkError(`R_BPF_64_64 on a non-lddw at ${s.name}+${r.offset}`);
        writeLddwImm(image, P, MM_PROGRAM + vaddr() + readLddwImm(image, P));
      } else if (r.type === R_BPF.ABS64) {
        image.writeBigUInt64LE(MM_PROGRAM + vaddr() + image.readBigUInt64LE(P), P);
      } else if (r.type === R_BPF.ABS32) {
        throw new LinkError(`R_BPF_64_ABS32 in ${s.name}: a 32-bit absolute address cannot hold a VM address`);
      } else {
        throw new LinkError(`unknown relocation type ${r.type} in ${s.name}`);
      }
    }
  }
  checkInstructionSet(image, textOff, textEnd);

  // Static syscalls (src=0, imm=murmur3(name), no relocation) become `call -1` + a relocation: the v0
  // loader would read the hash as a relative call. `callx` takes its register in imm in v0.
  let staticSyscalls = 0;
  let callx = 0;
  for (let p = textOff; p < textEnd; p += 8) {
    const op = image[p]!;
    if (op === OP.LDDW) {
      p += 8;
      continue;
    }
    if (op === OP.CALL && !relocated.has(p) && image[p + 1]! >> 4 === 0) {
      const hash = image.readUInt32LE(p + 4);
      const where = `.text+0x${(p - textOff).toString(16)}`;
      if (hash === 0xffffffff) throw new LinkError(`call -1 without a relocation at ${where}`);
      const name = syscallNames.get(hash);
      if (!name) throw new LinkError(`static call imm=0x${hash.toString(16)} at ${where} is not a known syscall hash`);
      image.writeInt32LE(-1, p + 4);
      image[p + 1] = 0;
      relDyn.push({ offset: p, symbol: importSyscall(name) });
      staticSyscalls++;
    } else if (op === OP.CALLX) {
      const dst = image[p + 1]! & 15;
      const src = image[p + 1]! >> 4;
      const imm = image.readInt32LE(p + 4);
      image[p + 1] = 0;
      image.writeInt32LE(imm !== 0 ? imm : dst || src, p + 4);
      callx++;
    }
  }
  relDyn.sort((a, b) => a.offset - b.offset);

  const dynstr = Buffer.from(['', ...dynsyms].join('\0') + '\0', 'latin1');
  const dynsym = Buffer.alloc(24 * (dynsyms.length + 1));
  let nameOff = 1;
  dynsyms.forEach((n, i) => {
    dynsym.writeUInt32LE(nameOff, 24 * (i + 1));
    dynsym[24 * (i + 1) + 4] = 1 << 4; // STB_GLOBAL, STT_NOTYPE
    nameOff += n.length + 1;
  });
  const rel = Buffer.alloc(16 * relDyn.length);
  relDyn.forEach((r, i) => {
    rel.writeBigUInt64LE(BigInt(r.offset), 16 * i);
    rel.writeBigUInt64LE((BigInt(r.symbol) << 32n) | BigInt(R_BPF.R64_32), 16 * i + 8);
  });

  // DT_REL* only when there are relocations, so the table never starts with DT_NULL.
  const dynamicEntries = relDyn.length ? 9 : 6;
  off = alignUp(roEnd, 8);
  const dynOff = off;
  off += dynamicEntries * 16;
  off = alignUp(off, 8);
  const dynsymOff = off;
  off += dynsym.length;
  const dynstrOff = off;
  off += dynstr.length;
  off = alignUp(off, 8);
  const relOff = off;
  off += rel.length;
  const shNames = ['', '.text', '.rodata', '.dynamic', '.dynsym', '.dynstr', '.rel.dyn', '.shstrtab'];
  const shstr = Buffer.from(shNames.join('\0') + '\0', 'latin1');
  const shNameOff: number[] = [];
  shNames.reduce((o, n) => (shNameOff.push(o), o + n.length + 1), 0);
  const shstrOff = off;
  off += shstr.length;
  off = alignUp(off, 8);
  const shOff = off;
  off += shNames.length * 64;

  const file = Buffer.alloc(off);
  image.copy(file, textOff, textOff, roEnd);
  const dynamic: [bigint, bigint][] = [
    ...(relDyn.length
      ? ([
          [17n, BigInt(relOff)], // DT_REL
          [18n, BigInt(rel.length)], // DT_RELSZ
          [19n, 16n], // DT_RELENT
        ] as [bigint, bigint][])
      : []),
    [6n, BigInt(dynsymOff)], // DT_SYMTAB
    [11n, 24n], // DT_SYMENT
    [5n, BigInt(dynstrOff)], // DT_STRTAB
    [10n, BigInt(dynstr.length)], // DT_STRSZ
    [22n, 0n], // DT_TEXTREL
    [0n, 0n], // DT_NULL
  ];
  dynamic.forEach(([tag, v], i) => {
    file.writeBigUInt64LE(tag, dynOff + 16 * i);
    file.writeBigUInt64LE(v, dynOff + 16 * i + 8);
  });
  dynsym.copy(file, dynsymOff);
  dynstr.copy(file, dynstrOff);
  rel.copy(file, relOff);
  shstr.copy(file, shstrOff);

  writeElfHeader(file, {
    entry: BigInt(place.get(entry.section)! + entry.value),
    flags: 0,
    phnum: PHNUM,
    shoff: shOff,
    shnum: shNames.length,
  });
  const ph = (i: number, type: number, flags: number, o: number, size: number): void => {
    const p = 64 + 56 * i;
    file.writeUInt32LE(type, p);
    file.writeUInt32LE(flags, p + 4);
    for (const k of [8, 16, 24]) file.writeBigUInt64LE(BigInt(o), p + k);
    file.writeBigUInt64LE(BigInt(size), p + 32);
    file.writeBigUInt64LE(BigInt(size), p + 40);
    file.writeBigUInt64LE(8n, p + 48);
  };
  ph(0, 1, 5, textOff, textEnd - textOff); // PT_LOAD R+X .text
  ph(1, 1, 4, roOff, roEnd - roOff); // PT_LOAD R .rodata
  ph(2, 1, 6, dynOff, relOff + rel.length - dynOff); // PT_LOAD .dynamic .dynsym .dynstr .rel.dyn
  ph(3, 2, 6, dynOff, dynamicEntries * 16); // PT_DYNAMIC
  const sh = (i: number, type: number, flags: bigint, o: number, size: number, link: number, info: number, align: number, entsize: number): void => {
    const p = shOff + 64 * i;
    file.writeUInt32LE(shNameOff[i]!, p);
    file.writeUInt32LE(type, p + 4);
    file.writeBigUInt64LE(flags, p + 8);
    file.writeBigUInt64LE(flags & SHF.ALLOC ? BigInt(o) : 0n, p + 16);
    file.writeBigUInt64LE(BigInt(o), p + 24);
    file.writeBigUInt64LE(BigInt(size), p + 32);
    file.writeUInt32LE(link, p + 40);
    file.writeUInt32LE(info, p + 44);
    file.writeBigUInt64LE(BigInt(align), p + 48);
    file.writeBigUInt64LE(BigInt(entsize), p + 56);
  };
  sh(1, SHT.PROGBITS, SHF.ALLOC | SHF.EXECINSTR, textOff, textEnd - textOff, 0, 0, 8, 0);
  sh(2, SHT.PROGBITS, SHF.ALLOC, roOff, roEnd - roOff, 0, 0, 8, 0);
  sh(3, SHT.DYNAMIC, SHF.ALLOC | SHF.WRITE, dynOff, dynamicEntries * 16, 5, 0, 8, 16);
  sh(4, SHT.DYNSYM, SHF.ALLOC, dynsymOff, dynsym.length, 5, 1, 8, 24);
  sh(5, SHT.STRTAB, SHF.ALLOC, dynstrOff, dynstr.length, 0, 0, 1, 0);
  sh(6, SHT.REL, SHF.ALLOC, relOff, rel.length, 4, 0, 8, 16);
  sh(7, SHT.STRTAB, 0n, shstrOff, shstr.length, 0, 0, 1, 0);
  return {
    so: file,
    report: {
      sbpfVersion: 0,
      bytes: file.length,
      textBytes: textEnd - textOff,
      rodataBytes: roEnd - roOff,
      internalCalls,
      callx,
      staticSyscalls,
      syscalls: dynsyms,
    },
  };
}

/** Writes the ELF64 header both versions share. */
export function writeElfHeader(
  file: Buffer,
  h: { entry: bigint; flags: number; phnum: number; shoff: number; shnum: number },
): void {
  file.writeUInt32BE(0x7f454c46, 0);
  file[4] = 2; // ELFCLASS64
  file[5] = 1; // little-endian
  file[6] = 1; // EV_CURRENT
  file.writeUInt16LE(3, 16); // ET_DYN
  file.writeUInt16LE(247, 18); // EM_BPF
  file.writeUInt32LE(1, 20);
  file.writeBigUInt64LE(h.entry, 24);
  file.writeBigUInt64LE(64n, 32); // e_phoff
  file.writeBigUInt64LE(BigInt(h.shoff), 40);
  file.writeUInt32LE(h.flags, 48);
  file.writeUInt16LE(64, 52);
  file.writeUInt16LE(56, 54);
  file.writeUInt16LE(h.phnum, 56);
  file.writeUInt16LE(64, 58);
  file.writeUInt16LE(h.shnum, 60);
  file.writeUInt16LE(h.shnum ? h.shnum - 1 : 0, 62);
}
