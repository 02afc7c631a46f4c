/**
 * JSON-RPC 2.0 over the chain: one request or a batch in, response text out. Every failure
 * becomes a JSON-RPC error; nothing a client sends can throw out of {@link RpcHandler.handle}.
 */
import type { Chain } from './chain.ts';
import { InternalError, InvalidParamsError, InvalidRequestError, MethodNotFoundError, MinContextSlotNotReachedError, ParseError, RpcError } from './errors.ts';
import { stringify } from './json.ts';
import { accountMethods } from './methods/accounts.ts';
import { blockMethods } from './methods/blocks.ts';
import { clusterMethods } from './methods/cluster.ts';
import { leaderMethods } from './methods/leader.ts';
import { tokenMethods } from './methods/tokens.ts';
import { transactionMethods } from './methods/transactions.ts';
import type { RpcMethod } from './methods/types.ts';
import { paramList } from './params.ts';

/** Every RPC method the chain serves, by name. */
export const RPC_METHODS: Record<string, RpcMethod> = { ...clusterMethods, ...leaderMethods, ...accountMethods, ...tokenMethods, ...transactionMethods, ...blockMethods };

/** The methods whose configuration takes `minContextSlot` (agave's rpc.rs); the others ignore it. */
const MIN_CONTEXT_SLOT_METHODS = new Set([
  'getAccountInfo', 'getBalance', 'getBlockHeight', 'getEpochInfo', 'getFeeForMessage', 'getLatestBlockhash', 'getMultipleAccounts',
  'getProgramAccounts', 'getSignaturesForAddress', 'getSlot', 'getSlotLeader', 'getTokenAccountsByDelegate', 'getTokenAccountsByOwner',
  'getTransactionCount', 'isBlockhashValid', 'sendTransaction', 'simulateTransaction', 'getInflationReward', 'getStakeActivation',
]);

type Id = string | number | null;
const MAX_BATCH = 1000;

/** The JSON-RPC error object of an error (unknown errors become -32603). */
export function errorObject(e: unknown): { code: number; message: string; data?: unknown } {
  const err = e instanceof RpcError ? e : new InternalError(e instanceof Error ? `Internal error: ${e.message}` : 'Internal error');
  return err.data === undefined ? { code: err.rpcCode, message: err.message } : { code: err.rpcCode, message: err.message, data: err.data };
}

/** Dispatches JSON-RPC requests to {@link RPC_METHODS}. */
export class RpcHandler {
  constructor(
    readonly chain: Chain,
    private readonly methods: Record<string, RpcMethod> = RPC_METHODS,
  ) {}

  /** One parsed request object → its response object (null for a notification). */
  async call(req: unknown): Promise<Record<string, unknown> | null> {
    const r = req as { jsonrpc?: unknown; method?: unknown; params?: unknown; id?: unknown };
    const validId = r && typeof r === 'object' && (r.id === undefined || r.id === null || typeof r.id === 'string' || typeof r.id === 'number');
    const id: Id = validId && r.id !== undefined ? (r.id as Id) : null;
    if (!r || typeof r !== 'object' || Array.isArray(r) || r.jsonrpc !== '2.0' || typeof r.method !== 'string' || !validId) {
      return { jsonrpc: '2.0', error: errorObject(new InvalidRequestError()), id };
    }
    const isNotification = !('id' in r);
    try {
      if (!Object.hasOwn(this.methods, r.method)) throw new MethodNotFoundError();
      const params = paramList(r.params);
      this.checkMinContextSlot(r.method, params);
      const result = await this.methods[r.method]!(params, this.chain);
      return isNotification ? null : { jsonrpc: '2.0', result, id };
    } catch (e) {
      return isNotification ? null : { jsonrpc: '2.0', error: errorObject(e), id };
    }
  }

  /**
   * A validator answers -32016 to a request of a method that takes `minContextSlot` when its
   * configuration asks for a slot not reached yet; every method here answers at the latest block,
   * so one check serves them all.
   */
  private checkMinContextSlot(method: string, params: unknown[]): void {
    if (!MIN_CONTEXT_SLOT_METHODS.has(method)) return;
    for (const p of params) {
      if (!p || typeof p !== 'object' || Array.isArray(p) || !('minContextSlot' in p)) continue;
      const min = (p as { minContextSlot: unknown }).minContextSlot;
      if (min === undefined || min === null) continue;
      if (typeof min !== 'number' || !Number.isSafeInteger(min) || min < 0) throw new InvalidParamsError('Invalid params: minContextSlot must be a non-negative integer');
      if (min > this.chain.latest.slot) throw new MinContextSlotNotReachedError(this.chain.latest.slot);
    }
  }

  /** A request body (text) → response text, or null when nothing is to be answered. */
  async handle(body: string): Promise<string | null> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return stringify({ jsonrpc: '2.0', error: errorObject(new ParseError()), id: null });
    }
    if (Array.isArray(parsed)) {
      if (parsed.length === 0 || parsed.length > MAX_BATCH) return stringify({ jsonrpc: '2.0', error: errorObject(new InvalidRequestError()), id: null });
      const out = (await Promise.all(parsed.map((p) => this.call(p)))).filter((x) => x !== null);
      return out.length ? stringify(out) : null;
    }
    const one = await this.call(parsed);
    return one ? stringify(one) : null;
  }
}
