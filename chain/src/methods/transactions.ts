/** Transaction methods: send, simulate, airdrop, statuses, getTransaction, getSignaturesForAddress. */
import { fromBase58 } from '../base58.ts';
import { simulationFailure } from '../chain.ts';
import { ACCOUNT_ENCODINGS, encodeAccount } from '../encoding.ts';
import { InvalidParamsError } from '../errors.ts';
import type { TxRecord } from '../history.ts';
import { config, encoding, pubkey, signature, str, uint } from '../params.ts';
import { encodeTransaction, TX_ENCODINGS } from '../transaction-json.ts';
import { WireFormatError } from '../wire.ts';
import { type RpcMethod, withContext } from './types.ts';

const MAX_BASE58_SIZE = 1683;
const MAX_BASE64_SIZE = 1644;
const PACKET_DATA_SIZE = 1232;

/** Decodes a transaction parameter as a validator does, with its size limits and messages. */
function decodeTransactionParam(text: unknown, enc: 'base58' | 'base64'): Uint8Array {
  const s = str(text, 'transaction');
  const name = 'solana_transaction::versioned::VersionedTransaction';
  const max = enc === 'base58' ? MAX_BASE58_SIZE : MAX_BASE64_SIZE;
  if (s.length > max) throw new InvalidParamsError(`${enc} encoded ${name} too large: ${s.length} bytes (max: encoded/raw ${max}/${PACKET_DATA_SIZE})`);
  let bytes: Uint8Array;
  if (enc === 'base58') {
    try {
      bytes = fromBase58(s);
    } catch {
      throw new InvalidParamsError('invalid base58 encoding: InvalidCharacter');
    }
  } else {
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 === 1) throw new InvalidParamsError('invalid base64 encoding: InvalidByte');
    bytes = Buffer.from(s, 'base64');
  }
  if (bytes.length > PACKET_DATA_SIZE) throw new InvalidParamsError(`decoded ${name} too large: ${bytes.length} bytes (max: ${PACKET_DATA_SIZE} bytes)`);
  return bytes;
}

/** Wire-format errors surface as -32602 with the validator's wording. */
function wireErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof WireFormatError) {
      if (e.message.startsWith('io error') || e.message.startsWith('invalid compact') || e.message.startsWith('trailing')) {
        throw new InvalidParamsError(`failed to deserialize solana_transaction::versioned::VersionedTransaction: ${e.message}`);
      }
      throw new InvalidParamsError(`invalid transaction: ${e.message}`);
    }
    throw e;
  }
}

function memoOf(rec: TxRecord): string | null {
  const memos: string[] = [];
  // Memo instructions are found in the log lines the memo program writes.
  for (const line of rec.meta.logMessages) {
    const m = /^Program log: Memo \(len (\d+)\): "(.*)"$/.exec(line);
    if (m) memos.push(`[${m[1]}] ${m[2]}`);
  }
  return memos.length ? memos.join('; ') : null;
}

const statusOf = (rec: TxRecord) => ({ confirmationStatus: 'finalized', confirmations: null, err: rec.meta.err, slot: rec.slot, status: rec.meta.status });

