/** Token methods: balances, accounts by owner, supply, largest accounts. */
import type { Chain } from '../chain.ts';
import { encodeAccount } from '../encoding.ts';
import type { AccountState } from '../engine.ts';
import { InvalidParamsError } from '../errors.ts';
import { config, pubkey } from '../params.ts';
import { readMint, readTokenAccount, TOKEN_2022_PROGRAM, TOKEN_PROGRAM, tokenKind, uiTokenAmount } from '../token.ts';
import { accountEncoding } from './accounts.ts';
import { type RpcMethod, withContext } from './types.ts';

const tokenAccounts = (chain: Chain, programs: string[], keep: (mint: string, owner: string) => boolean): { pubkey: string; account: AccountState }[] =>
  programs.flatMap((p) =>
    chain.engine.programAccounts(p).filter(({ account }) => {
      if (account.lamports === 0n || tokenKind(account.owner, account.data) !== 'account') return false;
      const t = readTokenAccount(account.data);
      return keep(t.mint, t.owner);
    }),
  );

function tokenAccountsBy(field: 'owner' | 'delegate'): RpcMethod {
  return ([k, f, c], chain) => {
    const who = pubkey(k);
    const filter = f as { mint?: unknown; programId?: unknown } | undefined;
    if (!filter || typeof filter !== 'object' || (filter.mint === undefined) === (filter.programId === undefined)) {
      throw new InvalidParamsError('Invalid params: expected { mint } or { programId }');
    }
    const cfg = config(c);
    const { enc, slice } = accountEncoding(cfg, 'binary');
    let programs = [TOKEN_PROGRAM, TOKEN_2022_PROGRAM];
    let mint: string | null = null;
    if (filter.programId !== undefined) {
      const p = pubkey(filter.programId);
      if (p !== TOKEN_PROGRAM && p !== TOKEN_2022_PROGRAM) throw new InvalidParamsError(`Invalid param: unrecognized Token program id`);
      programs = [p];
    } else {
      mint = pubkey(filter.mint);
      const m = chain.account(mint);
      if (!m || tokenKind(m.owner, m.data) !== 'mint') throw new InvalidParamsError('Invalid param: could not find mint');
      programs = [m.owner];
    }
    const found = tokenAccounts(chain, programs, (mintOf, owner) => (mint === null || mintOf === mint) && (field === 'owner' ? owner === who : false));
    const value = found
      .filter(({ account }) => field === 'owner' || readTokenAccount(account.data).delegate === who)
      .map(({ pubkey: key, account }) => ({ account: encodeAccount(key, account, enc, slice, chain.decimalsOf), pubkey: key }));
    return withContext(chain, value);
  };
}

const tokenAccountOrThrow = (chain: Chain, key: string) => {
  const a = chain.account(key);
  if (!a || tokenKind(a.owner, a.data) !== 'account') throw new InvalidParamsError('Invalid param: not a Token account');
  return readTokenAccount(a.data);
};

const mintOrThrow = (chain: Chain, key: string) => {
  const a = chain.account(key);
  if (!a || tokenKind(a.owner, a.data) !== 'mint') throw new InvalidParamsError('Invalid param: not a Token mint');
  return { mint: readMint(a.data), owner: a.owner };
};

/** Token methods by name. */
export const tokenMethods: Record<string, RpcMethod> = {
  getTokenAccountBalance: ([k, c], chain) => {
    config(c);
    const t = tokenAccountOrThrow(chain, pubkey(k));
    return withContext(chain, uiTokenAmount(t.amount, chain.decimalsOf(t.mint) ?? 0));
  },
  getTokenAccountsByOwner: tokenAccountsBy('owner'),
  getTokenAccountsByDelegate: ([k, f, c], chain) => {
    const who = pubkey(k);
    const cfg = config(c);
    const { enc, slice } = accountEncoding(cfg, 'binary');
    const filter = (f ?? {}) as { mint?: unknown; programId?: unknown };
    const mint = filter.mint === undefined ? null : pubkey(filter.mint);
    const found = tokenAccounts(chain, [TOKEN_PROGRAM, TOKEN_2022_PROGRAM], (m) => mint === null || m === mint).filter(({ account }) => readTokenAccount(account.data).delegate === who);
    return withContext(chain, found.map(({ pubkey: key, account }) => ({ account: encodeAccount(key, account, enc, slice, chain.decimalsOf), pubkey: key })));
  },
  getTokenSupply: ([k, c], chain) => {
    config(c);
    const { mint } = mintOrThrow(chain, pubkey(k));
    return withContext(chain, uiTokenAmount(mint.supply, mint.decimals));
  },
  getTokenLargestAccounts: ([k, c], chain) => {
    config(c);
    const key = pubkey(k);
    const { mint, owner } = mintOrThrow(chain, key);
    const list = tokenAccounts(chain, [owner], (m) => m === key)
      .map(({ pubkey: address, account }) => ({ address, amount: readTokenAccount(account.data).amount }))
      .sort((a, b) => (a.amount === b.amount ? 0 : a.amount > b.amount ? -1 : 1))
      .slice(0, 20);
    return withContext(chain, list.map(({ address, amount }) => ({ address, ...uiTokenAmount(amount, mint.decimals) })));
  },
};
