/** Accounts in a validator's RPC encodings: binary, base58, base64, base64+zstd and jsonParsed. */
import { compress, init as initZstd } from '@bokuweb/zstd-wasm';
import { toBase58 } from './base58.ts';
import type { AccountState } from './engine.ts';
import { InvalidParamsError, InvalidRequestError } from './errors.ts';
import { parseAccountJson } from './account-json.ts';

/** The account encodings. */
export const ACCOUNT_ENCODINGS = ['binary', 'base58', 'base64', 'base64+zstd', 'jsonParsed'] as const;
/** One account encoding. */
export type AccountEncoding = (typeof ACCOUNT_ENCODINGS)[number];

let zstdReady: Promise<void> | null = null;
/** Loads the zstd compressor (WebAssembly) once. */
export const loadZstd = (): Promise<void> => (zstdReady ??= initZstd());

/** A `dataSlice` option. */
export interface DataSlice {
  offset: number;
  length: number;
}

/** Checks a `dataSlice` parameter. */
export function dataSlice(v: unknown): DataSlice | null {
  if (v === undefined || v === null) return null;
  const s = v as Partial<DataSlice>;
  if (typeof s !== 'object' || !Number.isSafeInteger(s.offset) || !Number.isSafeInteger(s.length) || s.offset! < 0 || s.length! < 0) {
    throw new InvalidParamsError('Invalid params: dataSlice needs non-negative offset and length');
  }
  return { offset: s.offset!, length: s.length! };
}

const U64_MAX = 2n ** 64n - 1n;

/** `address`'s data in an encoding (`jsonParsed`: what `account-json.ts` parses; base64 for anything else). */
export function encodeData(address: string, a: AccountState, enc: AccountEncoding, slice: DataSlice | null, decimalsOf: (mint: string) => number | null): unknown {
  if (enc === 'jsonParsed') {
    const parsed = parseAccountJson(address, a.owner, a.data, decimalsOf);
    if (parsed) return parsed;
    enc = 'base64';
  }
  const data = slice ? a.data.subarray(slice.offset, slice.offset + slice.length) : a.data;
  switch (enc) {
    case 'binary':
    case 'base58':
      if (data.length > 128) throw new InvalidRequestError('Encoded binary (base 58) data should be less than 128 bytes, please use Base64 encoding.');
      return enc === 'binary' ? toBase58(data) : [toBase58(data), 'base58'];
    case 'base64+zstd':
      return [Buffer.from(compress(data, 3)).toString('base64'), 'base64+zstd'];
    default:
      return [Buffer.from(data).toString('base64'), 'base64'];
  }
}

/** The account at `address` as RPC answers it. */
export function encodeAccount(address: string, a: AccountState, enc: AccountEncoding, slice: DataSlice | null, decimalsOf: (mint: string) => number | null): Record<string, unknown> {
  return {
    data: encodeData(address, a, enc, slice, decimalsOf),
    executable: a.executable,
    lamports: a.lamports,
    owner: a.owner,
    rentEpoch: a.rentEpoch > U64_MAX ? U64_MAX : a.rentEpoch,
    space: a.data.length,
  };
}
