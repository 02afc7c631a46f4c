import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The fixtures Cargo workspace (toolchain/test/fixtures). */
export const FIXTURES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures');

/** Operation codes of the legalise-probe fixture (see its src/lib.rs). */
export const PROBE_OP = {
  mem: 1,
  mulU128: 2,
  wideMul: 3,
  divremU128: 4,
  divremI128: 5,
  shift128: 6,
  checkedMul64: 7,
  checkedMulU128: 8,
  divremI8: 9,
  divremI16: 10,
  divremI32: 11,
  divremI64: 12,
  manyArgs: 13,
  pair: 14,
  /** Only with the `i128-checked-mul` feature. */
  checkedMulI128: 15,
} as const;

const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const rotl = (x: bigint, r: number): bigint => u64((x << BigInt(r)) | (x >> BigInt(64 - r)));
const MIX_K = [0x9e3779b97f4a7c15n, 0xc2b2ae3d27d4eb4fn, 0x165667b19e3779f9n, 0x85ebca77c2b2ae63n];

/** The probe's `mix6`, over six u64 arguments. */
export function mix6(args: bigint[]): bigint {
  const s = [...args];
  for (const k of MIX_K) for (let i = 0; i < 6; i++) s[i] = u64((s[i]! ^ rotl(s[(i + 1) % 6]!, 23)) * k + BigInt(i));
  return s[0]! ^ rotl(s[1]!, 7) ^ rotl(s[2]!, 14) ^ rotl(s[3]!, 21) ^ rotl(s[4]!, 28) ^ rotl(s[5]!, 35);
}

/** The probe's `mix8`, over eight u64 arguments. */
export function mix8(args: bigint[]): bigint {
  const s = [...args];
  for (const k of MIX_K) for (let i = 0; i < 8; i++) s[i] = u64((rotl(s[i]!, 17) ^ s[(i + 3) % 8]!) * (k | 1n) - BigInt(i));
  return s.reduce((acc, x) => rotl(acc, 9) ^ x, 0n);
}

/** The four outputs of the probe's `many_args` for eight arguments. */
export const manyArgsModel = (v: bigint[]): bigint[] => [mix6(v.slice(0, 6)), mix6(v.slice(2, 8)), mix8(v), mix8([...v].reverse())];
