/** Committed transactions in a validator's encodings: json, jsonParsed, base64 and base58. */
import { fromBase58 as toBytes58, toBase58 } from './base58.ts';
import { UnsupportedTransactionVersionError } from './errors.ts';
import type { MetaJson, TxRecord } from './history.ts';
import { parseInstruction } from './instructions/index.ts';
import { isWritableIndex, parseTransaction, type WireTransaction } from './wire.ts';

/** Transaction encodings. */
export const TX_ENCODINGS = ['json', 'jsonParsed', 'base64', 'base58'] as const;
/** One transaction encoding. */
export type TxEncoding = (typeof TX_ENCODINGS)[number];

/** An instruction parsed when its program is known, else partially decoded (keys and base58 data). */
function jsonParsedInstruction(keys: string[], ix: { programIdIndex: number; accounts: number[]; data: Uint8Array }, stackHeight: number | null): unknown {
  const programId = keys[ix.programIdIndex]!;
  const accounts = ix.accounts.map((i) => keys[i]!);
  return parseInstruction(programId, accounts, ix.data, stackHeight) ?? { accounts, data: toBase58(ix.data), programId, stackHeight };
}

function messageJson(tx: WireTransaction): Record<string, unknown> {
  const m: Record<string, unknown> = {
    accountKeys: tx.staticKeys,
    header: tx.header,
    instructions: tx.instructions.map((ix) => ({ accounts: ix.accounts, data: toBase58(ix.data), programIdIndex: ix.programIdIndex, stackHeight: null })),
    recentBlockhash: tx.recentBlockhash,
  };
  if (tx.version === 0) m.addressTableLookups = tx.lookups;
  return m;
}

function messageJsonParsed(tx: WireTransaction, rec: TxRecord): Record<string, unknown> {
  const m: Record<string, unknown> = {
    accountKeys: rec.keys.map((pubkey, i) => ({
      pubkey,
      signer: i < tx.header.numRequiredSignatures,
      source: i < tx.staticKeys.length ? 'transaction' : 'lookupTable',
      writable: isWritableIndex(tx, i),
    })),
    instructions: tx.instructions.map((ix) => jsonParsedInstruction(rec.keys, ix, null)),
    recentBlockhash: tx.recentBlockhash,
  };
  if (tx.version === 0) m.addressTableLookups = tx.lookups;
  return m;
}

function metaParsed(rec: TxRecord): MetaJson {
  return {
    ...rec.meta,
    innerInstructions: rec.meta.innerInstructions.map((g) => ({
      index: g.index,
      instructions: g.instructions.map((ii) => jsonParsedInstruction(rec.keys, { programIdIndex: ii.programIdIndex, accounts: ii.accounts, data: Buffer.from(toBytes58(ii.data)) }, ii.stackHeight)),
    })),
  } as unknown as MetaJson;
}

/** Checks `maxSupportedTransactionVersion` against a record's version. */
export function checkVersion(rec: TxRecord, maxSupported: number | undefined): void {
  if (rec.version === 0 && maxSupported === undefined) throw new UnsupportedTransactionVersionError(0);
}

/** The `transaction` and `meta` of a record in an encoding (getTransaction, getBlock). */
export function encodeTransaction(rec: TxRecord, encoding: TxEncoding, maxSupported: number | undefined): Record<string, unknown> {
  checkVersion(rec, maxSupported);
  const bytes = Buffer.from(rec.wire, 'base64');
  let transaction: unknown;
  let meta: unknown = rec.meta;
  if (encoding === 'base64') transaction = [rec.wire, 'base64'];
  else if (encoding === 'base58') transaction = [toBase58(bytes), 'base58'];
  else {
    const tx = parseTransaction(bytes);
    const signatures = tx.signatures.map(toBase58);
    if (encoding === 'json') transaction = { message: messageJson(tx), signatures };
    else {
      transaction = { message: messageJsonParsed(tx, rec), signatures };
      meta = metaParsed(rec);
    }
  }
  const out: Record<string, unknown> = { meta, transaction };
  if (maxSupported !== undefined) out.version = rec.version;
  return out;
}
