/**
 * Base58 (Bitcoin alphabet) for keys, hashes and signatures. The chain converts the same 32-byte
 * keys over and over, so conversions of 32-byte values are cached (bounded).
 */

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const INDEX = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) INDEX[ALPHABET.charCodeAt(i)] = i;
const CACHE_LIMIT = 200_000;
const toCache = new Map<string, string>();
const fromCache = new Map<string, Uint8Array>();

function encode(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  const size = (((bytes.length - zeros) * 138) / 100 + 1) >>> 0;
  const b58 = new Uint8Array(size);
  let length = 0;
  for (let i = zeros; i < bytes.length; i++) {
    let carry = bytes[i]!;
    let k = 0;
    for (let j = size - 1; (carry !== 0 || k < length) && j >= 0; j--, k++) {
      carry += 256 * b58[j]!;
      b58[j] = carry % 58;
      carry = (carry / 58) | 0;
    }
    length = k;
  }
  let it = size - length;
  while (it < size && b58[it] === 0) it++;
  let out = '1'.repeat(zeros);
  for (; it < size; it++) out += ALPHABET[b58[it]!];
  return out;
}

function decode(text: string): Uint8Array {
  let zeros = 0;
  while (zeros < text.length && text[zeros] === '1') zeros++;
  const size = (((text.length - zeros) * 733) / 1000 + 1) >>> 0;
  const b256 = new Uint8Array(size);
  let length = 0;
  for (let i = zeros; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? INDEX[c]! : -1;
    if (v < 0) throw new Error(`invalid base58 character at ${i}`);
    let carry = v;
    let k = 0;
    for (let j = size - 1; (carry !== 0 || k < length) && j >= 0; j--, k++) {
      carry += 58 * b256[j]!;
      b256[j] = carry % 256;
      carry = (carry / 256) | 0;
    }
    length = k;
  }
  let it = size - length;
  while (it < size && b256[it] === 0) it++;
  const out = new Uint8Array(zeros + (size - it));
  out.set(b256.subarray(it), zeros);
  return out;
}

/** Bytes → base58 text. */
export function toBase58(bytes: Uint8Array): string {
  if (bytes.length !== 32) return encode(bytes);
  const k = Buffer.from(bytes.buffer, bytes.byteOffset, 32).toString('latin1');
  let s = toCache.get(k);
  if (s === undefined) {
    s = encode(bytes);
    if (toCache.size >= CACHE_LIMIT) toCache.clear();
    toCache.set(k, s);
  }
  return s;
}

/** Base58 text → bytes; throws on a character outside the alphabet. */
export function fromBase58(text: string): Uint8Array {
  if (text.length < 32 || text.length > 44) return decode(text);
  let b = fromCache.get(text);
  if (b === undefined) {
    b = decode(text);
    if (fromCache.size >= CACHE_LIMIT) fromCache.clear();
    fromCache.set(text, b);
  }
  return b;
}
