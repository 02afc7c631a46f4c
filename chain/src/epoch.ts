/** Epoch arithmetic of agave's `EpochSchedule` (with warmup). */

const MINIMUM_SLOTS_PER_EPOCH = 32n;
const tz = (n: bigint): bigint => {
  let k = 0n;
  while (n > 0n && (n & 1n) === 0n) {
    n >>= 1n;
    k++;
  }
  return k;
};
const nextPow2 = (n: bigint): bigint => {
  let p = 1n;
  while (p < n) p <<= 1n;
  return p;
};

/** The fields of an epoch schedule the arithmetic needs. */
export interface EpochScheduleLike {
  slotsPerEpoch: bigint;
  warmup: boolean;
  firstNormalEpoch: bigint;
  firstNormalSlot: bigint;
}

/** The epoch of `slot`, its index in it and the epoch's length. */
export function epochOf(s: EpochScheduleLike, slot: bigint): { epoch: bigint; slotIndex: bigint; slotsInEpoch: bigint; firstSlot: bigint } {
  if (s.warmup && slot < s.firstNormalSlot) {
    const epoch = tz(nextPow2(slot + MINIMUM_SLOTS_PER_EPOCH + 1n)) - tz(MINIMUM_SLOTS_PER_EPOCH) - 1n;
    const len = 1n << (epoch + tz(MINIMUM_SLOTS_PER_EPOCH));
    const firstSlot = len - MINIMUM_SLOTS_PER_EPOCH;
    return { epoch, slotIndex: slot - firstSlot, slotsInEpoch: len, firstSlot };
  }
  const normal = slot - s.firstNormalSlot;
  const epoch = s.firstNormalEpoch + normal / s.slotsPerEpoch;
  const slotIndex = normal % s.slotsPerEpoch;
  return { epoch, slotIndex, slotsInEpoch: s.slotsPerEpoch, firstSlot: slot - slotIndex };
}
