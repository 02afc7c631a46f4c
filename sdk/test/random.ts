/** Seeded randomness for the property tests. */

/** xorshift64*: the same sequence for the same seed. */
export class Random {
  constructor(private state: bigint) {}
  next(): bigint {
    let x = this.state;
    x ^= x >> 12n;
    x ^= (x << 25n) & 0xffff_ffff_ffff_ffffn;
    x ^= x >> 27n;
    this.state = x;
    return (x * 0x2545f4914f6cdd1dn) & 0xffff_ffff_ffff_ffffn;
  }
  /** 0 ≤ n < `n`. */
  below(n: number): number {
    return Number(this.next() % BigInt(n));
  }
  /** 1 ≤ n ≤ `max`. */
  amount(max: bigint): bigint {
    return (this.next() % max) + 1n;
  }
  /** 0 ≤ n ≤ `max`. */
  upTo(max: bigint): bigint {
    return this.next() % (max + 1n);
  }
  pick<T>(list: readonly T[]): T {
    return list[this.below(list.length)]!;
  }
  chance(percent: number): boolean {
    return this.below(10_000) < percent * 100;
  }
}
