/**
 * IR expansions for operations the upstream BPF backend turns into library calls it cannot emit:
 * 128-bit multiply, divide and shift, signed division, and multiply-with-overflow.
 */

let unique = 0;

/** Emits fresh SSA values into a list of IR lines at a given indent. */
export class IrBuilder {
  readonly lines: string[] = [];
  private readonly id = unique++;
  private n = 0;
  constructor(private readonly indent: string) {}
  /** Emits `%v = expr` and returns `%v`. */
  value(expr: string): string {
    const name = `%__lg${this.id}.${this.n++}`;
    this.lines.push(`${this.indent}${name} = ${expr}`);
    return name;
  }
  /** Emits a line as it is. */
  raw(s: string): void {
    this.lines.push(this.indent + s);
  }
}

const M32 = 4294967295;

/** Splits an i128 into [low, high] i64 halves. */
export function split128(b: IrBuilder, x: string): [string, string] {
  return [b.value(`trunc i128 ${x} to i64`), b.value(`trunc i128 ${b.value(`lshr i128 ${x}, 64`)} to i64`)];
}

/** Joins two i64 halves into an i128. */
export function join128(b: IrBuilder, lo: string, hi: string): string {
  const h = b.value(`shl i128 ${b.value(`zext i64 ${hi} to i128`)}, 64`);
  return b.value(`or i128 ${h}, ${b.value(`zext i64 ${lo} to i128`)}`);
}

/** i128 × i128 (low 128 bits) by 32-bit schoolbook multiplication on i64 registers. */
export function mul128(b: IrBuilder, x: string, y: string): string {
  const [alo, ahi] = split128(b, x);
  const [blo, bhi] = split128(b, y);
  const x0 = b.value(`and i64 ${alo}, ${M32}`);
  const x1 = b.value(`lshr i64 ${alo}, 32`);
  const y0 = b.value(`and i64 ${blo}, ${M32}`);
  const y1 = b.value(`lshr i64 ${blo}, 32`);
  const p00 = b.value(`mul i64 ${x0}, ${y0}`);
  const p01 = b.value(`mul i64 ${x0}, ${y1}`);
  const p10 = b.value(`mul i64 ${x1}, ${y0}`);
  const p11 = b.value(`mul i64 ${x1}, ${y1}`);
  const mid0 = b.value(`add i64 ${b.value(`lshr i64 ${p00}, 32`)}, ${b.value(`and i64 ${p01}, ${M32}`)}`);
  const mid = b.value(`add i64 ${mid0}, ${b.value(`and i64 ${p10}, ${M32}`)}`);
  const lo = b.value(`or i64 ${b.value(`and i64 ${p00}, ${M32}`)}, ${b.value(`shl i64 ${mid}, 32`)}`);
  let hi = b.value(`add i64 ${p11}, ${b.value(`lshr i64 ${p01}, 32`)}`);
  hi = b.value(`add i64 ${hi}, ${b.value(`lshr i64 ${p10}, 32`)}`);
  hi = b.value(`add i64 ${hi}, ${b.value(`lshr i64 ${mid}, 32`)}`);
  hi = b.value(`add i64 ${hi}, ${b.value(`mul i64 ${alo}, ${bhi}`)}`);
  hi = b.value(`add i64 ${hi}, ${b.value(`mul i64 ${ahi}, ${blo}`)}`);
  return join128(b, lo, hi);
}

/** Allocas the current function needs for 128-bit division results. */
export interface DivisionSlots {
  allocas: string[];
}

/** Calls the appended `@__sbpf_udivmod128` helper; returns the quotient or remainder. */
export function udivmod128(b: IrBuilder, slots: DivisionSlots, op: 'udiv' | 'urem', x: string, y: string): string {
  const slot = `%__dm${unique++}`;
  slots.allocas.push(`  ${slot} = alloca [4 x i64], align 8`);
  const [nlo, nhi] = split128(b, x);
  const [dlo, dhi] = split128(b, y);
  b.raw(`call void @__sbpf_udivmod128(ptr ${slot}, i64 ${nlo}, i64 ${nhi}, i64 ${dlo}, i64 ${dhi})`);
  if (op === 'udiv') return b.value(`load i128, ptr ${slot}, align 8`);
  return b.value(`load i128, ptr ${b.value(`getelementptr i8, ptr ${slot}, i64 16`)}, align 8`);
}

