import {
  type DivisionSlots,
  IrBuilder,
  mul128,
  shift128,
  signedDivRem,
  smulOverflow128,
  smulOverflow64,
  udivmod128,
  umulOverflow128,
  umulOverflow64,
} from './ir-builder.ts';
import { matchParen, parseDefine, splitTopLevel } from './ir-text.ts';
import { UDIVMOD128_IR } from './udivmod128.ts';

/**
 * The IR legaliser: rewrites post-LTO textual LLVM IR into what upstream LLVM's BPF backend
 * compiles, where Solana's LLVM fork would have had support.
 *
 *  1. `llvm.memcpy/memmove/memset` with a variable or large length → `sol_memcpy_/…` syscalls
 *  2. `sdiv`/`srem` on i8…i64 → unsigned division with a sign fix-up
 *  3. i128 `mul` → 64-bit schoolbook multiplication
 *  4. i128 `udiv/urem/sdiv/srem` → an appended restoring-division helper
 *  5. i128 `shl/lshr/ashr` by a variable amount → selects over 64-bit shifts
 *  6. `llvm.{u,s}mul.with.overflow.{i64,i128}` → multiply + check
 *  7. `memcmp`/`bcmp` (slice comparisons) declared but undefined → defined over the `sol_memcmp_` syscall
 *  8. functions with more than 5 parameters or a pair/aggregate/i128 return → `alwaysinline`
 *     (the BPF calling convention has 5 argument registers and one return register), and
 *     `noinline` dropped from the call sites of such functions (rustc marks every call of an
 *     `#[inline(never)]` function so)
 */
export interface LegaliseOptions {
  /** Mem intrinsics with a constant length up to this many bytes stay inline. */
  inlineMax?: number;
}

/** The legalised IR and how often each rewrite fired. */
export interface LegaliseResult {
  ir: string;
  stats: Record<string, number>;
}

