/** Cluster, slot, blockhash, fee and rent methods, and the chain's own warp methods. */
import { type Chain, MAX_PROCESSING_AGE } from '../chain.ts';
import { InvalidParamsError } from '../errors.ts';
import { messageFee } from '../fees.ts';
import { config, pubkey, str, uint } from '../params.ts';
import { recentPrioritizationFees } from '../priority-fees.ts';
import { parseMessage, WireFormatError } from '../wire.ts';
import { FEATURE_SET, SOLANA_CORE_VERSION, type RpcMethod, withContext } from './types.ts';

/** A validator's cap on `getRecentPrioritizationFees` accounts. */
const MAX_FEE_ACCOUNTS = 128;

const blockhashValue = (chain: Chain): { blockhash: string; lastValidBlockHeight: number } => ({
  blockhash: chain.latest.blockhash,
  lastValidBlockHeight: chain.latest.blockHeight + MAX_PROCESSING_AGE,
});

/** Cluster methods by name. */
export const clusterMethods: Record<string, RpcMethod> = {
  getVersion: () => ({ 'feature-set': FEATURE_SET, 'solana-core': SOLANA_CORE_VERSION }),
  getHealth: () => 'ok',
  getGenesisHash: (_p, chain) => chain.genesisHash,
  getIdentity: (_p, chain) => ({ identity: chain.genesis.wallet }),
  getSlot: ([c], chain) => (config(c), chain.latest.slot),
  getBlockHeight: ([c], chain) => (config(c), chain.latest.blockHeight),
  getTransactionCount: ([c], chain) => (config(c), chain.history.txs.size),
  getEpochInfo: ([c], chain) => {
    config(c);
    const { epoch, slotIndex, slotsInEpoch } = chain.epochInfo();
    return {
      absoluteSlot: chain.latest.slot,
      blockHeight: chain.latest.blockHeight,
      epoch: Number(epoch),
      slotIndex: Number(slotIndex),
      slotsInEpoch: Number(slotsInEpoch),
      transactionCount: chain.history.txs.size,
    };
  },
  getEpochSchedule: (_p, chain) => {
    const s = chain.engine.svm.getEpochSchedule();
    return {
      firstNormalEpoch: Number(s.firstNormalEpoch),
      firstNormalSlot: Number(s.firstNormalSlot),
      leaderScheduleSlotOffset: Number(s.leaderScheduleSlotOffset),
      slotsPerEpoch: Number(s.slotsPerEpoch),
      warmup: s.warmup,
    };
  },
  getLatestBlockhash: ([c], chain) => (config(c), withContext(chain, blockhashValue(chain))),
  isBlockhashValid: ([h, c], chain) => (config(c), withContext(chain, chain.isBlockhashValid(str(h, 'blockhash')))),
  getFeeForMessage: ([m, c], chain) => {
    config(c);
    let msg;
    try {
      msg = parseMessage(Buffer.from(str(m, 'message'), 'base64'));
    } catch (e) {
      if (e instanceof WireFormatError) throw new InvalidParamsError(`invalid message: ${e.message}`);
      throw e;
    }
    return withContext(chain, chain.isBlockhashValid(msg.recentBlockhash) ? messageFee(msg) : null);
  },
  getMinimumBalanceForRentExemption: ([n, c], chain) => (config(c), chain.engine.rentExempt(uint(n ?? 0, 'data length'))),
  getFirstAvailableBlock: () => 0,
  getRecentPrioritizationFees: ([ks], chain) => {
    if (ks !== undefined && ks !== null && !Array.isArray(ks)) throw new InvalidParamsError('Invalid params: expected an array of public keys');
    const keys = ((ks as unknown[] | null | undefined) ?? []).map((k) => pubkey(k));
    if (keys.length > MAX_FEE_ACCOUNTS) throw new InvalidParamsError(`Too many inputs provided; max ${MAX_FEE_ACCOUNTS}`);
    return recentPrioritizationFees(chain.history, keys);
  },
  minimumLedgerSlot: () => 0,
  /** Warps the chain forward to a slot: `spicetime_warpToSlot [slot]`. Returns the new slot. */
  spicetime_warpToSlot: ([s], chain) => {
    chain.warpToSlot(uint(s, 'slot'));
    return chain.latest.slot;
  },
  /** Moves chain time forward: `spicetime_advanceTime [seconds]`. Returns the Clock's unix time. */
  spicetime_advanceTime: ([s], chain) => {
    chain.advanceTime(uint(s, 'seconds'));
    return chain.time();
  },
};