function absSigned(b: IrBuilder, ty: string, x: string, bits: number): [string, string] {
  const sign = b.value(`ashr ${ty} ${x}, ${bits - 1}`);
  return [b.value(`sub ${ty} ${b.value(`xor ${ty} ${x}, ${sign}`)}, ${sign}`), sign];
}
const applySign = (b: IrBuilder, ty: string, x: string, sign: string): string =>
  b.value(`sub ${ty} ${b.value(`xor ${ty} ${x}, ${sign}`)}, ${sign}`);

/**
 * Signed division or remainder through unsigned division and a sign fix-up (upstream LLVM's BPF
 * backend has no signed divide below cpu v4). Rounds toward zero; the remainder takes the
 * dividend's sign.
 */
export function signedDivRem(b: IrBuilder, slots: DivisionSlots, op: 'sdiv' | 'srem', ty: string, x: string, y: string): string {
  const bits = Number(ty.slice(1));
  const [ax, sx] = absSigned(b, ty, x, bits);
  const [ay, sy] = absSigned(b, ty, y, bits);
  if (op === 'sdiv') {
    const q = bits === 128 ? udivmod128(b, slots, 'udiv', ax, ay) : b.value(`udiv ${ty} ${ax}, ${ay}`);
    return applySign(b, ty, q, b.value(`xor ${ty} ${sx}, ${sy}`));
  }
  const r = bits === 128 ? udivmod128(b, slots, 'urem', ax, ay) : b.value(`urem ${ty} ${ax}, ${ay}`);
  return applySign(b, ty, r, sx);
}

/** i128 shift by a variable amount, as selects over 64-bit shifts. */
export function shift128(b: IrBuilder, op: 'shl' | 'lshr' | 'ashr', x: string, amount: string): string {
  const [lo, hi] = split128(b, x);
  const s = b.value(`trunc i128 ${amount} to i64`);
  const big = b.value(`icmp uge i64 ${s}, 64`);
  const sm = b.value(`and i64 ${s}, 63`);
  const zero = b.value(`icmp eq i64 ${sm}, 0`);
  const inv = b.value(`sub i64 64, ${sm}`);
  if (op === 'shl') {
    const los = b.value(`shl i64 ${lo}, ${sm}`);
    const his = b.value(`shl i64 ${hi}, ${sm}`);
    const carry = b.value(`select i1 ${zero}, i64 0, i64 ${b.value(`lshr i64 ${lo}, ${inv}`)}`);
    const nlo = b.value(`select i1 ${big}, i64 0, i64 ${los}`);
    const nhi = b.value(`select i1 ${big}, i64 ${los}, i64 ${b.value(`or i64 ${his}, ${carry}`)}`);
    return join128(b, nlo, nhi);
  }
  const his = b.value(`${op} i64 ${hi}, ${sm}`);
  const los = b.value(`lshr i64 ${lo}, ${sm}`);
  const carry = b.value(`select i1 ${zero}, i64 0, i64 ${b.value(`shl i64 ${hi}, ${inv}`)}`);
  const fill = op === 'ashr' ? b.value(`ashr i64 ${hi}, 63`) : '0';
  const nlo = b.value(`select i1 ${big}, i64 ${his}, i64 ${b.value(`or i64 ${los}, ${carry}`)}`);
  const nhi = b.value(`select i1 ${big}, i64 ${fill}, i64 ${his}`);
  return join128(b, nlo, nhi);
}

