/** Committed transactions in a validator's encodings: json, jsonParsed, base64 and base58. */
import { fromBase58 as toBytes58, toBase58 } from './base58.ts';
import { UnsupportedTransactionVersionError } from './errors.ts';
import type { MetaJson, TxRecord } from './history.ts';
import { TOKEN_2022_PROGRAM, TOKEN_PROGRAM, uiTokenAmount } from './token.ts';
import { isWritableIndex, parseTransaction, type WireTransaction } from './wire.ts';

/** Transaction encodings. */
export const TX_ENCODINGS = ['json', 'jsonParsed', 'base64', 'base58'] as const;
/** One transaction encoding. */
export type TxEncoding = (typeof TX_ENCODINGS)[number];

const SYSTEM = '11111111111111111111111111111111';

function parseInstruction(programId: string, accounts: string[], data: Uint8Array, decimalsOf: (mint: string) => number | null): unknown | null {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (programId === SYSTEM && data.length >= 12) {
    const kind = view.getUint32(0, true);
    if (kind === 2 && accounts.length >= 2) return { parsed: { info: { destination: accounts[1], lamports: Number(view.getBigUint64(4, true)), source: accounts[0] }, type: 'transfer' }, program: 'system' };
    if (kind === 0 && data.length >= 52 && accounts.length >= 2) {
      return {
        parsed: {
          info: { lamports: Number(view.getBigUint64(4, true)), newAccount: accounts[1], owner: toBase58(data.subarray(20, 52)), source: accounts[0], space: Number(view.getBigUint64(12, true)) },
          type: 'createAccount',
        },
        program: 'system',
      };
    }
  }
  if ((programId === TOKEN_PROGRAM || programId === TOKEN_2022_PROGRAM) && data.length >= 9) {
    const program = programId === TOKEN_PROGRAM ? 'spl-token' : 'spl-token-2022';
    const amount = view.getBigUint64(1, true);
    if (data[0] === 3 && accounts.length >= 3) return { parsed: { info: { amount: amount.toString(), authority: accounts[2], destination: accounts[1], source: accounts[0] }, type: 'transfer' }, program };
    if (data[0] === 12 && data.length >= 10 && accounts.length >= 4) {
      const decimals = data[9]!;
      void decimalsOf;
      return { parsed: { info: { authority: accounts[3], destination: accounts[2], mint: accounts[1], source: accounts[0], tokenAmount: uiTokenAmount(amount, decimals) }, type: 'transferChecked' }, program };
    }
    if (data[0] === 7 && accounts.length >= 3) return { parsed: { info: { account: accounts[1], amount: amount.toString(), mint: accounts[0], mintAuthority: accounts[2] }, type: 'mintTo' }, program };
  }
  return null;
}

function jsonParsedInstruction(keys: string[], ix: { programIdIndex: number; accounts: number[]; data: Uint8Array }, stackHeight: number | null, decimalsOf: (mint: string) => number | null): unknown {
  const programId = keys[ix.programIdIndex]!;
  const accounts = ix.accounts.map((i) => keys[i]!);
  const parsed = parseInstruction(programId, accounts, ix.data, decimalsOf);
  if (parsed) return { ...(parsed as object), programId, stackHeight };
  return { accounts, data: toBase58(ix.data), programId, stackHeight };
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

function messageJsonParsed(tx: WireTransaction, rec: TxRecord, decimalsOf: (mint: string) => number | null): Record<string, unknown> {
  const m: Record<string, unknown> = {
    accountKeys: rec.keys.map((pubkey, i) => ({
      pubkey,
      signer: i < tx.header.numRequiredSignatures,
      source: i < tx.staticKeys.length ? 'transaction' : 'lookupTable',
      writable: isWritableIndex(tx, i),
    })),
    instructions: tx.instructions.map((ix) => jsonParsedInstruction(rec.keys, ix, null, decimalsOf)),
    recentBlockhash: tx.recentBlockhash,
  };
  if (tx.version === 0) m.addressTableLookups = tx.lookups;
  return m;
}

function metaParsed(rec: TxRecord, decimalsOf: (mint: string) => number | null): MetaJson {
  return {
    ...rec.meta,
    innerInstructions: rec.meta.innerInstructions.map((g) => ({
      index: g.index,
      instructions: g.instructions.map((ii) => jsonParsedInstruction(rec.keys, { programIdIndex: ii.programIdIndex, accounts: ii.accounts, data: Buffer.from(toBytes58(ii.data)) }, ii.stackHeight, decimalsOf)),
    })),
  } as unknown as MetaJson;
}

/** Checks `maxSupportedTransactionVersion` against a record's version. */
export function checkVersion(rec: TxRecord, maxSupported: number | undefined): void {
  if (rec.version === 0 && maxSupported === undefined) throw new UnsupportedTransactionVersionError(0);
}

/** The `transaction` and `meta` of a record in an encoding (getTransaction, getBlock). */
export function encodeTransaction(rec: TxRecord, encoding: TxEncoding, maxSupported: number | undefined, decimalsOf: (mint: string) => number | null): Record<string, unknown> {
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
      transaction = { message: messageJsonParsed(tx, rec, decimalsOf), signatures };
      meta = metaParsed(rec, decimalsOf);
    }
  }
  const out: Record<string, unknown> = { meta, transaction };
  if (maxSupported !== undefined) out.version = rec.version;
  return out;
}
