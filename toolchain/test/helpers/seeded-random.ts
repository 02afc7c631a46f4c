/** A reproducible stream of random BigInts (SplitMix64), so failing cases can be replayed. */
export class SeededRandom {
  private state: bigint;

  constructor(seed: bigint) {
    this.state = BigInt.asUintN(64, seed);
  }

  /** A uniformly random u64. */
  u64(): bigint {
    this.state = BigInt.asUintN(64, this.state + 0x9e3779b97f4a7c15n);
    let z = this.state;
    z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
    z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
    return z ^ (z >> 31n);
  }

  /** A uniformly random unsigned integer of `bits` bits (up to 128). */
  bits(bits: number): bigint {
    const wide = (this.u64() << 64n) | this.u64();
    return bits === 0 ? 0n : wide >> BigInt(128 - bits);
  }

  /** A number in `[0, n)`. */
  below(n: number): number {
    return Number(this.u64() % BigInt(n));
  }

  /** An unsigned value of `bits` bits whose magnitude is spread over all bit lengths. */
  spread(bits: number): bigint {
    return this.bits(this.below(bits + 1));
  }

  /** Random bytes. */
  bytes(n: number): Uint8Array {
    return Uint8Array.from({ length: n }, () => Number(this.u64() & 0xffn));
  }
}
