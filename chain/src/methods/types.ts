/** What every RPC method handler gets and returns. */
import type { Chain } from '../chain.ts';

/** A JSON-RPC method: positional params in, a JSON-ready result (or a promise of one) out. */
export type RpcMethod = (params: unknown[], chain: Chain) => unknown;

/** The version this server reports as `solana-core` (the agave LiteSVM 1.5 embeds). */
export const SOLANA_CORE_VERSION = '4.3.0';

/** The feature-set id this server reports (`getVersion`, `getClusterNodes`). */
export const FEATURE_SET = 3294202862;

/** A validator's `{ context: { slot, apiVersion }, value }` envelope, at the latest block. */
export const withContext = (chain: Chain, value: unknown): { context: { apiVersion: string; slot: number }; value: unknown } => ({
  context: { apiVersion: SOLANA_CORE_VERSION, slot: chain.latest.slot },
  value,
});