/** Transaction methods by name. */
export const transactionMethods: Record<string, RpcMethod> = {
  sendTransaction: async ([t, c], chain) => {
    const cfg = config(c);
    const enc = encoding(cfg.encoding, ['base58', 'base64'] as const, 'base58');
    if (cfg.preflightCommitment !== undefined) config({ commitment: cfg.preflightCommitment });
    const bytes = decodeTransactionParam(t, enc);
    const sent = wireErrors(() => chain.submit(bytes, cfg.skipPreflight !== true));
    return await sent;
  },
  simulateTransaction: ([t, c], chain) => {
    const cfg = config(c);
    const enc = encoding(cfg.encoding, ['base58', 'base64'] as const, 'base58');
    const sigVerify = cfg.sigVerify === true;
    const replace = cfg.replaceRecentBlockhash === true;
    if (sigVerify && replace) throw new InvalidParamsError('sigVerify may not be used with replaceRecentBlockhash');
    const bytes = decodeTransactionParam(t, enc);
    const r = wireErrors(() => chain.simulate(bytes, { sigVerify, replaceRecentBlockhash: replace }));
    let accounts: unknown = null;
    const ac = cfg.accounts as { addresses?: unknown; encoding?: unknown } | undefined;
    if (ac !== undefined && ac !== null) {
      if (!Array.isArray(ac.addresses)) throw new InvalidParamsError('Invalid params: accounts.addresses must be an array');
      const aenc = encoding(ac.encoding, ACCOUNT_ENCODINGS, 'base64');
      if (aenc === 'binary' || aenc === 'base58') throw new InvalidParamsError('base58 encoding not supported');
      accounts = ac.addresses.map((a: unknown) => {
        const key = pubkey(a);
        const state = r.post.get(key) ?? chain.account(key);
        return state && state.lamports > 0n ? encodeAccount(key, state, aenc, null, chain.decimalsOf) : null;
      });
    }
    return withContext(chain, {
      accounts,
      err: r.err,
      fee: r.fee,
      innerInstructions: cfg.innerInstructions === true ? r.innerInstructions : null,
      loadedAccountsDataSize: 0,
      logs: r.logs,
      postBalances: r.postBalances,
      preBalances: r.preBalances,
      replacementBlockhash: replace ? { blockhash: chain.latest.blockhash, lastValidBlockHeight: chain.latest.blockHeight + 150 } : null,
      returnData: r.returnData,
      unitsConsumed: r.unitsConsumed,
    });
  },
  requestAirdrop: async ([k, l, c], chain) => {
    const to = pubkey(k);
    const lamports = uint(l, 'lamports');
    config(c);
    if (lamports === 0) throw new InvalidParamsError('Invalid params: lamports must be positive');
    const faucet = chain.account(chain.faucet.publicKey.toBase58());
    if (!faucet || faucet.lamports < BigInt(lamports) + 5000n) throw simulationFailure({ json: { InstructionError: [0, { Custom: 1 }] }, message: 'Error processing Instruction 0: custom program error: 0x1' }, ['faucet is empty']);
    return await chain.airdrop(to, lamports);
  },
  getSignatureStatuses: ([s, c], chain) => {
    if (!Array.isArray(s)) throw new InvalidParamsError('Invalid params: expected an array of signatures');
    if (s.length > 256) throw new InvalidParamsError('Too many inputs provided; max 256');
    config(c);
    const sigs = s.map(signature);
    return withContext(chain, sigs.map((sig) => {
      const rec = chain.history.txs.get(sig);
      return rec ? statusOf(rec) : null;
    }));
  },
  getTransaction: ([s, c], chain) => {
    const sig = signature(s);
    const cfg = typeof c === 'string' ? { encoding: c } : config(c);
    if (cfg.commitment === 'processed') throw new InvalidParamsError('Method does not support commitment below `confirmed`');
    const enc = encoding(cfg.encoding, TX_ENCODINGS, 'json');
    const max = cfg.maxSupportedTransactionVersion === undefined ? undefined : uint(cfg.maxSupportedTransactionVersion, 'maxSupportedTransactionVersion');
    const rec = chain.history.txs.get(sig);
    if (!rec) return null;
    return { blockTime: rec.blockTime, slot: rec.slot, ...encodeTransaction(rec, enc, max) };
  },
  getSignaturesForAddress: ([k, c], chain) => {
    const key = pubkey(k);
    const cfg = config(c);
    if (cfg.commitment === 'processed') throw new InvalidParamsError('Method does not support commitment below `confirmed`');
    const limit = cfg.limit === undefined ? 1000 : uint(cfg.limit, 'limit');
    if (limit < 1 || limit > 1000) throw new InvalidParamsError('Invalid limit; max 1000');
    const before = cfg.before === undefined ? null : signature(cfg.before);
    const until = cfg.until === undefined ? null : signature(cfg.until);
    const all = chain.history.signaturesFor(key);
    let i = all.length - 1;
    if (before) {
      const at = all.lastIndexOf(before);
      if (at < 0) return [];
      i = at - 1;
    }
    const out: unknown[] = [];
    for (; i >= 0 && out.length < limit; i--) {
      const sig = all[i]!;
      if (sig === until) break;
      const rec = chain.history.txs.get(sig)!;
      out.push({ blockTime: rec.blockTime, confirmationStatus: 'finalized', err: rec.meta.err, memo: memoOf(rec), signature: sig, slot: rec.slot });
    }
    return out;
  },
};
