/**
 * IR of `@__sbpf_udivmod128(out, nlo, nhi, dlo, dhi)`: 128/128 restoring division writing the
 * quotient to out[0..16] and the remainder to out[16..32]. Three paths: 64/64 with the hardware
 * divide; a 64-bit divisor (the common fixed-point case: ~100 instructions) with one hardware
 * divide for the high word, then the low word as two 32-bit digits, each estimated by a hardware
 * divide by the normalised divisor's top digit and corrected at most twice (Knuth's algorithm D
 * for a two-digit divisor, as in Hacker's Delight's `divlu`); and the general 128-bit loop.
 * Appended to the module whenever an i128 division is legalised. Division by zero is the caller's
 * to rule out, as Rust does before every division.
 */
/**
 * Shifts `v` (non-zero) left until its top bit is set, in six halving steps of compare and select
 * (SBPF has no count-leading-zeros): `out` is the normalised divisor, `shift` how far it moved.
 */
function normalise(v: string, out: string, shift: string): string {
  let ir = '';
  let [value, moved] = [`%${v}`, '0'];
  for (const bits of [32, 16, 8, 4, 2, 1]) {
    const last = bits === 1;
    const [nv, ns] = last ? [`%${out}`, `%${shift}`] : [`%mv${bits}`, `%ms${bits}`];
    const below = BigInt.asIntN(64, 1n << BigInt(64 - bits)); // below it: the top bits are clear
    ir += `  %mz${bits} = icmp ult i64 ${value}, ${below}
  %mv${bits}s = shl i64 ${value}, ${bits}
  ${nv} = select i1 %mz${bits}, i64 %mv${bits}s, i64 ${value}
  %ms${bits}a = add i64 ${moved}, ${bits}
  ${ns} = select i1 %mz${bits}, i64 %ms${bits}a, i64 ${moved}
`;
    [value, moved] = [nv, ns];
  }
  return ir;
}

/**
 * One 32-bit quotient digit of (high·2^32 + low) / v for the normalised divisor v = vn1·2^32 + vn0:
 * estimated by a hardware divide of `high` by vn1, corrected down while it is too large (Hacker's
 * Delight's `divlu`); `rest` is what remains for the next digit.
 */
function quotientDigit(k: number, from: string, high: string, low: string, rest: string): string {
  return `  %q${k}a = udiv i64 %${high}, %vn1
  %rh${k}a = urem i64 %${high}, %vn1
  br label %d${k}
d${k}:
  %q${k} = phi i64 [ %q${k}a, %${from} ], [ %q${k}dec, %d${k}more ]
  %rh${k} = phi i64 [ %rh${k}a, %${from} ], [ %rh${k}inc, %d${k}more ]
  %q${k}big = icmp ugt i64 %q${k}, 4294967295
  br i1 %q${k}big, label %d${k}fix, label %d${k}cmp
d${k}cmp:
  %p${k} = mul i64 %q${k}, %vn0
  %t${k}s = shl i64 %rh${k}, 32
  %t${k} = or i64 %t${k}s, %${low}
  %gt${k} = icmp ugt i64 %p${k}, %t${k}
  br i1 %gt${k}, label %d${k}fix, label %d${k}done
d${k}fix:
  %q${k}dec = sub i64 %q${k}, 1
  %rh${k}inc = add i64 %rh${k}, %vn1
  %rh${k}big = icmp ugt i64 %rh${k}inc, 4294967295
  br i1 %rh${k}big, label %d${k}done, label %d${k}more
d${k}more:
  br label %d${k}
d${k}done:
  %q${k}f = phi i64 [ %q${k}, %d${k}cmp ], [ %q${k}dec, %d${k}fix ]
  %${high}b = shl i64 %${high}, 32
  %${high}bl = or i64 %${high}b, %${low}
  %q${k}v = mul i64 %q${k}f, %mv
  %${rest} = sub i64 %${high}bl, %q${k}v
`;
}

