/**
 * The chain's history in memory: blocks by slot, transactions by signature, signatures by address.
 * Rebuilt from the journal on start.
 */
import type { TransactionErrorJson } from './tx-errors.ts';

/** A transaction's status meta in a validator's `json` encoding (token balances, inner instructions…). */
export interface MetaJson {
  err: TransactionErrorJson | null;
  status: { Ok: null } | { Err: TransactionErrorJson };
  fee: number;
  preBalances: number[];
  postBalances: number[];
  innerInstructions: { index: number; instructions: { programIdIndex: number; accounts: number[]; data: string; stackHeight: number | null }[] }[];
  logMessages: string[];
  preTokenBalances: unknown[];
  postTokenBalances: unknown[];
  rewards: unknown[];
  loadedAddresses: { writable: string[]; readonly: string[] };
  computeUnitsConsumed: number;
  returnData?: { programId: string; data: [string, 'base64'] };
}

/** A committed transaction. */
export interface TxRecord {
  signature: string;
  slot: number;
  blockTime: number;
  /** Wire bytes, base64. */
  wire: string;
  version: 'legacy' | 0;
  /** Every account key: static, then loaded writable, then loaded readonly. */
  keys: string[];
  meta: MetaJson;
}

/** A produced block. */
export interface Block {
  slot: number;
  parentSlot: number;
  blockHeight: number;
  blockTime: number;
  blockhash: string;
  previousBlockhash: string;
  signatures: string[];
}

/** Blocks, transactions and the per-address signature index. */
export class History {
  readonly txs = new Map<string, TxRecord>();
  readonly blocks = new Map<number, Block>();
  /** Produced slots, ascending. */
  readonly slots: number[] = [];
  private readonly byAddress = new Map<string, string[]>();

  /** Adds a block (slots only ever grow). */
  addBlock(block: Block): void {
    this.blocks.set(block.slot, block);
    this.slots.push(block.slot);
  }

  /** Adds a committed transaction and indexes it under each of its account keys. */
  addTx(rec: TxRecord): void {
    this.txs.set(rec.signature, rec);
    for (const k of new Set(rec.keys)) {
      let list = this.byAddress.get(k);
      if (!list) this.byAddress.set(k, (list = []));
      list.push(rec.signature);
    }
  }

  /** Signatures that involve `address`, oldest first. */
  signaturesFor(address: string): readonly string[] {
    return this.byAddress.get(address) ?? [];
  }

  /** Produced slots in [start, end], ascending, at most `limit`. */
  slotsBetween(start: number, end: number, limit: number): number[] {
    let lo = 0;
    let hi = this.slots.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.slots[mid]! < start) lo = mid + 1;
      else hi = mid;
    }
    const out: number[] = [];
    for (let i = lo; i < this.slots.length && this.slots[i]! <= end && out.length < limit; i++) out.push(this.slots[i]!);
    return out;
  }

  /** The latest block. */
  last(): Block {
    return this.blocks.get(this.slots[this.slots.length - 1]!)!;
  }
}
