/**
 * `getRecentPrioritizationFees` as a validator answers it: for each of the newest 150 blocks, the
 * lowest compute-unit price paid by a transaction in it (0 for a block without one), raised to the
 * lowest price paid by the transactions that write-lock each requested account, when higher.
 */
import { computeBudget } from './fees.ts';
import type { History, TxRecord } from './history.ts';
import { isWritableIndex, parseTransaction } from './wire.ts';

/** Blocks the answer covers (agave's prioritization fee cache holds 150). */
const BLOCKS = 150;

/** A committed transaction's unit price and write-locked accounts, read from its wire bytes once. */
const priced = new WeakMap<TxRecord, { price: bigint; writable: Set<string> }>();
function priceOf(rec: TxRecord): { price: bigint; writable: Set<string> } {
  let p = priced.get(rec);
  if (!p) {
    const tx = parseTransaction(Buffer.from(rec.wire, 'base64'));
    p = { price: computeBudget(tx).price, writable: new Set(rec.keys.filter((_, i) => isWritableIndex(tx, i))) };
    priced.set(rec, p);
  }
  return p;
}

/** The newest blocks' prioritization fees for `accounts` (none: the blocks' own lowest prices), oldest first. */
export function recentPrioritizationFees(history: History, accounts: readonly string[]): { slot: number; prioritizationFee: number }[] {
  return history.slots.slice(-BLOCKS).map((slot) => {
    const txs = history.blocks.get(slot)!.signatures.map((s) => priceOf(history.txs.get(s)!));
    let fee = txs.length ? txs.reduce((m, t) => (t.price < m ? t.price : m), txs[0]!.price) : 0n;
    for (const a of accounts) {
      const locking = txs.filter((t) => t.writable.has(a));
      if (!locking.length) continue;
      const min = locking.reduce((m, t) => (t.price < m ? t.price : m), locking[0]!.price);
      if (min > fee) fee = min;
    }
    return { slot, prioritizationFee: Number(fee) };
  });
}
