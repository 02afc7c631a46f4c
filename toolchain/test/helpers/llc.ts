/**
 * Shared by the linker tests (`test/link-*.test.ts`): compile LLVM IR into BPF objects with Debian's
 * llc-22, link them for one SBPF version, find sections in ELF files, and run a linked program in
 * LiteSVM.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  appendTransactionMessageInstruction,
  createTransactionMessage,
  generateKeyPairSigner,
  lamports,
  pipe,
  setTransactionMessageFeePayerSigner,
  signTransactionMessageWithSigners,
} from '@solana/kit';
import { FailedTransactionMetadata, LiteSVM } from 'litesvm';
import { expect } from 'vitest';
import { type SbpfVersion, linkSbpf } from '../../src/link/link.ts';

export const LLC = '/usr/lib/llvm-22/bin/llc';

export interface LlcOptions {
  /** Another target than bpfel (then no `-mcpu`), e.g. `x86-64`. */
  march?: string;
  /** `v2` by default: no ALU32. */
  mcpu?: string;
  mattr?: string;
  /** `-function-sections -data-sections`; on by default. */
  sections?: boolean;
}

/** Compiles an IR module with `llc -O2 -filetype=obj` and returns the relocatable object. */
export function compileIr(ir: string, options: LlcOptions = {}): Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'link-test-'));
  try {
    fs.writeFileSync(path.join(dir, 'in.ll'), ir);
    const args = options.march ? [`-march=${options.march}`] : ['-march=bpfel', `-mcpu=${options.mcpu ?? 'v2'}`];
    if (options.mattr) args.push(`-mattr=${options.mattr}`);
    if (options.sections ?? true) args.push('-function-sections', '-data-sections');
    args.push('-O2', '-filetype=obj', '-o', path.join(dir, 'out.o'), path.join(dir, 'in.ll'));
    const r = spawnSync(LLC, args, { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`llc ${args.join(' ')} failed:\n${r.stderr}${r.error ?? ''}`);
    return fs.readFileSync(path.join(dir, 'out.o'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A section header of an ELF64 LE file; `header` is where the header itself sits. */
export interface SectionHeader {
  name: string;
  type: number;
  flags: bigint;
  addr: bigint;
  offset: number;
  size: number;
  link: number;
  info: number;
  align: number;
  entsize: number;
  header: number;
}

const cstr = (b: Buffer, at: number): string => b.toString('latin1', at, b.indexOf(0, at));

/** Reads every section header of an ELF64 little-endian file (object or shared object). */
export function sectionHeaders(elf: Buffer): SectionHeader[] {
  const shoff = Number(elf.readBigUInt64LE(0x28));
  const count = elf.readUInt16LE(0x3c);
  const at = (i: number): number => shoff + 64 * i;
  const names = Number(elf.readBigUInt64LE(at(elf.readUInt16LE(0x3e)) + 24));
  return Array.from({ length: count }, (_, i) => {
    const h = at(i);
    return {
      name: cstr(elf, names + elf.readUInt32LE(h)),
      type: elf.readUInt32LE(h + 4),
      flags: elf.readBigUInt64LE(h + 8),
      addr: elf.readBigUInt64LE(h + 16),
      offset: Number(elf.readBigUInt64LE(h + 24)),
      size: Number(elf.readBigUInt64LE(h + 32)),
      link: elf.readUInt32LE(h + 40),
      info: elf.readUInt32LE(h + 44),
      align: Number(elf.readBigUInt64LE(h + 48)),
      entsize: Number(elf.readBigUInt64LE(h + 56)),
      header: h,
    };
  });
}

/** The one section called `name`; fails the test when there is none. */
export function section(elf: Buffer, name: string): SectionHeader {
  const s = sectionHeaders(elf).find((h) => h.name === name);
  if (!s) throw new Error(`no section ${name}`);
  return s;
}

export const contents = (elf: Buffer, s: SectionHeader): Buffer => elf.subarray(s.offset, s.offset + s.size);

/** `values` as consecutive u64 LE, e.g. a table of pointers as it should appear in rodata. */
export const u64s = (...values: bigint[]): Buffer => {
  const b = Buffer.alloc(8 * values.length);
  values.forEach((v, i) => b.writeBigUInt64LE(v, 8 * i));
  return b;
};

/** Links objects (named `in0.o`, `in1.o`, … in errors) for `sbpfVersion` and returns the program. */
export const linkerFor =
  (sbpfVersion: SbpfVersion) =>
  (...inputs: Buffer[]): Buffer =>
    linkSbpf(
      inputs.map((bytes, i) => ({ name: `in${i}.o`, bytes })),
      { sbpfVersion },
    ).so;

/**
 * Returns a copy of `object` whose n-th `R_BPF_64_32` call in `text` is turned into a static call:
 * src=0, imm=`imm`, and its relocation becomes R_BPF_NONE. LLVM never writes this form itself.
 */
export function withStaticCall(object: Buffer, text: string, n: number, imm: number): Buffer {
  const copy = Buffer.from(object);
  const code = section(copy, text);
  const rel = section(copy, `.rel${text}`);
  const calls = Array.from({ length: rel.size / 16 }, (_, i) => rel.offset + 16 * i).filter(
    (e) => copy.readUInt32LE(e + 8) === 10,
  );
  const entry = calls[n];
  if (entry === undefined) throw new Error(`${text} has no relocated call #${n}`);
  const insn = code.offset + Number(copy.readBigUInt64LE(entry));
  copy[insn + 1] = 0;
  copy.writeUInt32LE(imm, insn + 4);
  copy.writeUInt32LE(0, entry + 8);
  return copy;
}

export interface RunResult {
  ok: boolean;
  error: string;
  logs: string[];
  /** Only what the program itself logged (`Program log: ` stripped). */
  programLogs: string[];
  returnData: Buffer;
}

/** Deploys `so` into a fresh LiteSVM and sends one instruction with `data` and no accounts. */
export async function runProgram(so: Buffer, data: number[] = []): Promise<RunResult> {
  const svm = new LiteSVM();
  const programId = (await generateKeyPairSigner()).address;
  svm.addProgram(programId, so);
  const payer = await generateKeyPairSigner();
  svm.airdrop(payer.address, lamports(1_000_000_000n));
  const tx = await pipe(
    createTransactionMessage({ version: 0 }),
    (m) => setTransactionMessageFeePayerSigner(payer, m),
    (m) => svm.setTransactionMessageLifetimeUsingLatestBlockhash(m),
    (m) => appendTransactionMessageInstruction({ programAddress: programId, accounts: [], data: new Uint8Array(data) }, m),
    (m) => signTransactionMessageWithSigners(m),
  );
  const result = svm.sendTransaction(tx);
  const failed = result instanceof FailedTransactionMetadata;
  const meta = failed ? result.meta() : result;
  const logs = meta.logs();
  return {
    ok: !failed,
    error: failed ? String(result.err()) : '',
    logs,
    programLogs: logs.filter((l) => l.startsWith('Program log: ')).map((l) => l.slice('Program log: '.length)),
    returnData: Buffer.from(meta.returnData().data()),
  };
}

/** A program header of an ELF64 LE file. */
export interface ProgramHeader {
  type: number;
  flags: number;
  offset: number;
  vaddr: bigint;
  paddr: bigint;
  filesz: number;
  memsz: number;
}

export function programHeaders(elf: Buffer): ProgramHeader[] {
  const phoff = Number(elf.readBigUInt64LE(0x20));
  return Array.from({ length: elf.readUInt16LE(0x38) }, (_, i) => {
    const h = phoff + 56 * i;
    return {
      type: elf.readUInt32LE(h),
      flags: elf.readUInt32LE(h + 4),
      offset: Number(elf.readBigUInt64LE(h + 8)),
      vaddr: elf.readBigUInt64LE(h + 16),
      paddr: elf.readBigUInt64LE(h + 24),
      filesz: Number(elf.readBigUInt64LE(h + 32)),
      memsz: Number(elf.readBigUInt64LE(h + 40)),
    };
  });
}

/** One decoded instruction; `imm64` is set for the two-slot `lddw`. */
export interface Insn {
  /** File offset of the instruction. */
  at: number;
  op: number;
  dst: number;
  src: number;
  imm: number;
  imm64?: bigint;
}

/** A part of a file, `[from, to)` in file offsets: where a linked program keeps its code. */
export type FileRange = readonly [from: number, to: number];

/** Decodes the bytecode in `elf[from, to)`. */
export function decode(elf: Buffer, from: number, to: number): Insn[] {
  const out: Insn[] = [];
  for (let at = from; at < to; at += 8) {
    const insn: Insn = { at, op: elf[at]!, dst: elf[at + 1]! & 15, src: elf[at + 1]! >> 4, imm: elf.readInt32LE(at + 4) };
    if (insn.op === 0x18) {
      insn.imm64 = BigInt(elf.readUInt32LE(at + 4)) | (BigInt(elf.readUInt32LE(at + 12)) << 32n);
      at += 8;
    }
    out.push(insn);
  }
  return out;
}

/**
 * Where the code of a leaf function of `object` (in `textSection`; no relocations, so it is copied
 * byte for byte) sits in the linked `so`: its file offset, which must be inside `code`.
 */
export function placedIn(so: Buffer, code: FileRange, object: Buffer, textSection: string): number {
  const [from, to] = code;
  const fn = contents(object, section(object, textSection));
  const at = so.indexOf(fn, from);
  expect(at, `${textSection} is in the code`).toBeGreaterThanOrEqual(from);
  expect(at + fn.length, `${textSection} ends in the code`).toBeLessThanOrEqual(to);
  return at;
}

/** The input's instruction data starts at input+16 when the instruction has no accounts. */
const FIRST_DATA_BYTE = `
  %data = getelementptr i8, ptr %input, i64 16
  %byte = load i8, ptr %data
  %x = zext i8 %byte to i64`;
const RETURN_DATA = (v: string): string => `
  %buf = alloca i64
  store i64 ${v}, ptr %buf
  call void @sol_set_return_data(ptr %buf, i64 8)`;
const HEAD = `target triple = "bpfel"
declare void @sol_log_(ptr, i64)
declare void @sol_set_return_data(ptr, i64)
`;

/**
 * `define [linkage] i64 @name(i64 %x) noinline` returning `x <op> n`: a leaf function, so no
 * relocation touches it and its code reaches the linked program byte for byte.
 */
export const leaf = (name: string, op: 'add' | 'mul', n: number, linkage?: 'internal'): string =>
  `define ${linkage ? `${linkage} ` : ''}i64 @${name}(i64 %x) noinline {
  %r = ${op} i64 %x, ${n}
  ret i64 %r
}`;

/** IR programs the linker tests link and run. `x` is the first instruction data byte. */
export const IR = {
  /**
   * Logs "hello from rodata", sets return data to x + 1000, then logs "bye" (at offset 18 of the
   * same rodata object): three syscall call sites, two syscalls.
   */
  syscalls: `${HEAD}
@text = private unnamed_addr constant [21 x i8] c"hello from rodata|bye"
define i64 @entrypoint(ptr %input) {
  call void @sol_log_(ptr @text, i64 17)${FIRST_DATA_BYTE}
  %v = add i64 %x, 1000${RETURN_DATA('%v')}
  call void @sol_log_(ptr getelementptr (i8, ptr @text, i64 18), i64 3)
  ret i64 0
}`,
  /** Returns offset(scale(x)) = x * 1000 + 77 through two non-inlined calls (local and global). */
  calls: `${HEAD}
${leaf('scale', 'mul', 1000, 'internal')}
${leaf('offset', 'add', 77)}
define i64 @entrypoint(ptr %input) {${FIRST_DATA_BYTE}
  %a = call i64 @scale(i64 %x)
  %b = call i64 @offset(i64 %a)${RETURN_DATA('%b')}
  ret i64 0
}`,
  /** Returns ops[x & 1](5) through callx: 105 (plus100) for even x, 35 (times7) for odd x. */
  callx: `${HEAD}
${leaf('plus100', 'add', 100, 'internal')}
${leaf('times7', 'mul', 7, 'internal')}
@ops = internal constant [2 x ptr] [ptr @plus100, ptr @times7], align 8
define i64 @entrypoint(ptr %input) {${FIRST_DATA_BYTE}
  %i = and i64 %x, 1
  %slot = getelementptr [2 x ptr], ptr @ops, i64 0, i64 %i
  %f = load ptr, ptr %slot
  %v = call i64 %f(i64 5)${RETURN_DATA('%v')}
  ret i64 0
}`,
  /** Logs names[x & 1]: "alpha" or "beta", through a table of pointers into one rodata string. */
  pointerTable: `${HEAD}
@words = private unnamed_addr constant [9 x i8] c"alphabeta"
@names = internal constant [2 x ptr] [ptr @words, ptr getelementptr (i8, ptr @words, i64 5)], align 8
@lengths = internal constant [2 x i64] [i64 5, i64 4], align 8
define i64 @entrypoint(ptr %input) {${FIRST_DATA_BYTE}
  %i = and i64 %x, 1
  %pp = getelementptr [2 x ptr], ptr @names, i64 0, i64 %i
  %p = load ptr, ptr %pp
  %lp = getelementptr [2 x i64], ptr @lengths, i64 0, i64 %i
  %len = load i64, ptr %lp
  call void @sol_log_(ptr %p, i64 %len)
  ret i64 0
}`,
  /** Traps (llc calls `__bpf_trap`) when x is 9, else returns 0. */
  trap: `${HEAD}
declare void @llvm.trap()
define i64 @entrypoint(ptr %input) {${FIRST_DATA_BYTE}
  %bad = icmp eq i64 %x, 9
  br i1 %bad, label %trap, label %ok
trap:
  call void @llvm.trap()
  unreachable
ok:
  ret i64 0
}`,
};

/** The programs of `IR` that the v0, v3 and run tests all link, under the names of their objects. */
export const PROGRAMS = ['syscalls', 'calls', 'callx', 'pointerTable'] as const;
export type Program = (typeof PROGRAMS)[number];

/** Compiles each of `PROGRAMS` with the default `llc` options. */
export function compilePrograms(): Record<Program, Buffer> {
  return Object.fromEntries(PROGRAMS.map((p) => [p, compileIr(IR[p])])) as Record<Program, Buffer>;
}
