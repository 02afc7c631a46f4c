/**
 * Durable nonces as a validator checks them: a transaction whose blockhash is not recent is still
 * valid when its first instruction advances a nonce account that holds that blockhash as its
 * durable nonce, with the nonce's authority signing (agave's `check_load_and_advance_message_nonce_account`).
 */
import { createHash } from 'node:crypto';
import { fromBase58, toBase58 } from './base58.ts';
import type { AccountState } from './engine.ts';
import { isWritableIndex, type WireTransaction } from './wire.ts';

/** The System Program's id. */
export const SYSTEM_PROGRAM = '11111111111111111111111111111111';
/** `SystemInstruction::AdvanceNonceAccount` (a u32 tag). */
const ADVANCE_NONCE = 4;
/** A nonce account's data: version u32 (1 = current), state u32 (1 = initialized), authority, durable nonce, fee calculator. */
const NONCE_ACCOUNT_SIZE = 80;
const CURRENT = 1;
const INITIALIZED = 1;

/** The nonce account a transaction's first instruction advances, or null when it does not start with an advance. */
export function advancedNonce(tx: WireTransaction): { account: string; index: number } | null {
  const ix = tx.instructions[0];
  if (!ix || tx.staticKeys[ix.programIdIndex] !== SYSTEM_PROGRAM || ix.data.length < 4) return null;
  if (new DataView(ix.data.buffer, ix.data.byteOffset, 4).getUint32(0, true) !== ADVANCE_NONCE) return null;
  const index = ix.accounts[0];
  if (index === undefined || index >= tx.staticKeys.length) return null;
  return { account: tx.staticKeys[index]!, index };
}

/** The durable nonce an account holds: a system-owned, current-version, initialized nonce account's; else null. */
export function storedNonce(a: AccountState): string | null {
  if (a.owner !== SYSTEM_PROGRAM || a.data.length < NONCE_ACCOUNT_SIZE) return null;
  const view = new DataView(a.data.buffer, a.data.byteOffset, 8);
  if (view.getUint32(0, true) !== CURRENT || view.getUint32(4, true) !== INITIALIZED) return null;
  return toBase58(a.data.subarray(40, 72));
}

/**
 * A nonce account in `jsonParsed` encoding, as a validator parses it (`program: "nonce"`), or null
 * for any other account.
 */
export function parseNonceAccountJson(owner: string, data: Uint8Array): unknown | null {
  if (owner !== SYSTEM_PROGRAM || data.length !== NONCE_ACCOUNT_SIZE) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (view.getUint32(0, true) > 1 || view.getUint32(4, true) > INITIALIZED) return null;
  const parsed =
    view.getUint32(4, true) === INITIALIZED
      ? {
          type: 'initialized',
          info: {
            authority: toBase58(data.subarray(8, 40)),
            blockhash: toBase58(data.subarray(40, 72)),
            feeCalculator: { lamportsPerSignature: view.getBigUint64(72, true).toString() },
          },
        }
      : { type: 'uninitialized' };
  return { program: 'nonce', parsed, space: NONCE_ACCOUNT_SIZE };
}

/** The durable nonce an advance stores while the SVM's blockhash is `blockhash`: sha256("DURABLE_NONCE" ‖ blockhash), base58. */
export function durableNonceOf(blockhash: string): string {
  return toBase58(createHash('sha256').update('DURABLE_NONCE').update(fromBase58(blockhash)).digest());
}

/**
 * Whether `tx` is a durable-nonce transaction valid now: it starts with an advance of a writable,
 * initialized, system-owned nonce account whose durable nonce is the transaction's blockhash, an
 * account of that instruction which signs is the nonce's authority, and the nonce can advance
 * (it is not already `next`, the nonce an advance would store now).
 */
export function nonceHolds(tx: WireTransaction, account: (address: string) => AccountState | null, next: string): boolean {
  const nonce = advancedNonce(tx);
  if (!nonce || tx.recentBlockhash === next || !isWritableIndex(tx, nonce.index)) return false;
  const a = account(nonce.account);
  if (!a || storedNonce(a) !== tx.recentBlockhash) return false;
  const authority = toBase58(a.data.subarray(8, 40));
  const signers = tx.header.numRequiredSignatures;
  return tx.instructions[0]!.accounts.some((i) => i < signers && tx.staticKeys[i] === authority);
}

/** A nonce account holding the durable nonce `next`. */
export function nonceSetTo(a: AccountState, next: string): AccountState {
  const data = Uint8Array.from(a.data);
  data.set(fromBase58(next), 40);
  return { lamports: a.lamports, data, owner: a.owner, executable: a.executable, rentEpoch: a.rentEpoch };
}
