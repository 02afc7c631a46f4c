/**
 * Leader, node, vote and performance methods of a single-node cluster: the chain's identity (the
 * wallet, as `getIdentity` says) leads every slot, has no vote account and is the only node.
 */
import type { Chain } from '../chain.ts';
import { epochOf } from '../epoch.ts';
import { InvalidParamsError } from '../errors.ts';
import { config, pubkey, uint } from '../params.ts';
import { FEATURE_SET, type RpcMethod, SOLANA_CORE_VERSION, withContext } from './types.ts';

/** A validator's caps on `getSlotLeaders` and `getRecentPerformanceSamples`. */
const MAX_SLOT_LEADERS = 5000;
const MAX_PERFORMANCE_SAMPLES = 720;
/** Seconds per performance sample, as a validator samples. */
const SAMPLE_SECS = 60;

/**
 * Complete 60-second samples since genesis, newest first, at most `limit`: sample k covers block
 * times [genesis + 60k, genesis + 60(k + 1)) and is complete once a later block exists.
 */
function performanceSamples(chain: Chain, limit: number): { slot: number; numTransactions: number; numNonVoteTransactions: number; numSlots: number; samplePeriodSecs: number }[] {
  const { slots, blocks } = chain.history;
  const genesisTime = blocks.get(slots[0]!)!.blockTime;
  const complete = Math.floor((chain.latest.blockTime - genesisTime) / SAMPLE_SECS);
  const out: ReturnType<typeof performanceSamples> = [];
  let i = slots.length - 1;
  for (let k = complete - 1; k >= 0 && out.length < limit; k--) {
    const start = genesisTime + k * SAMPLE_SECS;
    while (i >= 0 && blocks.get(slots[i]!)!.blockTime >= start + SAMPLE_SECS) i--;
    let numTransactions = 0;
    const slot = i >= 0 ? slots[i]! : 0;
    for (; i >= 0 && blocks.get(slots[i]!)!.blockTime >= start; i--) numTransactions += blocks.get(slots[i]!)!.signatures.length;
    // Slots that passed in the sample (skipped ones too), as a validator's sampler counts them.
    const numSlots = slot - (i >= 0 ? slots[i]! : 0);
    out.push({ slot, numTransactions, numNonVoteTransactions: numTransactions, numSlots, samplePeriodSecs: SAMPLE_SECS });
  }
  return out;
}

/** Leader and cluster methods by name. */
export const leaderMethods: Record<string, RpcMethod> = {
  getSlotLeader: ([c], chain) => (config(c), chain.genesis.wallet),
  getSlotLeaders: ([start, limit], chain) => {
    uint(start, 'start slot');
    const n = uint(limit, 'limit');
    if (n > MAX_SLOT_LEADERS) throw new InvalidParamsError(`Invalid limit; max ${MAX_SLOT_LEADERS}`);
    return new Array<string>(n).fill(chain.genesis.wallet);
  },
  getClusterNodes: (_p, chain) => [
    {
      pubkey: chain.genesis.wallet,
      gossip: null,
      tpu: null,
      tpuQuic: null,
      tpuForwards: null,
      tpuForwardsQuic: null,
      tpuVote: null,
      tvu: null,
      serveRepair: null,
      rpc: null,
      pubsub: null,
      version: SOLANA_CORE_VERSION,
      featureSet: FEATURE_SET,
      shredVersion: 0,
    },
  ],
  getVoteAccounts: ([c]) => {
    const cfg = config(c);
    if (cfg.votePubkey !== undefined) pubkey(cfg.votePubkey, 'votePubkey');
    return { current: [], delinquent: [] };
  },
  getBlockProduction: ([c], chain) => {
    const cfg = config(c);
    if (cfg.range !== undefined && (typeof cfg.range !== 'object' || cfg.range === null || (cfg.range as { firstSlot?: unknown }).firstSlot === undefined)) {
      throw new InvalidParamsError('Invalid params: missing field `firstSlot`');
    }
    const range = (cfg.range ?? {}) as { firstSlot?: unknown; lastSlot?: unknown };
    const lastSlot = range.lastSlot === undefined ? chain.latest.slot : uint(range.lastSlot, 'lastSlot');
    // Without a range: the current epoch so far, as a validator answers.
    const firstSlot = range.firstSlot === undefined ? chain.latest.slot - Number(chain.epochInfo().slotIndex) : uint(range.firstSlot, 'firstSlot');
    if (lastSlot < firstSlot) throw new InvalidParamsError(`lastSlot, ${lastSlot}, cannot be less than firstSlot, ${firstSlot}`);
    if (lastSlot > chain.latest.slot) throw new InvalidParamsError(`lastSlot, ${lastSlot}, cannot be greater than current slot, ${chain.latest.slot}`);
    const identity = cfg.identity === undefined ? null : pubkey(cfg.identity, 'identity');
    const produced = chain.history.slotsBetween(firstSlot, lastSlot, Infinity).length;
    const byIdentity = identity === null || identity === chain.genesis.wallet ? { [chain.genesis.wallet]: [lastSlot - firstSlot + 1, produced] } : {};
    return withContext(chain, { byIdentity, range: { firstSlot, lastSlot } });
  },
  getRecentPerformanceSamples: ([limit], chain) => {
    const n = limit === undefined || limit === null ? MAX_PERFORMANCE_SAMPLES : uint(limit, 'limit');
    if (n > MAX_PERFORMANCE_SAMPLES) throw new InvalidParamsError(`Invalid limit; max ${MAX_PERFORMANCE_SAMPLES}`);
    return performanceSamples(chain, n);
  },
  /**
   * `[slot?, { identity? }]`: the leader schedule of the epoch holding `slot` (default: the
   * current slot) — every slot index is the identity's — or null past the next epoch, as a validator.
   */
  getLeaderSchedule: ([s, c], chain) => {
    const cfg = typeof s === 'object' && s !== null ? config(s) : config(c);
    const slot = typeof s === 'object' || s === undefined ? chain.latest.slot : uint(s, 'slot');
    const schedule = chain.engine.svm.getEpochSchedule();
    const { epoch, slotsInEpoch } = epochOf(schedule, BigInt(slot));
    if (epoch > chain.epochInfo().epoch + 1n) return null;
    const identity = cfg.identity === undefined ? chain.genesis.wallet : pubkey(cfg.identity, 'identity');
    if (identity !== chain.genesis.wallet) return {};
    return { [identity]: Array.from({ length: Number(slotsInEpoch) }, (_, i) => i) };
  },
  getMaxRetransmitSlot: (_p, chain) => chain.latest.slot,
  getMaxShredInsertSlot: (_p, chain) => chain.latest.slot,
};
