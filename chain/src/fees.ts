/** Transaction fees as the runtime charges them: 5,000 lamports a signature plus the priority fee. */
import type { WireTransaction } from './wire.ts';

/** Lamports per signature. */
export const LAMPORTS_PER_SIGNATURE = 5000;
const COMPUTE_BUDGET = 'ComputeBudget111111111111111111111111111111';
const DEFAULT_UNITS_PER_IX = 200_000;
const MAX_UNITS = 1_400_000;

/** A message's compute-budget settings: unit price (micro-lamports), unit limit (null: default) and its other instructions. */
export function computeBudget(tx: Pick<WireTransaction, 'staticKeys' | 'instructions'>): { price: bigint; limit: number | null; nonBudget: number } {
  let price = 0n;
  let limit: number | null = null;
  let nonBudget = 0;
  for (const ix of tx.instructions) {
    if (tx.staticKeys[ix.programIdIndex] !== COMPUTE_BUDGET) {
      nonBudget++;
      continue;
    }
    const d = ix.data;
    const view = new DataView(d.buffer, d.byteOffset, d.byteLength);
    if (d[0] === 2 && d.length >= 5) limit = view.getUint32(1, true);
    if (d[0] === 3 && d.length >= 9) price = view.getBigUint64(1, true);
  }
  return { price, limit, nonBudget };
}

/** The fee a message pays: signatures × 5,000 + ceil(unit price × unit limit / 10⁶). */
export function messageFee(tx: Pick<WireTransaction, 'header' | 'staticKeys' | 'instructions'>): number {
  const { price, limit, nonBudget } = computeBudget(tx);
  const units = BigInt(Math.min(limit ?? nonBudget * DEFAULT_UNITS_PER_IX, MAX_UNITS));
  const priority = (price * units + 999_999n) / 1_000_000n;
  return tx.header.numRequiredSignatures * LAMPORTS_PER_SIGNATURE + Number(priority);
}