/** u64 × u64 with an overflow flag, checked by dividing the product back. */
export function umulOverflow64(b: IrBuilder, x: string, y: string): [string, string] {
  const prod = b.value(`mul i64 ${x}, ${y}`);
  const nonzero = b.value(`icmp ne i64 ${x}, 0`);
  const divisor = b.value(`select i1 ${nonzero}, i64 ${x}, i64 1`);
  const q = b.value(`udiv i64 ${prod}, ${divisor}`);
  return [prod, b.value(`and i1 ${nonzero}, ${b.value(`icmp ne i64 ${q}, ${y}`)}`)];
}

/** i64 × i64 signed, with an overflow flag. */
export function smulOverflow64(b: IrBuilder, slots: DivisionSlots, x: string, y: string): [string, string] {
  const prod = b.value(`mul i64 ${x}, ${y}`);
  const nonzero = b.value(`icmp ne i64 ${x}, 0`);
  const divisor = b.value(`select i1 ${nonzero}, i64 ${x}, i64 1`);
  const q = signedDivRem(b, slots, 'sdiv', 'i64', prod, divisor);
  const minByMinusOne = b.value(
    `and i1 ${b.value(`icmp eq i64 ${x}, -1`)}, ${b.value(`icmp eq i64 ${y}, -9223372036854775808`)}`,
  );
  const mismatch = b.value(`or i1 ${minByMinusOne}, ${b.value(`icmp ne i64 ${q}, ${y}`)}`);
  return [prod, b.value(`and i1 ${nonzero}, ${mismatch}`)];
}

/** u128 × u128 with an overflow flag: both high halves set, a cross product or a carry overflows. */
export function umulOverflow128(b: IrBuilder, x: string, y: string): [string, string] {
  const prod = mul128(b, x, y);
  const [alo, ahi] = split128(b, x);
  const [blo, bhi] = split128(b, y);
  const both = b.value(`and i1 ${b.value(`icmp ne i64 ${ahi}, 0`)}, ${b.value(`icmp ne i64 ${bhi}, 0`)}`);
  const [c1, o1] = umulOverflow64(b, ahi, blo);
  const [c2, o2] = umulOverflow64(b, alo, bhi);
  const cross = b.value(`add i64 ${c1}, ${c2}`);
  const o3 = b.value(`icmp ult i64 ${cross}, ${c1}`);
  const lowProduct = mul128(b, b.value(`zext i64 ${alo} to i128`), b.value(`zext i64 ${blo} to i128`));
  const phi = split128(b, lowProduct)[1];
  const hi = b.value(`add i64 ${phi}, ${cross}`);
  const o4 = b.value(`icmp ult i64 ${hi}, ${cross}`);
  const any = b.value(`or i1 ${b.value(`or i1 ${both}, ${o1}`)}, ${b.value(`or i1 ${b.value(`or i1 ${o2}, ${o3}`)}, ${o4}`)}`);
  return [prod, any];
}

/** i128 × i128 signed, with an overflow flag: the magnitudes' product must fit the result's sign. */
export function smulOverflow128(b: IrBuilder, x: string, y: string): [string, string] {
  const prod = mul128(b, x, y);
  const [ax] = absSigned(b, 'i128', x, 128);
  const [ay] = absSigned(b, 'i128', y, 128);
  const [magnitude, unsignedOverflow] = umulOverflow128(b, ax, ay);
  const negative = b.value(`icmp slt i128 ${b.value(`xor i128 ${x}, ${y}`)}, 0`);
  const topBit = b.value(`icmp ugt i128 ${magnitude}, 170141183460469231731687303715884105727`);
  const exactlyMin = b.value(`icmp eq i128 ${magnitude}, -170141183460469231731687303715884105728`);
  const fitsAsMin = b.value(`and i1 ${negative}, ${exactlyMin}`);
  const tooBig = b.value(`and i1 ${topBit}, ${b.value(`xor i1 ${fitsAsMin}, true`)}`);
  return [prod, b.value(`or i1 ${unsignedOverflow}, ${tooBig}`)];
}
