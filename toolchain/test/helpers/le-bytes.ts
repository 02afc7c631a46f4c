/** Little-endian fixed-width integers as the probe programs read and write them. */

/** `value` as `bytes` little-endian bytes, two's complement (negative values wrap). */
export function le(value: bigint, bytes: number): Uint8Array {
  let v = BigInt.asUintN(bytes * 8, value);
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

/** Reads `bytes` little-endian bytes at `offset` as an unsigned integer. */
export function readLe(data: Uint8Array, offset: number, bytes: number): bigint {
  if (offset + bytes > data.length) throw new RangeError(`read of ${bytes} bytes at ${offset} past ${data.length}`);
  let v = 0n;
  for (let i = bytes - 1; i >= 0; i--) v = (v << 8n) | BigInt(data[offset + i]!);
  return v;
}

/** Joins byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Hex of a value, for readable failure messages. */
export const hex = (v: bigint): string => (v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`);
