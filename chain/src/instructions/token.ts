/**
 * SPL Token and Token-2022 instructions as agave's `parse_token.rs` renders them (both programs
 * share the parser and the program name "spl-token"). Data is a one-byte tag, then the variant's
 * fields: u64 amounts, u8 decimals, 32-byte keys, `COption<Pubkey>` as a tag byte and a key.
 * Token-2022 extension and token-metadata instructions go to `token-extensions.ts`.
 */
import { uiTokenAmount } from '../token.ts';
import { ByteReader, utf8OrNull } from './byte-reader.ts';
import type { ParsedInfo } from './program-parser.ts';
import { EXTENSION_TYPES, type Info, result, type Variant, withSigners } from './token-common.ts';
import { parseTokenExtensionInstruction } from './token-extensions.ts';

/** Agave's `UiAuthorityType`, by `AuthorityType` byte. */
const AUTHORITY_TYPES = [
  'mintTokens',
  'freezeAccount',
  'accountOwner',
  'closeAccount',
  'transferFeeConfig',
  'withheldWithdraw',
  'closeMint',
  'interestRate',
  'permanentDelegate',
  'confidentialTransferMint',
  'transferHookProgramId',
  'confidentialTransferFeeConfig',
  'metadataPointer',
  'groupPointer',
  'groupMemberPointer',
  'scaledUiAmount',
  'pause',
  'permissionedBurn',
] as const;

/** Authority types held by a token account (the rest are held by a mint). */
const ACCOUNT_AUTHORITIES: ReadonlySet<string> = new Set(['accountOwner', 'closeAccount']);

/** `freezeAuthority` only when the mint has one, as agave writes it. */
const withFreezeAuthority = (info: Info, freezeAuthority: string | null): Info => (freezeAuthority === null ? info : { ...info, freezeAuthority });

const initializeMint: Variant = (r, a) => {
  const decimals = r.u8();
  const mintAuthority = r.pubkey();
  const freezeAuthority = r.pubkeyOption();
  return result(r, a, 2, 'initializeMint', () => withFreezeAuthority({ mint: a[0], decimals, mintAuthority, rentSysvar: a[1] }, freezeAuthority));
};

const initializeMint2: Variant = (r, a) => {
  const decimals = r.u8();
  const mintAuthority = r.pubkey();
  const freezeAuthority = r.pubkeyOption();
  return result(r, a, 1, 'initializeMint2', () => withFreezeAuthority({ mint: a[0], decimals, mintAuthority }, freezeAuthority));
};

const initializeAccount: Variant = (r, a) => result(r, a, 4, 'initializeAccount', () => ({ account: a[0], mint: a[1], owner: a[2], rentSysvar: a[3] }));

const initializeAccount2: Variant = (r, a) => {
  const owner = r.pubkey();
  return result(r, a, 3, 'initializeAccount2', () => ({ account: a[0], mint: a[1], owner, rentSysvar: a[2] }));
};

const initializeAccount3: Variant = (r, a) => {
  const owner = r.pubkey();
  return result(r, a, 2, 'initializeAccount3', () => ({ account: a[0], mint: a[1], owner }));
};

const initializeMultisig: Variant = (r, a) => {
  const m = r.u8();
  return result(r, a, 3, 'initializeMultisig', () => ({ multisig: a[0], rentSysvar: a[1], signers: a.slice(2), m }));
};

const initializeMultisig2: Variant = (r, a) => {
  const m = r.u8();
  return result(r, a, 2, 'initializeMultisig2', () => ({ multisig: a[0], signers: a.slice(1), m }));
};

const transfer: Variant = (r, a) => {
  const amount = r.u64().toString();
  return result(r, a, 3, 'transfer', () => withSigners({ source: a[0], destination: a[1], amount }, a, 2, 'authority', 'multisigAuthority'));
};

const approve: Variant = (r, a) => {
  const amount = r.u64().toString();
  return result(r, a, 3, 'approve', () => withSigners({ source: a[0], delegate: a[1], amount }, a, 2, 'owner', 'multisigOwner'));
};

const revoke: Variant = (r, a) => result(r, a, 2, 'revoke', () => withSigners({ source: a[0] }, a, 1, 'owner', 'multisigOwner'));

const setAuthority: Variant = (r, a) => {
  const authorityType = AUTHORITY_TYPES[r.u8()];
  const newAuthority = r.pubkeyOption();
  if (!authorityType) return null;
  const owned = ACCOUNT_AUTHORITIES.has(authorityType) ? 'account' : 'mint';
  return result(r, a, 2, 'setAuthority', () => withSigners({ [owned]: a[0], authorityType, newAuthority }, a, 1, 'authority', 'multisigAuthority'));
};

const mintTo: Variant = (r, a) => {
  const amount = r.u64().toString();
  return result(r, a, 3, 'mintTo', () => withSigners({ mint: a[0], account: a[1], amount }, a, 2, 'mintAuthority', 'multisigMintAuthority'));
};

const burn: Variant = (r, a) => {
  const amount = r.u64().toString();
  return result(r, a, 3, 'burn', () => withSigners({ account: a[0], mint: a[1], amount }, a, 2, 'authority', 'multisigAuthority'));
};

const closeAccount: Variant = (r, a) => result(r, a, 3, 'closeAccount', () => withSigners({ account: a[0], destination: a[1] }, a, 2, 'owner', 'multisigOwner'));

