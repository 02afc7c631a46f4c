/** Checks of JSON-RPC parameters; every failure is an {@link InvalidParamsError} (-32602). */
import { fromBase58 } from './base58.ts';
import { InvalidParamsError } from './errors.ts';

/** The commitment levels a validator accepts. */
export const COMMITMENTS = ['processed', 'confirmed', 'finalized', 'recent', 'single', 'singleGossip', 'root', 'max'];

/** `params` as an array (absent → empty). */
export function paramList(params: unknown): unknown[] {
  if (params === undefined || params === null) return [];
  if (!Array.isArray(params)) throw new InvalidParamsError('Invalid params: expected an array of parameters');
  return params;
}

/** A base58 32-byte public key. */
export function pubkey(v: unknown, what = 'param'): string {
  if (typeof v !== 'string') throw new InvalidParamsError(`Invalid ${what}: Invalid`);
  let bytes: Uint8Array;
  try {
    bytes = fromBase58(v);
  } catch {
    throw new InvalidParamsError(`Invalid ${what}: Invalid`);
  }
  if (bytes.length !== 32) throw new InvalidParamsError(`Invalid ${what}: WrongSize`);
  return v;
}

/** A base58 64-byte signature. */
export function signature(v: unknown): string {
  if (typeof v !== 'string') throw new InvalidParamsError('Invalid param: Invalid');
  let bytes: Uint8Array;
  try {
    bytes = fromBase58(v);
  } catch {
    throw new InvalidParamsError('Invalid param: Invalid');
  }
  if (bytes.length !== 64) throw new InvalidParamsError('Invalid param: WrongSize');
  return v;
}

/** A configuration object (absent → empty); checks `commitment` when present. */
export function config(v: unknown): Record<string, unknown> {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new InvalidParamsError('Invalid params: expected a configuration object');
  const c = v as Record<string, unknown>;
  if (c.commitment !== undefined && !COMMITMENTS.includes(c.commitment as string)) {
    throw new InvalidParamsError(`Invalid params: unknown variant \`${String(c.commitment)}\`, expected one of \`processed\`, \`confirmed\`, \`finalized\``);
  }
  return c;
}

/** A non-negative safe integer. */
export function uint(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) throw new InvalidParamsError(`Invalid params: ${what} must be a non-negative integer`);
  return v;
}

/** A string. */
export function str(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new InvalidParamsError(`Invalid params: ${what} must be a string`);
  return v;
}

/** One of the allowed encodings (or the default when absent). */
export function encoding<T extends string>(v: unknown, allowed: readonly T[], fallback: T): T {
  if (v === undefined || v === null) return fallback;
  if (!allowed.includes(v as T)) throw new InvalidParamsError(`Invalid params: unknown variant \`${String(v)}\`, expected one of ${allowed.map((a) => `\`${a}\``).join(', ')}`);
  return v as T;
}
