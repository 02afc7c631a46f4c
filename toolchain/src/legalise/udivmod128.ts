/**
 * IR of `@__sbpf_udivmod128(out, nlo, nhi, dlo, dhi)`: 128/128 restoring division writing the
 * quotient to out[0..16] and the remainder to out[16..32]. Three paths: 64/64 with the hardware
 * divide; a divisor below 2^63 (the common fixed-point case) with one hardware divide for the high
 * word and a 64-step loop on 64-bit registers for the low word; and the general 128-bit loop.
 * Appended to the module whenever an i128 division is legalised. Division by zero is the caller's
 * to rule out, as Rust does before every division.
 */
export const UDIVMOD128_IR = `
define internal void @__sbpf_udivmod128(ptr %out, i64 %nlo, i64 %nhi, i64 %dlo, i64 %dhi) noinline {
entry:
  %both = or i64 %nhi, %dhi
  %small = icmp eq i64 %both, 0
  br i1 %small, label %fast, label %check_mid
check_mid:
  %dhi_zero = icmp eq i64 %dhi, 0
  %dlo_small = icmp sge i64 %dlo, 0
  %mid_ok = and i1 %dhi_zero, %dlo_small
  br i1 %mid_ok, label %mid, label %slow
mid:
  %qh = udiv i64 %nhi, %dlo
  %rh = urem i64 %nhi, %dlo
  br label %mloop
mloop:
  %mi = phi i64 [ 63, %mid ], [ %mi.next, %mloop ]
  %mr = phi i64 [ %rh, %mid ], [ %mr.next, %mloop ]
  %mq = phi i64 [ 0, %mid ], [ %mq.next, %mloop ]
  %mbit = lshr i64 %nlo, %mi
  %mbit1 = and i64 %mbit, 1
  %mr2 = shl i64 %mr, 1
  %mr3 = or i64 %mr2, %mbit1
  %mge = icmp uge i64 %mr3, %dlo
  %mrsub = sub i64 %mr3, %dlo
  %mr.next = select i1 %mge, i64 %mrsub, i64 %mr3
  %mq2 = shl i64 %mq, 1
  %mgebit = zext i1 %mge to i64
  %mq.next = or i64 %mq2, %mgebit
  %mi.next = sub i64 %mi, 1
  %mdone = icmp eq i64 %mi, 0
  br i1 %mdone, label %mexit, label %mloop
mexit:
  %mq.lo = zext i64 %mq.next to i128
  %mq.hi0 = zext i64 %qh to i128
  %mq.hi = shl i128 %mq.hi0, 64
  %mq128 = or i128 %mq.hi, %mq.lo
  %mr128 = zext i64 %mr.next to i128
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