const MEM_INTRINSICS: Record<string, [string, string]> = {
  'llvm.memcpy.p0.p0.i64': ['sol_memcpy_', 'declare void @sol_memcpy_(ptr, ptr, i64)'],
  'llvm.memmove.p0.p0.i64': ['sol_memmove_', 'declare void @sol_memmove_(ptr, ptr, i64)'],
  'llvm.memset.p0.i64': ['sol_memset_', 'declare void @sol_memset_(ptr, i8, i64)'],
};
/** A declaration of libc's `memcmp` or `bcmp`, which rustc calls for slice equality. */
const MEMCMP_DECLARATION = /^declare [^@]*\bi32 @(memcmp|bcmp)\(/;
const SOL_MEMCMP = 'declare void @sol_memcmp_(ptr, ptr, i64, ptr)';
/** `memcmp`/`bcmp` over the runtime's `sol_memcmp_(a, b, n, *result)`. */
const memcmpDefinition = (name: string): string =>
  [
    `define i32 @${name}(ptr %a, ptr %b, i64 %n) {`,
    'start:',
    '  %result = alloca i32, align 4',
    '  call void @sol_memcmp_(ptr %a, ptr %b, i64 %n, ptr %result)',
    '  %value = load i32, ptr %result, align 4',
    '  ret i32 %value',
    '}',
  ].join('\n');
const BINARY = /^(\s*)(%[-\w.$"]+) = (sdiv|srem|udiv|urem|mul|shl|lshr|ashr)((?: exact| nuw| nsw)*) (i\d+) (.+?)(, !.*)?$/;
const MUL_OVERFLOW_64 = /^(\s*)(%[-\w.$"]+) = (?:tail |musttail |notail )?call (?:[\w ]+ )?\{ ?i64, i1 ?\} @llvm\.(u|s)mul\.with\.overflow\.i64\((.*)\)(.*)$/;
const MUL_OVERFLOW_128 = /^(\s*)(%[-\w.$"]+) = (?:tail |musttail |notail )?call (?:[\w ]+ )?\{ ?i128, i1 ?\} @llvm\.(u|s)mul\.with\.overflow\.i128\((.*)\)(.*)$/;
const stripArg = (s: string, ty: string): string => s.replace(new RegExp(`^${ty}\\s+(noundef\\s+)?`), '');

/** Legalises one module; what it cannot legalise is left for {@link findUnsupported} and llc to report. */
export function legaliseIr(input: string, options: LegaliseOptions = {}): LegaliseResult {
  const inlineMax = options.inlineMax ?? 256;
  const stats: Record<string, number> = {};
  const count = (k: string): void => void (stats[k] = (stats[k] ?? 0) + 1);
  const declarations = new Set<string>();
  let needsDivision = false;
  const lines = input.split('\n');
  const out: string[] = [];
  // Copies of attribute groups without `noinline`/`optnone`, numbered after the module's own.
  let nextGroup = Math.max(0, ...[...input.matchAll(/^attributes #(\d+) /gm)].map((m) => Number(m[1]))) + 1;
  const inlinableGroups = new Map<string, number>();
  const inlinableGroup = (n: string): string => {
    if (!inlinableGroups.has(n)) inlinableGroups.set(n, nextGroup++);
    return ` #${inlinableGroups.get(n)}`;
  };

  const rewrite = (line: string, slots: DivisionSlots): string[] | null => {
    for (const [intrinsic, [syscall, declaration]] of Object.entries(MEM_INTRINSICS)) {
      const key = `@${intrinsic}(`;
      const i = line.indexOf(key);
      if (i < 0) continue;
      const j = matchParen(line, i + key.length - 1);
      const args = splitTopLevel(line.slice(i + key.length, j));
      const constant = /^i64\s+(-?\d+)$/.exec(args[2] ?? '');
      if (constant && Number(constant[1]) <= inlineMax) return null;
      declarations.add(declaration);
      count('mem intrinsic -> syscall');
      return [`${line.slice(0, i)}@${syscall}(${args.slice(0, 3).join(', ')})${line.slice(j + 1)}`];
    }
    let m = BINARY.exec(line);
    if (m) {
      const [, indent, dst, op, , ty, operands, metadata] = m as unknown as string[];
      const ops = splitTopLevel(operands!);
      if (ops.length !== 2) return null;
      const [x, y] = ops as [string, string];
      const bits = Number(ty!.slice(1));
      const b = new IrBuilder(indent!);
      let result: string;
      if ((op === 'sdiv' || op === 'srem') && bits <= 64) result = signedDivRem(b, slots, op, ty!, x, y);
      else if (bits === 128 && op === 'mul') result = mul128(b, x, y);
      else if (bits === 128 && (op === 'udiv' || op === 'urem')) result = udivmod128(b, slots, op, x, y);
      else if (bits === 128 && (op === 'sdiv' || op === 'srem')) result = signedDivRem(b, slots, op, ty!, x, y);
      else if (bits === 128 && (op === 'shl' || op === 'lshr' || op === 'ashr') && !/^-?\d+$/.test(y)) result = shift128(b, op, x, y);
      else return null;
      if (bits === 128 && (op === 'sdiv' || op === 'srem' || op === 'udiv' || op === 'urem')) needsDivision = true;
      count(`${op} ${ty}`);
      b.raw(`${dst} = or ${ty} ${result}, 0${metadata ?? ''}`);
      return b.lines;
    }
    m = MUL_OVERFLOW_128.exec(line);
    if (m) {
      const [, indent, dst, kind, args] = m as unknown as string[];
      const [x, y] = splitTopLevel(args!).map((a) => stripArg(a, 'i128')) as [string, string];
      const b = new IrBuilder(indent!);
      const [prod, overflow] = kind === 'u' ? umulOverflow128(b, x, y) : smulOverflow128(b, x, y);
      const agg = b.value(`insertvalue { i128, i1 } poison, i128 ${prod}, 0`);
      b.raw(`${dst} = insertvalue { i128, i1 } ${agg}, i1 ${overflow}, 1`);
      count(`${kind}mul.with.overflow.i128`);
      return b.lines;
    }
    m = MUL_OVERFLOW_64.exec(line);
    if (m) {
      const [, indent, dst, kind, args] = m as unknown as string[];
      const [x, y] = splitTopLevel(args!).map((a) => stripArg(a, 'i64')) as [string, string];
      const b = new IrBuilder(indent!);
      const [prod, overflow] = kind === 'u' ? umulOverflow64(b, x, y) : smulOverflow64(b, slots, x, y);
      const agg = b.value(`insertvalue { i64, i1 } poison, i64 ${prod}, 0`);
      b.raw(`${dst} = insertvalue { i64, i1 } ${agg}, i1 ${overflow}, 1`);
      count(`${kind}mul.with.overflow.i64`);
      return b.lines;
    }
    return null;
  };

  const mustInline = (def: ReturnType<typeof parseDefine>): boolean =>
    (def.params.length > 5 || /^[{[]/.test(def.returnType) || def.returnType === 'i128') && def.name !== 'entrypoint';
  const forceInlined = new Set(lines.filter((l) => l.startsWith('define ')).map(parseDefine).filter(mustInline).map((d) => d.name));
  /** Points a call of a force-inlined function at a copy of its attribute group without `noinline`. */
  const freeCallSite = (line: string): string => {
    const call = /\bcall\b[^@]*@("?[-\w.$]+"?)\(/.exec(line);
    if (!call || !forceInlined.has(call[1]!.replace(/^"|"$/g, ''))) return line;
    const close = matchParen(line, call.index + call[0].length - 1);
    const rest = line.slice(close + 1).replace(/ #(\d+)/, (_s, n: string) => inlinableGroup(n));
    return line.slice(0, close + 1) + rest;
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const compare = MEMCMP_DECLARATION.exec(line);
    if (compare) {
      out.push(memcmpDefinition(compare[1]!));
      declarations.add(SOL_MEMCMP);
      count(`${compare[1]} -> sol_memcmp_`);
      continue;
    }
    if (!line.startsWith('define ')) {
      out.push(line);
      continue;
    }
    const def = parseDefine(line);
    let header = line;
    if (mustInline(def)) {
      header =
        line.slice(0, def.close + 1) +
        line
          .slice(def.close + 1)
          .replace(/ #(\d+)/, (_s, n: string) => inlinableGroup(n))
          .replace(/ \{$/, ' alwaysinline {');
      count(def.params.length > 5 ? 'force-inline (>5 args)' : 'force-inline (pair return)');
    }
    out.push(header);
    const body: string[] = [];
    const slots: DivisionSlots = { allocas: [] };
    for (i++; i < lines.length && lines[i] !== '}'; i++) {
      body.push(...(rewrite(lines[i]!, slots) ?? [freeCallSite(lines[i]!)]));
    }
    let at = 0;
    while (at < body.length && body[at]!.trim() === '') at++;
    if (at < body.length && /^[-\w.$"]+:/.test(body[at]!)) at++;
    body.splice(at, 0, ...slots.allocas);
    out.push(...body, '}');
  }
  let text = out.join('\n');
  for (const [n, copy] of inlinableGroups) {
    const m = new RegExp(`^attributes #${n} = \\{(.*)\\}$`, 'm').exec(text);
    if (m) text += `\nattributes #${copy} = {${m[1]!.replace(/\b(noinline|optnone)\b/g, '')}}\n`;
  }
  for (const d of declarations) {
    const sym = /@(\w+)\(/.exec(d)![1]!;
    if (!new RegExp(`^declare [^\\n]*@${sym}\\(`, 'm').test(text)) text += `\n${d}\n`;
  }
  if (needsDivision) text += UDIVMOD128_IR;
  return { ir: text, stats };
}