export const UDIVMOD128_IR = `
define internal void @__sbpf_udivmod128(ptr %out, i64 %nlo, i64 %nhi, i64 %dlo, i64 %dhi) noinline {
entry:
  %both = or i64 %nhi, %dhi
  %small = icmp eq i64 %both, 0
  br i1 %small, label %fast, label %check_mid
check_mid:
  %dhi_zero = icmp eq i64 %dhi, 0
  br i1 %dhi_zero, label %mid, label %slow
mid:
  %qh = udiv i64 %nhi, %dlo
  %u1 = urem i64 %nhi, %dlo
${normalise('dlo', 'mv', 'ms')}  %vn1 = lshr i64 %mv, 32
  %vn0 = and i64 %mv, 4294967295
  %u1s = shl i64 %u1, %ms
  %nlo1 = lshr i64 %nlo, 1
  %sinv = sub i64 63, %ms
  %u0top = lshr i64 %nlo1, %sinv
  %un32 = or i64 %u1s, %u0top
  %un10 = shl i64 %nlo, %ms
  %un1 = lshr i64 %un10, 32
  %un0 = and i64 %un10, 4294967295
${quotientDigit(1, 'mid', 'un32', 'un1', 'un21')}${quotientDigit(0, 'd1done', 'un21', 'un0', 'rn')}  %mr = lshr i64 %rn, %ms
  %q1hi = shl i64 %q1f, 32
  %mq = or i64 %q1hi, %q0f
  %mq.lo = zext i64 %mq to i128
  %mq.hi0 = zext i64 %qh to i128
  %mq.hi = shl i128 %mq.hi0, 64
  %mq128 = or i128 %mq.hi, %mq.lo
  %mr128 = zext i64 %mr to i128
  store i128 %mq128, ptr %out, align 8
  %pr1 = getelementptr i8, ptr %out, i64 16
  store i128 %mr128, ptr %pr1, align 8
  ret void
fast:
  %q64 = udiv i64 %nlo, %dlo
  %r64 = urem i64 %nlo, %dlo
  %q128 = zext i64 %q64 to i128
  %r128 = zext i64 %r64 to i128
  store i128 %q128, ptr %out, align 8
  %pr0 = getelementptr i8, ptr %out, i64 16
  store i128 %r128, ptr %pr0, align 8
  ret void
slow:
  %n.l = zext i64 %nlo to i128
  %n.h0 = zext i64 %nhi to i128
  %n.h = shl i128 %n.h0, 64
  %n = or i128 %n.h, %n.l
  %d.l = zext i64 %dlo to i128
  %d.h0 = zext i64 %dhi to i128
  %d.h = shl i128 %d.h0, 64
  %d = or i128 %d.h, %d.l
  br label %norm
norm:
  %nn = phi i128 [ %n, %slow ], [ %nn.next, %norm ]
  %cnt = phi i64 [ 128, %slow ], [ %cnt.next, %norm ]
  %top8 = lshr i128 %nn, 120
  %z8 = icmp eq i128 %top8, 0
  %big = icmp ugt i64 %cnt, 8
  %go = and i1 %z8, %big
  %nn.sh = shl i128 %nn, 8
  %nn.next = select i1 %go, i128 %nn.sh, i128 %nn
  %cnt.dec = sub i64 %cnt, 8
  %cnt.next = select i1 %go, i64 %cnt.dec, i64 %cnt
  br i1 %go, label %norm, label %loop
loop:
  %i = phi i64 [ 0, %norm ], [ %i.next, %loop ]
  %q = phi i128 [ %nn, %norm ], [ %q.next, %loop ]
  %r = phi i128 [ 0, %norm ], [ %r.next, %loop ]
  %rc = lshr i128 %r, 127
  %carry = icmp ne i128 %rc, 0
  %r.sh = shl i128 %r, 1
  %top = lshr i128 %q, 127
  %r1 = or i128 %r.sh, %top
  %q.sh = shl i128 %q, 1
  %ge0 = icmp uge i128 %r1, %d
  %ge = or i1 %carry, %ge0
  %r.sub = sub i128 %r1, %d
  %r.next = select i1 %ge, i128 %r.sub, i128 %r1
  %bit = zext i1 %ge to i128
  %q.next = or i128 %q.sh, %bit
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %cnt
  br i1 %done, label %exit, label %loop
exit:
  store i128 %q.next, ptr %out, align 8
  %pr = getelementptr i8, ptr %out, i64 16
  store i128 %r.next, ptr %pr, align 8
  ret void
}
`;
