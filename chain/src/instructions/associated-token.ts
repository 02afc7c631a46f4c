/**
 * Associated Token Account program instructions as agave's `parse_associated_token.rs` renders
 * them. Data is empty (the legacy create) or exactly one borsh tag byte: 0 create,
 * 1 createIdempotent, 2 recoverNested.
 */
import { hasAccounts, type ParsedInfo } from './program-parser.ts';

/** The Associated Token Account program's id. */
export const ASSOCIATED_TOKEN_PROGRAM = 'ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL';

/** `create` and `createIdempotent` name the same six accounts. */
function creation(type: 'create' | 'createIdempotent', a: readonly string[]): ParsedInfo | null {
  if (!hasAccounts(a, 6)) return null;
  return { type, info: { source: a[0], account: a[1], wallet: a[2], mint: a[3], systemProgram: a[4], tokenProgram: a[5] } };
}

function recoverNested(a: readonly string[]): ParsedInfo | null {
  if (!hasAccounts(a, 7)) return null;
  return { type: 'recoverNested', info: { nestedSource: a[0], nestedMint: a[1], destination: a[2], nestedOwner: a[3], ownerMint: a[4], wallet: a[5], tokenProgram: a[6] } };
}

/** Parses an Associated Token Account instruction; null for other data or too few accounts. */
export function parseAssociatedTokenInstruction(accounts: readonly string[], data: Uint8Array): ParsedInfo | null {
  if (accounts.length === 0 || data.length > 1) return null;
  const tag = data.length === 0 ? 0 : data[0];
  if (tag === 0) return creation('create', accounts);
  if (tag === 1) return creation('createIdempotent', accounts);
  if (tag === 2) return recoverNested(accounts);
  return null;
}
