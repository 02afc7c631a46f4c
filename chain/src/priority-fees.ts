/**
 * `getRecentPrioritizationFees` as a validator answers it: for each of the newest 150 blocks with
 * transactions, the lowest compute-unit price paid by a transaction in it, raised to the lowest
 * price paid by the transactions that write-lock each requested account, when higher. Prices are
 * read from a record's wire bytes on first use (a first call after a heavy load parses up to 150
 * blocks of transactions).
 */
import { computeBudget } from './fees.ts';
import type { History, TxRecord } from './history.ts';
import { isWritableIndex, parseTransaction } from './wire.ts';

/** Blocks with transactions the answer covers (agave's prioritization fee cache holds 150). */
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

/**
 * The prioritization fees of the newest 150 blocks that hold transactions (a validator's cache
 * skips empty blocks, so an idle chain answers []), for `accounts` (none: the blocks' own lowest
 * prices), oldest first.
 */
export function recentPrioritizationFees(history: History, accounts: readonly string[]): { slot: number; prioritizationFee: number }[] {
  const out: { slot: number; prioritizationFee: number }[] = [];
  for (let i = history.slots.length - 1; i >= 0 && out.length < BLOCKS; i--) {
    const slot = history.slots[i]!;
    const signatures = history.blocks.get(slot)!.signatures;
    if (!signatures.length) continue;
    const txs = signatures.map((s) => priceOf(history.txs.get(s)!));
    let fee = txs.reduce((m, t) => (t.price < m ? t.price : m), txs[0]!.price);
    for (const a of accounts) {
      const locking = txs.filter((t) => t.writable.has(a));
      if (!locking.length) continue;
      const min = locking.reduce((m, t) => (t.price < m ? t.price : m), locking[0]!.price);
      if (min > fee) fee = min;
    }
    out.push({ slot, prioritizationFee: Number(fee) });
  }
  return out.reverse();
}
