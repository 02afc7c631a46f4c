/**
 * The SlotHashes sysvar as the chain keeps it: the newest 512 blocks' (slot, blockhash), newest
 * first. The address lookup table program reads it (a table's `recentSlot` must be in it), as can
 * any program given the sysvar's account. Writing it into the SVM costs ~0.7 ms, so it is written
 * only before a transaction that can read it, and only when a block was added since.
 */
import type { Engine } from './engine.ts';

/** How many entries the sysvar holds (agave's MAX_ENTRIES). */
const MAX_ENTRIES = 512;
/** The programs and accounts whose presence in a transaction means the sysvar may be read. */
const READERS = new Set(['AddressLookupTab1e1111111111111111111111111', 'SysvarS1otHashes111111111111111111111111111']);

/** The chain's recent slot hashes, written into the SVM on demand. */
export class SlotHashes {
  private readonly entries: { slot: bigint; hash: string }[] = [];
  private written = false;

  /** A new block (slots only grow). */
  add(slot: number, hash: string): void {
    this.entries.unshift({ slot: BigInt(slot), hash });
    if (this.entries.length > MAX_ENTRIES) this.entries.pop();
    this.written = false;
  }

  /** Writes the sysvar into `engine` if a transaction with `keys` may read it and it changed. */
  writeFor(keys: readonly string[], engine: Engine): void {
    if (this.written || !keys.some((k) => READERS.has(k))) return;
    engine.setSlotHashes(this.entries);
    this.written = true;
  }
}
