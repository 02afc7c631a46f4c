/**
 * What the SPL Token parsers share (`token.ts` for the base instructions, `token-extensions.ts` for
 * Token-2022's extension and token-metadata instructions): the variant type, agave's extension
 * names, its signer rule and the result check.
 */
import type { ByteReader } from './byte-reader.ts';
import { hasAccounts, type ParsedInfo } from './program-parser.ts';

/** A parsed instruction's `info`. */
export type Info = Record<string, unknown>;
/** One instruction variant's parser: its data after the tag, and the instruction's accounts. */
export type Variant = (r: ByteReader, a: readonly string[]) => ParsedInfo | null;

/** Agave's `UiExtensionType`, by Token-2022 `ExtensionType` u16. */
export const EXTENSION_TYPES = [
  'uninitialized',
  'transferFeeConfig',
  'transferFeeAmount',
  'mintCloseAuthority',
  'confidentialTransferMint',
  'confidentialTransferAccount',
  'defaultAccountState',
  'immutableOwner',
  'memoTransfer',
  'nonTransferable',
  'interestBearingConfig',
  'cpiGuard',
  'permanentDelegate',
  'nonTransferableAccount',
  'transferHook',
  'transferHookAccount',
  'confidentialTransferFeeConfig',
  'confidentialTransferFeeAmount',
  'metadataPointer',
  'tokenMetadata',
  'groupPointer',
  'tokenGroup',
  'groupMemberPointer',
  'tokenGroupMember',
  'confidentialMintBurn',
  'scaledUiAmount',
  'pausable',
  'pausableAccount',
  'permissionedBurn',
] as const;

/**
 * Agave's `parse_signers`: the account at `authorityIndex` is the authority (`single`), unless
 * signer accounts follow it, in which case it is a multisig (`multisig`) and they are its `signers`.
 */
export function withSigners(info: Info, accounts: readonly string[], authorityIndex: number, single: string, multisig: string): Info {
  const authority = accounts[authorityIndex];
  if (accounts.length > authorityIndex + 1) return { ...info, [multisig]: authority, signers: accounts.slice(authorityIndex + 1) };
  return authority === undefined ? info : { ...info, [single]: authority };
}

/** The parsed value when the data read cleanly and enough accounts are named. */
export const result = (r: ByteReader, accounts: readonly string[], minAccounts: number, type: string, info: () => Info): ParsedInfo | null =>
  r.ok && hasAccounts(accounts, minAccounts) ? { type, info: info() } : null;
