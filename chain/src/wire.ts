/**
 * A parser of Solana wire transactions (legacy and v0), written for the server's hot path: it reads
 * the signatures, header, keys, blockhash, instructions and lookups without re-encoding anything.
 */
import { toBase58 } from './base58.ts';

/** One compiled instruction. */
export interface WireInstruction {
  programIdIndex: number;
  accounts: number[];
  data: Uint8Array;
}

/** An address table lookup of a v0 message. */
export interface WireLookup {
  accountKey: string;
  writableIndexes: number[];
  readonlyIndexes: number[];
}

/** A parsed wire transaction. */
export interface WireTransaction {
  bytes: Uint8Array;
  signatures: Uint8Array[];
  /** The first signature, base58: the transaction id. */
  signature: string;
  messageBytes: Uint8Array;
  version: 'legacy' | 0;
  header: { numRequiredSignatures: number; numReadonlySignedAccounts: number; numReadonlyUnsignedAccounts: number };
  staticKeys: string[];
  recentBlockhash: string;
  instructions: WireInstruction[];
  lookups: WireLookup[];
}

/** Thrown for bytes that are not a well-formed transaction; the message names what is wrong. */
export class WireFormatError extends Error {
  override readonly name = 'WireFormatError';
  readonly code = 'WIRE_FORMAT_INVALID';
}

class Reader {
  offset = 0;
  constructor(readonly bytes: Uint8Array) {}
  u8(): number {
    if (this.offset >= this.bytes.length) throw new WireFormatError('io error: failed to fill whole buffer');
    return this.bytes[this.offset++]!;
  }
  shortVec(): number {
    let value = 0;
    for (let shift = 0; shift < 21; shift += 7) {
      const b = this.u8();
      value |= (b & 0x7f) << shift;
      if ((b & 0x80) === 0) return value;
    }
    throw new WireFormatError('invalid compact-u16');
  }
  take(n: number): Uint8Array {
    if (this.offset + n > this.bytes.length) throw new WireFormatError('io error: failed to fill whole buffer');
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }
  list(): number[] {
    return Array.from(this.take(this.shortVec()));
  }
}

/** Parses a message (the bytes signatures sign). */
export function parseMessage(bytes: Uint8Array): Omit<WireTransaction, 'bytes' | 'signatures' | 'signature' | 'messageBytes'> & { length: number } {
  const r = new Reader(bytes);
  let version: 'legacy' | 0 = 'legacy';
  const first = bytes[0] ?? 0;
  if (first & 0x80) {
    const v = first & 0x7f;
    if (v !== 0) throw new WireFormatError(`Transaction version (${v}) is not supported`);
    version = 0;
    r.offset = 1;
  }
  const header = { numRequiredSignatures: r.u8(), numReadonlySignedAccounts: r.u8(), numReadonlyUnsignedAccounts: r.u8() };
  const nKeys = r.shortVec();
  const staticKeys: string[] = [];
  for (let i = 0; i < nKeys; i++) staticKeys.push(toBase58(r.take(32)));
  const recentBlockhash = toBase58(r.take(32));
  const nIx = r.shortVec();
  const instructions: WireInstruction[] = [];
  for (let i = 0; i < nIx; i++) {
    const programIdIndex = r.u8();
    const accounts = r.list();
    const data = r.take(r.shortVec());
    instructions.push({ programIdIndex, accounts, data });
  }
  const lookups: WireLookup[] = [];
  if (version === 0) {
    const n = r.shortVec();
    for (let i = 0; i < n; i++) lookups.push({ accountKey: toBase58(r.take(32)), writableIndexes: r.list(), readonlyIndexes: r.list() });
  }
  return { version, header, staticKeys, recentBlockhash, instructions, lookups, length: r.offset };
}

/** Parses wire bytes; throws {@link WireFormatError} on anything malformed or inconsistent. */
export function parseTransaction(bytes: Uint8Array): WireTransaction {
  const r = new Reader(bytes);
  const nSig = r.shortVec();
  const signatures: Uint8Array[] = [];
  for (let i = 0; i < nSig; i++) signatures.push(r.take(64));
  const messageBytes = bytes.subarray(r.offset);
  const message = parseMessage(messageBytes);
  if (message.length !== messageBytes.length) throw new WireFormatError('trailing bytes after the message');
  if (nSig === 0 || nSig !== message.header.numRequiredSignatures) {
    throw new WireFormatError('Transaction failed to sanitize accounts offsets correctly');
  }
  const keyCount = message.staticKeys.length + message.lookups.reduce((n, l) => n + l.writableIndexes.length + l.readonlyIndexes.length, 0);
  for (const ix of message.instructions) {
    if (ix.programIdIndex >= message.staticKeys.length || ix.accounts.some((a) => a >= keyCount)) {
      throw new WireFormatError('Transaction failed to sanitize accounts offsets correctly');
    }
  }
  if (message.header.numRequiredSignatures > message.staticKeys.length) throw new WireFormatError('Transaction failed to sanitize accounts offsets correctly');
  const { length: _length, ...rest } = message;
  return { bytes, signatures, signature: toBase58(signatures[0]!), messageBytes, ...rest };
}

/** Whether the account at `index` (over static then loaded keys) is writable in this message. */
export function isWritableIndex(tx: Pick<WireTransaction, 'header' | 'staticKeys' | 'lookups'>, index: number): boolean {
  const { numRequiredSignatures: s, numReadonlySignedAccounts: rs, numReadonlyUnsignedAccounts: ru } = tx.header;
  const n = tx.staticKeys.length;
  if (index < s) return index < s - rs;
  if (index < n) return index < n - ru;
  const writableLoaded = tx.lookups.reduce((k, l) => k + l.writableIndexes.length, 0);
  return index - n < writableLoaded;
}
