/**
 * The SlotHashes sysvar as the chain keeps it: the newest 512 blocks' (slot, blockhash), newest
 * first. The address lookup table program reads it (a table's `recentSlot` must be in it), as can
 * any program given the sysvar's account, and the SVM when it loads a lookup table. Writing it
 * into the SVM costs ~0.7 ms, so it is written only before a transaction that can read it (or a
 * read of its account), and only when a block was added since. Left alone: a program reading it
 * through the `sol_get_sysvar` syscall without the account or the lookup table program in its
 * transaction sees the entries as of the last write.
 */
import type { Engine } from './engine.ts';
import { LOOKUP_TABLE_PROGRAM } from './lookup-table.ts';

/** How many entries the sysvar holds (agave's MAX_ENTRIES). */
const MAX_ENTRIES = 512;
/** The sysvar's account. */
export const SLOT_HASHES_SYSVAR = 'SysvarS1otHashes111111111111111111111111111';
/** The programs and accounts whose presence in a transaction means the sysvar may be read. */
const READERS = new Set([LOOKUP_TABLE_PROGRAM, SLOT_HASHES_SYSVAR]);

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

  /** Whether `slot`'s block is among the entries. */
  has(slot: bigint): boolean {
    return this.entries.some((e) => e.slot === slot);
  }

  /**
   * Writes the sysvar into `engine`, when it changed, for a transaction that may read it: one with
   * `keys` naming a reader, or one that loads lookup tables (`usesTables`: the SVM checks a
   * deactivated table's cool-down against it), or a read of the sysvar's account.
   */
  writeFor(keys: readonly string[], usesTables: boolean, engine: Engine): void {
    if (this.written || (!usesTables && !keys.some((k) => READERS.has(k)))) return;
    engine.setSlotHashes(this.entries);
    this.written = true;
  }
}