const freezeAccount: Variant = (r, a) =>
  result(r, a, 3, 'freezeAccount', () => withSigners({ account: a[0], mint: a[1] }, a, 2, 'freezeAuthority', 'multisigFreezeAuthority'));

const thawAccount: Variant = (r, a) => result(r, a, 3, 'thawAccount', () => withSigners({ account: a[0], mint: a[1] }, a, 2, 'freezeAuthority', 'multisigFreezeAuthority'));

/** Reads a `*Checked` variant's amount and decimals as agave's `tokenAmount`. */
function readTokenAmount(r: ByteReader): ReturnType<typeof uiTokenAmount> {
  const amount = r.u64();
  const decimals = r.u8();
  return uiTokenAmount(amount, decimals);
}

const transferChecked: Variant = (r, a) => {
  const tokenAmount = readTokenAmount(r);
  return result(r, a, 4, 'transferChecked', () => withSigners({ source: a[0], mint: a[1], destination: a[2], tokenAmount }, a, 3, 'authority', 'multisigAuthority'));
};

const approveChecked: Variant = (r, a) => {
  const tokenAmount = readTokenAmount(r);
  return result(r, a, 4, 'approveChecked', () => withSigners({ source: a[0], mint: a[1], delegate: a[2], tokenAmount }, a, 3, 'owner', 'multisigOwner'));
};

const mintToChecked: Variant = (r, a) => {
  const tokenAmount = readTokenAmount(r);
  return result(r, a, 3, 'mintToChecked', () => withSigners({ mint: a[0], account: a[1], tokenAmount }, a, 2, 'mintAuthority', 'multisigMintAuthority'));
};

const burnChecked: Variant = (r, a) => {
  const tokenAmount = readTokenAmount(r);
  return result(r, a, 3, 'burnChecked', () => withSigners({ account: a[0], mint: a[1], tokenAmount }, a, 2, 'authority', 'multisigAuthority'));
};

const syncNative: Variant = (r, a) => result(r, a, 1, 'syncNative', () => ({ account: a[0] }));

/** The data after the tag is a list of u16 extension types; `extensionTypes` only when it is not empty. */
const getAccountDataSize: Variant = (r, a) => {
  const extensionTypes: string[] = [];
  while (r.ok && r.remaining > 0) {
    const name = EXTENSION_TYPES[r.u16()];
    if (!name) r.fail();
    else extensionTypes.push(name);
  }
  return result(r, a, 1, 'getAccountDataSize', () => (extensionTypes.length ? { mint: a[0], extensionTypes } : { mint: a[0] }));
};

const initializeImmutableOwner: Variant = (r, a) => result(r, a, 1, 'initializeImmutableOwner', () => ({ account: a[0] }));

const amountToUiAmount: Variant = (r, a) => {
  const amount = r.u64().toString();
  return result(r, a, 1, 'amountToUiAmount', () => ({ mint: a[0], amount }));
};

/** The UI amount is the rest of the data as UTF-8 text. */
const uiAmountToAmount: Variant = (r, a) => {
  const uiAmount = utf8OrNull(r.rest());
  if (uiAmount === null) return null;
  return result(r, a, 1, 'uiAmountToAmount', () => ({ mint: a[0], uiAmount }));
};

const createNativeMint: Variant = (r, a) => result(r, a, 3, 'createNativeMint', () => ({ payer: a[0], nativeMint: a[1], systemProgram: a[2] }));

const initializeNonTransferableMint: Variant = (r, a) => result(r, a, 1, 'initializeNonTransferableMint', () => ({ mint: a[0] }));

const withdrawExcessLamports: Variant = (r, a) =>
  result(r, a, 3, 'withdrawExcessLamports', () => withSigners({ source: a[0], destination: a[1] }, a, 2, 'authority', 'multisigAuthority'));

/** `TokenInstruction` variants by tag; holes are extension instructions (see `token-extensions.ts`). */
const VARIANTS: ReadonlyMap<number, Variant> = new Map([
  [0, initializeMint],
  [1, initializeAccount],
  [2, initializeMultisig],
  [3, transfer],
  [4, approve],
  [5, revoke],
  [6, setAuthority],
  [7, mintTo],
  [8, burn],
  [9, closeAccount],
  [10, freezeAccount],
  [11, thawAccount],
  [12, transferChecked],
  [13, approveChecked],
  [14, mintToChecked],
  [15, burnChecked],
  [16, initializeAccount2],
  [17, syncNative],
  [18, initializeAccount3],
  [19, initializeMultisig2],
  [20, initializeMint2],
  [21, getAccountDataSize],
  [22, initializeImmutableOwner],
  [23, amountToUiAmount],
  [24, uiAmountToAmount],
  [31, createNativeMint],
  [32, initializeNonTransferableMint],
  [38, withdrawExcessLamports],
]);

/** Parses an SPL Token or Token-2022 instruction; null for unparsed extension instructions, bad data or too few accounts. */
export function parseTokenInstruction(accounts: readonly string[], data: Uint8Array): ParsedInfo | null {
  if (data.length === 0 || accounts.length === 0) return null;
  const r = new ByteReader(data);
  const variant = VARIANTS.get(r.u8());
  return variant ? variant(r, accounts) : parseTokenExtensionInstruction(accounts, data);
}
