/** Block methods: getBlock, getBlocks, getBlocksWithLimit, getBlockTime. */
import { BlockNotAvailableError, InvalidParamsError, SlotSkippedError } from '../errors.ts';
import { config, encoding, uint } from '../params.ts';
import { encodeTransaction, TX_ENCODINGS } from '../transaction-json.ts';
import type { RpcMethod } from './types.ts';
import type { Chain } from '../chain.ts';

const MAX_RANGE = 500_000;

const blockAt = (chain: Chain, slot: number) => {
  const block = chain.history.blocks.get(slot);
  if (block) return block;
  if (slot < chain.latest.slot) throw new SlotSkippedError(slot);
  throw new BlockNotAvailableError(slot);
};

/** Block methods by name. */
export const blockMethods: Record<string, RpcMethod> = {
  getBlock: ([s, c], chain) => {
    const slot = uint(s, 'slot');
    const cfg = typeof c === 'string' ? { encoding: c } : config(c);
    if (cfg.commitment === 'processed') throw new InvalidParamsError('Method does not support commitment below `confirmed`');
    const enc = encoding(cfg.encoding, TX_ENCODINGS, 'json');
    const details = encoding(cfg.transactionDetails, ['full', 'signatures', 'none', 'accounts'] as const, 'full');
    const max = cfg.maxSupportedTransactionVersion === undefined ? undefined : uint(cfg.maxSupportedTransactionVersion, 'maxSupportedTransactionVersion');
    const block = blockAt(chain, slot);
    const out: Record<string, unknown> = {
      blockHeight: block.blockHeight,
      blockTime: block.blockTime,
      blockhash: block.blockhash,
      parentSlot: block.parentSlot,
      previousBlockhash: block.previousBlockhash,
    };
    if (cfg.rewards !== false) out.rewards = [];
    if (details === 'signatures') out.signatures = block.signatures;
    else if (details !== 'none') {
      out.transactions = block.signatures.map((sig) => {
        const rec = chain.history.txs.get(sig)!;
        const full = encodeTransaction(rec, details === 'accounts' ? 'jsonParsed' : enc, max);
        if (details === 'accounts') {
          const tx = full.transaction as { message: { accountKeys: unknown }; signatures: string[] };
          const meta = rec.meta;
          const slim: Record<string, unknown> = {
            meta: { err: meta.err, fee: meta.fee, postBalances: meta.postBalances, postTokenBalances: meta.postTokenBalances, preBalances: meta.preBalances, preTokenBalances: meta.preTokenBalances, status: meta.status },
            transaction: { accountKeys: tx.message.accountKeys, signatures: tx.signatures },
          };
          if (max !== undefined) slim.version = rec.version;
          return slim;
        }
        return full;
      });
    }
    return out;
  },
  getBlocks: ([s, e, c], chain) => {
    const start = uint(s, 'start slot');
    let end = chain.latest.slot;
    if (typeof e === 'number') end = uint(e, 'end slot');
    else if (e !== undefined && e !== null) config(e);
    config(c);
    if (end - start > MAX_RANGE) throw new InvalidParamsError(`Slot range too large; max ${MAX_RANGE}`);
    return chain.history.slotsBetween(start, Math.min(end, chain.latest.slot), MAX_RANGE + 1);
  },
  getBlocksWithLimit: ([s, l, c], chain) => {
    const start = uint(s, 'start slot');
    const limit = uint(l, 'limit');
    config(c);
    if (limit > MAX_RANGE) throw new InvalidParamsError(`Limit too large; max ${MAX_RANGE}`);
    return chain.history.slotsBetween(start, chain.latest.slot, limit);
  },
  getBlockTime: ([s], chain) => blockAt(chain, uint(s, 'slot')).blockTime,
};
