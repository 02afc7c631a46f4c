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

/** 58⁵: the encoder works in limbs of five base58 digits (below 2³⁰, so limb × 2¹⁶ + carry stays exact). */
const LIMB = 58 ** 5;

const CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));

function encode(bytes: Uint8Array): string {
  let zeros = 0;
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++;
  // Little-endian limbs of the number, fed two bytes at a time (one byte first when the length is odd).
  const limbs = new Float64Array((((bytes.length - zeros) * 138) / 500 + 2) >>> 0);
  let n = 0;
  let i = zeros;
  if ((bytes.length - zeros) % 2 === 1) {
    limbs[0] = bytes[i++]!;
    n = 1;
  }
  for (; i < bytes.length; i += 2) {
    let carry = bytes[i]! * 256 + bytes[i + 1]!;
    for (let j = 0; j < n; j++) {
      const x = limbs[j]! * 65536 + carry;
      carry = Math.floor(x / LIMB);
      limbs[j] = x - carry * LIMB;
    }
    while (carry > 0) {
      const q = Math.floor(carry / LIMB);
      limbs[n++] = carry - q * LIMB;
      carry = q;
    }
  }
  const digits = new Uint8Array(zeros + n * 5);
  let k = digits.length;
  for (let j = 0; j < n; j++) {
    let limb = limbs[j]!;
    const last = j === n - 1;
    for (let d = 0; d < 5 && (!last || limb > 0); d++) {
      const q = Math.floor(limb / 58);
      digits[--k] = CODES[limb - q * 58]!;
      limb = q;
    }
  }
  for (let z = 0; z < zeros; z++) digits[--k] = 49; // '1'
  return Buffer.from(digits.buffer, k, digits.length - k).toString('latin1');
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
