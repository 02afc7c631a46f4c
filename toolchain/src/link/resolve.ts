import { type ObjectFile, type Section, R_BPF, SHF, SHT } from '../elf/object-file.ts';
import { LinkError } from '../errors.ts';
import { SYSCALL_ALIASES, isSyscallName } from './syscalls.ts';

/** Where a relocation's symbol lands: a section and offset, or a syscall import. */
export type Target = { section: Section; value: number; name: string } | { syscall: string };

/** The live part of the inputs: sections reachable from the entry symbol. */
export interface LiveProgram {
  entry: { section: Section; value: number };
  text: Section[];
  rodata: Section[];
  resolve(object: ObjectFile, symbolIndex: number): Target;
}

/**
 * Builds the global symbol table, resolves the entry point and keeps only the sections reachable
 * from it (section-level garbage collection, as `--gc-sections` does).
 */
export function collectLive(objects: ObjectFile[], entryName: string, syscalls: ReadonlySet<string>): LiveProgram {
  // Global definitions: a strong (STB_GLOBAL) one wins over weak ones; two strong ones clash.
  const globals = new Map<string, { section: Section; value: number; weak: boolean }>();
  for (const object of objects) {
    for (const s of object.symbols) {
      if (s.shndx === 0 || s.shndx >= 0xff00 || s.bind === STB_LOCAL) continue;
      const weak = s.bind === STB_WEAK;
      const existing = globals.get(s.name);
      if (existing && !existing.weak && !weak) throw new LinkError(`duplicate symbol '${s.name}'`);
      if (!existing || (existing.weak && !weak)) globals.set(s.name, { section: object.sections[s.shndx]!, value: s.value, weak });
    }
  }
  const entry = globals.get(entryName);
  if (!entry) throw new LinkError(`entry symbol '${entryName}' not found`);

  const resolve = (object: ObjectFile, symbolIndex: number): Target => {
    const s = object.symbols[symbolIndex];
    if (!s) throw new LinkError(`${object.name}: relocation names symbol #${symbolIndex}, which does not exist`);
    const definedHere = s.shndx !== 0 && s.shndx < 0xff00;
    if (definedHere && s.bind === STB_LOCAL) return { section: object.sections[s.shndx]!, value: s.value, name: s.name };
    const global = globals.get(s.name);
    if (global) return { section: global.section, value: global.value, name: s.name };
    const name = SYSCALL_ALIASES[s.name] ?? s.name;
    if (!syscalls.has(name)) {
      throw new LinkError(
        isSyscallName(name) ? `undefined symbol '${s.name}': not a syscall the runtime provides` : `undefined symbol '${s.name}' (not a Solana syscall)`,
      );
    }
    return { syscall: name };
  };

  const live = new Set<Section>([entry.section]);
  const work = [entry.section];
  while (work.length) {
    const section = work.pop()!;
    for (const r of section.relocations) {
      if (r.type === R_BPF.NONE) continue;
      const t = resolve(section.object, r.symbol);
      if ('section' in t && !live.has(t.section)) {
        live.add(t.section);
        work.push(t.section);
      }
    }
  }
  const liveList = objects.flatMap((o) => o.sections.filter((s) => live.has(s)));
  for (const s of liveList) {
    if (!(s.flags & SHF.ALLOC)) throw new LinkError(`live section ${s.name} is not allocated`);
    const writable = (s.flags & SHF.WRITE) !== 0n && !s.name.startsWith('.data.rel.ro');
    if ((writable || s.type === SHT.NOBITS) && s.size > 0) {
      throw new LinkError(
        `section ${s.name} is writable or bss (${s.size} bytes): Solana programs cannot have mutable statics`,
      );
    }
  }
  return {
    entry,
    text: liveList.filter((s) => s.flags & SHF.EXECINSTR),
    rodata: liveList.filter((s) => !(s.flags & SHF.EXECINSTR)),
    resolve,
  };
}

const STB_LOCAL = 0;
const STB_WEAK = 2;

/** Rounds `x` up to a multiple of `a`. */
export const alignUp = (x: number, a: number): number => Math.ceil(x / a) * a;

/** Opcodes the linker inspects. */
export const OP = { LDDW: 0x18, CALL: 0x85, CALLX: 0x8d, LE: 0xd4, BE: 0xdc } as const;

/**
 * Checks the bytecode uses only what SBPF v0/v3 run the way LLVM meant:
 *  - no 32-bit ALU instructions (SBPF sign-extends their results where eBPF zero-extends; build
 *    with `-mcpu=v2`, no alu32), byte swaps excepted;
 *  - no cpu-v4 forms that reuse a 64-bit opcode with a non-zero offset (signed `sdiv`/`smod`,
 *    `movsx`): SBPF would run them as unsigned division or a plain move.
 */
export function checkInstructionSet(image: Buffer, from: number, to: number): void {
  for (let p = from; p < to; p += 8) {
    const op = image[p]!;
    if (op === OP.LDDW) {
      p += 8;
      continue;
    }
    const where = `.text+0x${(p - from).toString(16)}`;
    if ((op & 7) === 4 && op !== OP.LE && op !== OP.BE) {
      throw new LinkError(`32-bit ALU opcode 0x${op.toString(16)} at ${where}: SBPF sign-extends 32-bit results; build with -mcpu=v2 (no alu32)`);
    }
    if ((op & 7) === 7 && image.readInt16LE(p + 2) !== 0) {
      throw new LinkError(`cpu-v4 instruction 0x${op.toString(16)} (offset ${image.readInt16LE(p + 2)}) at ${where}: SBPF has no signed division or sign-extending move; build with -mcpu=v2`);
    }
  }
}

/** Reads a relocation's addend-carrying 64-bit `lddw` immediate. */
export const readLddwImm = (b: Buffer, p: number): bigint =>
  BigInt(b.readUInt32LE(p + 4)) | (BigInt(b.readUInt32LE(p + 12)) << 32n);

/** Writes a 64-bit `lddw` immediate. */
export function writeLddwImm(b: Buffer, p: number, value: bigint): void {
  b.writeUInt32LE(Number(value & 0xffffffffn), p + 4);
  b.writeUInt32LE(Number((value >> 32n) & 0xffffffffn), p + 12);
}
