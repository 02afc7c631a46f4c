import { R_BPF, type Section, SHF } from '../elf/object-file.ts';
import { LinkError } from '../errors.ts';
import type { LinkReport } from './link.ts';
import { type LiveProgram, OP, alignUp, checkInstructionSet, readLddwImm, writeLddwImm } from './resolve.ts';
import { syscallHash } from './syscalls.ts';
import { writeElfHeader } from './sbpf-v0.ts';

const MM_BYTECODE = 0x1_0000_0000n;
const HEADERS = 64 + 2 * 56;

/**
 * Writes an SBPF v3 program for solana-sbpf's strict loader (SIMD-0178/0189): an ELF header with
 * `e_flags = 3`, then exactly two PT_LOAD segments, read-only data at vaddr 0 (after 8 bytes of
 * padding so nothing lives at null) and bytecode at 1<<32. No sections or relocations: syscalls
 * are `call src=0 imm=murmur3(name)`, internal calls `call src=1` pc-relative.
 */
export function writeSbpfV3(program: LiveProgram, syscallNames: Map<number, string>): { so: Buffer; report: LinkReport } {
  const { text, rodata, resolve, entry } = program;
  const segOff = new Map<Section, number>();
  let off = 8;
  for (const s of rodata) {
    off = alignUp(off, s.align);
    segOff.set(s, off);
    off += s.size;
  }
  const roLen = alignUp(off, 8);
  let t = 0;
  for (const s of text) {
    t = alignUp(t, Math.max(8, s.align));
    segOff.set(s, t);
    t += s.size;
  }
  const textLen = alignUp(t, 8);
  const roBase = HEADERS;
  const textBase = HEADERS + roLen;
  const file = Buffer.alloc(HEADERS + roLen + textLen);
  const isText = (s: Section): boolean => (s.flags & SHF.EXECINSTR) !== 0n;
  const fileOf = (s: Section): number => {
    const at = segOff.get(s);
    if (at === undefined) throw new LinkError(`reference to discarded section ${s.name}`);
    return (isText(s) ? textBase : roBase) + at;
  };
  for (const s of [...rodata, ...text]) s.object.bytes.copy(file, fileOf(s), s.offset, s.offset + s.size);

  const syscalls = new Set<string>();
  const relocated = new Set<number>();
  let internalCalls = 0;
  for (const s of [...text, ...rodata]) {
    for (const r of s.relocations) {
      if (r.type === R_BPF.NONE || r.type === R_BPF.NODYLD32) continue;
      const P = fileOf(s) + r.offset;
      const tg = resolve(s.object, r.symbol);
      const vaddr = (): bigint => {
        if (!('section' in tg)) throw new LinkError(`data reference to syscall '${tg.syscall}'`);
        return (isText(tg.section) ? MM_BYTECODE : 0n) + BigInt(segOff.get(tg.section)! + tg.value);
      };
      if (r.type === R_BPF.R64_32) {
        if (!isText(s) || file[P] !== OP.CALL) throw new LinkError(`R_BPF_64_32 on a non-call at ${s.name}+${r.offset}`);
        relocated.add(P);
        if ('syscall' in tg) {
          syscalls.add(tg.syscall);
          file[P + 1] = 0;
          file.writeUInt32LE(syscallHash(tg.syscall), P + 4);
        } else {
          const target = fileOf(tg.section) + tg.value + (file.readInt32LE(P + 4) + 1) * 8;
          if (target < textBase || target >= textBase + textLen || (target - textBase) % 8) {
            throw new LinkError(`call target outside .text (${tg.name})`);
          }
          file[P + 1] = 0x10;
          file.writeInt32LE((target - (P + 8)) / 8, P + 4);
          internalCalls++;
        }
      } else if (r.type === R_BPF.R64_64) {
        if (!isText(s) || file[P] !== OP.LDDW) throw new LinkError(`R_BPF_64_64 on a non-lddw at ${s.name}+${r.offset}`);
        writeLddwImm(file, P, vaddr() + readLddwImm(file, P));
      } else if (r.type === R_BPF.ABS64) {
        file.writeBigUInt64LE(vaddr() + file.readBigUInt64LE(P), P);
      } else {
        throw new LinkError(`relocation type ${r.type} in ${s.name} is not supported for SBPF v3`);
      }
    }
  }
  checkInstructionSet(file, textBase, textBase + textLen);
  // Static syscalls already have the v3 encoding; only check that each hash names a syscall.
  let staticSyscalls = 0;
  let callx = 0;
  for (let p = textBase; p < textBase + textLen; p += 8) {
    const op = file[p]!;
    if (op === OP.LDDW) {
      p += 8;
      continue;
    }
    if (op === OP.CALLX) callx++;
    if (op !== OP.CALL || relocated.has(p) || file[p + 1]! >> 4 !== 0) continue;
    const name = syscallNames.get(file.readUInt32LE(p + 4));
    if (!name) throw new LinkError(`static call imm=0x${file.readUInt32LE(p + 4).toString(16)} is not a known syscall hash`);
    syscalls.add(name);
    staticSyscalls++;
  }
  writeElfHeader(file, {
    entry: MM_BYTECODE + BigInt(segOff.get(entry.section)! + entry.value),
    flags: 3,
    phnum: 2,
    shoff: 0,
    shnum: 0,
  });
  const ph = (i: number, flags: number, o: number, vaddr: bigint, size: number): void => {
    const p = 64 + 56 * i;
    file.writeUInt32LE(1, p);
    file.writeUInt32LE(flags, p + 4);
    file.writeBigUInt64LE(BigInt(o), p + 8);
    file.writeBigUInt64LE(vaddr, p + 16);
    file.writeBigUInt64LE(vaddr, p + 24);
    file.writeBigUInt64LE(BigInt(size), p + 32);
    file.writeBigUInt64LE(BigInt(size), p + 40);
    file.writeBigUInt64LE(8n, p + 48);
  };
  ph(0, 4, roBase, 0n, roLen); // PF_R
  ph(1, 1, textBase, MM_BYTECODE, textLen); // PF_X
  return {
    so: file,
    report: {
      sbpfVersion: 3,
      bytes: file.length,
      textBytes: textLen,
      rodataBytes: roLen,
      internalCalls,
      callx,
      staticSyscalls,
      syscalls: [...syscalls],
    },
  };
}
