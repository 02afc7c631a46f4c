/** Account methods: getBalance, getAccountInfo, getMultipleAccounts, getProgramAccounts. */
import { fromBase58 } from '../base58.ts';
import type { Chain } from '../chain.ts';
import { ACCOUNT_ENCODINGS, type AccountEncoding, dataSlice, encodeAccount } from '../encoding.ts';
import type { AccountState } from '../engine.ts';
import { InvalidParamsError } from '../errors.ts';
import { config, encoding, pubkey, uint } from '../params.ts';
import { type RpcMethod, withContext } from './types.ts';

type Filter = (a: AccountState) => boolean;

/** Checks getProgramAccounts-style filters (`dataSize`, `memcmp`; at most 4). */
export function parseFilters(v: unknown): Filter[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new InvalidParamsError('Invalid params: filters must be an array');
  if (v.length > 4) throw new InvalidParamsError('Too many filters provided; max 4');
  return v.map((f: unknown): Filter => {
    const o = f as { dataSize?: unknown; memcmp?: { offset?: unknown; bytes?: unknown; encoding?: unknown } };
    if (o && typeof o === 'object' && 'dataSize' in o) {
      const size = uint(o.dataSize, 'dataSize');
      return (a) => a.data.length === size;
    }
    if (o && typeof o === 'object' && o.memcmp && typeof o.memcmp === 'object') {
      const offset = uint(o.memcmp.offset, 'memcmp.offset');
      if (typeof o.memcmp.bytes !== 'string') throw new InvalidParamsError('Invalid params: memcmp.bytes must be a string');
      const enc = encoding(o.memcmp.encoding, ['base58', 'base64'] as const, 'base58');
      let bytes: Uint8Array;
      if (enc === 'base58') {
        if (o.memcmp.bytes.length > 128) throw new InvalidParamsError('Invalid param: encoded binary (base 58) data should be less than 128 bytes');
        try {
          bytes = fromBase58(o.memcmp.bytes);
        } catch {
          throw new InvalidParamsError('Invalid param: invalid base58 in memcmp.bytes');
        }
      } else bytes = Buffer.from(o.memcmp.bytes, 'base64');
      return (a) => a.data.length >= offset + bytes.length && bytes.every((b, i) => a.data[offset + i] === b);
    }
    throw new InvalidParamsError('Invalid params: a filter is { dataSize } or { memcmp: { offset, bytes } }');
  });
}

/** Parses `encoding` and `dataSlice` of an account config. */
export function accountEncoding(c: Record<string, unknown>, fallback: AccountEncoding): { enc: AccountEncoding; slice: ReturnType<typeof dataSlice> } {
  return { enc: encoding(c.encoding, ACCOUNT_ENCODINGS, fallback), slice: dataSlice(c.dataSlice) };
}

const encodeOrNull = (chain: Chain, key: string, enc: AccountEncoding, slice: ReturnType<typeof dataSlice>) => {
  const a = chain.account(key);
  return a ? encodeAccount(key, a, enc, slice, chain.decimalsOf) : null;
};

/** Account methods by name. */
export const accountMethods: Record<string, RpcMethod> = {
  getBalance: ([k, c], chain) => {
    config(c);
    return withContext(chain, chain.account(pubkey(k))?.lamports ?? 0n);
  },
  getAccountInfo: ([k, c], chain) => {
    const key = pubkey(k);
    const { enc, slice } = accountEncoding(config(c), 'binary');
    return withContext(chain, encodeOrNull(chain, key, enc, slice));
  },
  getMultipleAccounts: ([ks, c], chain) => {
    if (!Array.isArray(ks)) throw new InvalidParamsError('Invalid params: expected an array of public keys');
    if (ks.length > 100) throw new InvalidParamsError('Too many inputs provided; max 100');
    const keys = ks.map((k) => pubkey(k));
    const { enc, slice } = accountEncoding(config(c), 'base64');
    return withContext(chain, keys.map((k) => encodeOrNull(chain, k, enc, slice)));
  },
  getProgramAccounts: ([p, c], chain) => {
    const program = pubkey(p);
    const cfg = config(c);
    const { enc, slice } = accountEncoding(cfg, 'binary');
    const filters = parseFilters(cfg.filters);
    const value = chain.engine
      .programAccounts(program)
      .filter(({ account }) => account.lamports > 0n && filters.every((f) => f(account)))
      .map(({ pubkey: key, account }) => ({ account: encodeAccount(key, account, enc, slice, chain.decimalsOf), pubkey: key }));
    return cfg.withContext ? withContext(chain, value) : value;
  },
};
