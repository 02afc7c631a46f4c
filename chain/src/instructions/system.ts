/**
 * System program instructions as agave's `parse_system.rs` renders them. Data is a bincode
 * `SystemInstruction`: a u32 tag, then the variant's fields (u64 numbers, 32-byte keys, strings as a
 * u64 length and UTF-8 bytes). Trailing bytes are allowed, as bincode's default options allow them.
 */
import { ByteReader, u64Json } from './byte-reader.ts';
import { hasAccounts, type ParsedInfo } from './program-parser.ts';
import { SYSTEM_PROGRAM } from '../nonce.ts';

export { SYSTEM_PROGRAM };

type Variant = (r: ByteReader, a: readonly string[]) => { type: string; minAccounts: number; info: Record<string, unknown> };

const createAccount: Variant = (r, a) => {
  const lamports = r.u64();
  const space = r.u64();
  const owner = r.pubkey();
  return { type: 'createAccount', minAccounts: 2, info: { source: a[0], newAccount: a[1], lamports: u64Json(lamports), space: u64Json(space), owner } };
};

const assign: Variant = (r, a) => ({ type: 'assign', minAccounts: 1, info: { account: a[0], owner: r.pubkey() } });

const transfer: Variant = (r, a) => ({ type: 'transfer', minAccounts: 2, info: { source: a[0], destination: a[1], lamports: u64Json(r.u64()) } });

const createAccountWithSeed: Variant = (r, a) => {
  const base = r.pubkey();
  const seed = r.bincodeString();
  const lamports = r.u64();
  const space = r.u64();
  const owner = r.pubkey();
  return { type: 'createAccountWithSeed', minAccounts: 2, info: { source: a[0], newAccount: a[1], base, seed, lamports: u64Json(lamports), space: u64Json(space), owner } };
};

const advanceNonce: Variant = (_r, a) => ({ type: 'advanceNonce', minAccounts: 3, info: { nonceAccount: a[0], recentBlockhashesSysvar: a[1], nonceAuthority: a[2] } });

const withdrawFromNonce: Variant = (r, a) => ({
  type: 'withdrawFromNonce',
  minAccounts: 5,
  info: { nonceAccount: a[0], destination: a[1], recentBlockhashesSysvar: a[2], rentSysvar: a[3], nonceAuthority: a[4], lamports: u64Json(r.u64()) },
});

const initializeNonce: Variant = (r, a) => ({
  type: 'initializeNonce',
  minAccounts: 3,
  info: { nonceAccount: a[0], recentBlockhashesSysvar: a[1], rentSysvar: a[2], nonceAuthority: r.pubkey() },
});

const authorizeNonce: Variant = (r, a) => ({ type: 'authorizeNonce', minAccounts: 2, info: { nonceAccount: a[0], nonceAuthority: a[1], newAuthorized: r.pubkey() } });

const allocate: Variant = (r, a) => ({ type: 'allocate', minAccounts: 1, info: { account: a[0], space: u64Json(r.u64()) } });

const allocateWithSeed: Variant = (r, a) => {
  const base = r.pubkey();
  const seed = r.bincodeString();
  const space = r.u64();
  const owner = r.pubkey();
  return { type: 'allocateWithSeed', minAccounts: 2, info: { account: a[0], base, seed, space: u64Json(space), owner } };
};

const assignWithSeed: Variant = (r, a) => {
  const base = r.pubkey();
  const seed = r.bincodeString();
  const owner = r.pubkey();
  return { type: 'assignWithSeed', minAccounts: 2, info: { account: a[0], base, seed, owner } };
};

const transferWithSeed: Variant = (r, a) => {
  const lamports = r.u64();
  const sourceSeed = r.bincodeString();
  const sourceOwner = r.pubkey();
  return { type: 'transferWithSeed', minAccounts: 3, info: { source: a[0], sourceBase: a[1], destination: a[2], lamports: u64Json(lamports), sourceSeed, sourceOwner } };
};

const upgradeNonce: Variant = (_r, a) => ({ type: 'upgradeNonce', minAccounts: 1, info: { nonceAccount: a[0] } });

/** With lamports the payer follows the new account; without, there is no payer. */
const createAccountAllowPrefund: Variant = (r, a) => {
  const lamports = r.u64();
  const space = r.u64();
  const owner = r.pubkey();
  if (lamports === 0n) return { type: 'createAccountAllowPrefund', minAccounts: 1, info: { newAccount: a[0], space: u64Json(space), owner } };
  return { type: 'createAccountAllowPrefund', minAccounts: 2, info: { newAccount: a[0], source: a[1], lamports: u64Json(lamports), space: u64Json(space), owner } };
};

/** `SystemInstruction` variants by bincode tag. */
const VARIANTS: readonly Variant[] = [
  createAccount,
  assign,
  transfer,
  createAccountWithSeed,
  advanceNonce,
  withdrawFromNonce,
  initializeNonce,
  authorizeNonce,
  allocate,
  allocateWithSeed,
  assignWithSeed,
  transferWithSeed,
  upgradeNonce,
  createAccountAllowPrefund,
];

/** Parses a system program instruction; null for unknown tags, short or malformed data, or too few accounts. */
export function parseSystemInstruction(accounts: readonly string[], data: Uint8Array): ParsedInfo | null {
  const r = new ByteReader(data);
  const variant = VARIANTS[r.u32()];
  if (!variant) return null;
  const { type, minAccounts, info } = variant(r, accounts);
  if (!r.ok || !hasAccounts(accounts, minAccounts)) return null;
  return { type, info };
}
