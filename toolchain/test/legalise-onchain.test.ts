// Builds the legalise-probe fixture with the real pipeline (cargo + legaliser + opt + llc + our
// linker), runs every legalised construct on chain in LiteSVM and compares each result with
// BigInt arithmetic, at edge values and at random values from a fixed seed.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ProgramBuild, buildProgram } from '../src/build/program-build.ts';
import { LiteSvmProgram } from './helpers/litesvm-program.ts';
import { concatBytes, hex, le, readLe } from './helpers/le-bytes.ts';
import { FIXTURES_DIR, PROBE_OP, manyArgsModel } from './helpers/legalise-probe-model.ts';
import { type RecordCase, runRecords, verifyRecords } from './helpers/probe-batches.ts';
import { SeededRandom } from './helpers/seeded-random.ts';

const PROBE_SOURCE = path.join(FIXTURES_DIR, 'legalise-probe/src/lib.rs');
const OP = PROBE_OP;

const two = (bits: number): bigint => 1n << BigInt(bits);
const U64_MAX = two(64) - 1n;
const U128_MAX = two(128) - 1n;
const I128_MIN = -two(127);
const u64 = (v: bigint): bigint => BigInt.asUintN(64, v);
const uniq = (values: bigint[]): bigint[] => [...new Set(values)];

/** 2^k - 1, 2^k and 2^k + 1 for k in `exponents`, kept below 2^bits. */
const aroundPowersOfTwo = (exponents: number[], bits: number): bigint[] =>
  exponents.flatMap((k) => [two(k) - 1n, two(k), two(k) + 1n]).filter((v) => v >= 0n && v < two(bits));

const SEED = 0x5eed_1e9a_115en;
/** A random stream of its own for each use, so a test's values do not depend on which others ran. */
const randomFor = (use: string): SeededRandom =>
  new SeededRandom([...use].reduce((h, c) => BigInt.asUintN(64, (h ^ BigInt(c.charCodeAt(0))) * 0x100000001b3n), SEED));
const random = randomFor('edge values');

const U64_VALUES = uniq([
  0n, 1n, 2n, 3n, 10n, 1_000_000_007n,
  ...aroundPowersOfTwo([1, 8, 31, 32, 33, 62, 63], 64),
  U64_MAX - 1n, U64_MAX,
  ...Array.from({ length: 6 }, () => random.u64()),
  ...Array.from({ length: 4 }, () => random.spread(64)),
]);

const U128_VALUES = uniq([
  0n, 1n, 2n, 3n, 10n, 10n ** 19n, 10n ** 38n,
  ...aroundPowersOfTwo([32, 63, 64, 65, 96, 126, 127], 128),
  U128_MAX - 1n, U128_MAX,
  ...Array.from({ length: 4 }, () => random.bits(128)),
  ...Array.from({ length: 4 }, () => random.bits(64)),
  ...Array.from({ length: 4 }, () => random.spread(128)),
]);

/** Signed values of `bits` bits: zero, small ones of both signs, the extremes, random ones. */
function signedValues(bits: number, randoms: number, random: SeededRandom): bigint[] {
  const min = -two(bits - 1);
  const max = two(bits - 1) - 1n;
  const small = [1n, 2n, 3n, 7n, 10n, 255n, 256n, two(bits / 2), two(bits - 2)].filter((v) => v <= max);
  return uniq([
    0n, min, min + 1n, max, max - 1n,
    ...small.flatMap((v) => [v, -v]),
    ...Array.from({ length: randoms }, () => BigInt.asIntN(bits, random.bits(bits))),
    ...Array.from({ length: randoms }, () => BigInt.asIntN(bits, random.spread(bits))),
  ]);
}

const pairs = (xs: bigint[], ys: bigint[] = xs): [bigint, bigint][] => xs.flatMap((x) => ys.map((y): [bigint, bigint] => [x, y]));
const randomPairs = (n: number, make: () => bigint): [bigint, bigint][] => Array.from({ length: n }, () => [make(), make()]);

/** `[is_some u8][value]` as the probe writes an `Option`. */
const option = (value: bigint | null): bigint[] => (value === null ? [0n, 0n] : [1n, value]);

/** The first line (1-based) of the probe's source holding `needle` after the one holding `after`. */
async function probeLine(after: string, needle: string): Promise<number> {
  const lines = (await readFile(PROBE_SOURCE, 'utf8')).split('\n');
  const start = lines.findIndex((l) => l.includes(after));
  const found = lines.findIndex((l, i) => i > start && l.includes(needle));
  if (start < 0 || found < 0) throw new Error(`no '${needle}' after '${after}' in ${PROBE_SOURCE}`);
  return found + 1;
}

let build: ProgramBuild;
let program: LiteSvmProgram;

beforeAll(async () => {
  build = await buildProgram({ cargoDir: FIXTURES_DIR, crate: 'legalise-probe' });
  console.log(`legalise-probe: cargo ${build.seconds.cargo.toFixed(1)} s, backend ${build.seconds.backend.toFixed(2)} s, ${build.so.length} bytes`);
  program = await LiteSvmProgram.load(build.so);
});

describe('legalise-probe build', () => {
  it('fired every legaliser rewrite', () => {
    const stats = build.legalised;
    for (const key of [
      'sdiv i8', 'srem i8', 'sdiv i16', 'srem i16', 'sdiv i32', 'srem i32', 'sdiv i64', 'srem i64',
      'mul i128', 'udiv i128', 'urem i128', 'sdiv i128', 'srem i128', 'shl i128', 'lshr i128', 'ashr i128',
      'umul.with.overflow.i64', 'smul.with.overflow.i64', 'umul.with.overflow.i128',
    ]) {
      expect(stats[key], key).toBeGreaterThanOrEqual(1);
    }
    const keys = Object.keys(stats);
    expect(keys.filter((k) => k.includes('i128')).length).toBeGreaterThanOrEqual(8);
    expect(stats['mem intrinsic -> syscall']).toBeGreaterThanOrEqual(4);
    // mix6 and mix8: the only functions with more than five parameters.
    expect(stats['force-inline (>5 args)']).toBe(2);
  });

  it('calls the mem syscalls the legaliser introduced and sets return data', () => {
    expect(build.link.syscalls).toEqual(expect.arrayContaining(['sol_memcpy_', 'sol_memmove_', 'sol_memset_', 'sol_set_return_data']));
  });

  it('rejects an unknown operation', async () => {
    const run = await program.invoke(Uint8Array.of(0xee));
    expect(run.ok).toBe(false);
    expect(run.ok ? '' : run.error).toMatch(/InvalidInstructionData/);
  });
});

describe('mem intrinsics on chain', () => {
  const BUF = 512;
  const initial = (): Uint8Array => Uint8Array.from({ length: BUF }, (_, i) => (i * 7 + 3) & 0xff);
  /** [label, kind, a, b, n, v]; see `mem_ops` in the probe. The payload is random. */
  const CASES: [string, number, number, number, number, number][] = [
    ['memcpy n=0', 0, 0, 0, 0, 0],
    ['memcpy n=1', 0, 511, 0, 1, 0],
    ['memcpy n=7 unaligned', 0, 5, 3, 7, 0],
    ['memcpy n=8', 0, 8, 0, 8, 0],
    ['memcpy n=255', 0, 100, 1, 255, 0],
    ['memcpy n=256', 0, 0, 10, 256, 0],
    ['memcpy n=257', 0, 200, 1, 257, 0],
    ['memcpy n=300 at the end', 0, 212, 0, 300, 0],
    ['memcpy the whole buffer', 0, 0, 0, 512, 0],
    ['memmove n=0', 1, 3, 300, 0, 0],
    ['memmove forward overlap by 1', 1, 1, 0, 511, 0],
    ['memmove forward overlap', 1, 10, 0, 100, 0],
    ['memmove backward overlap by 1', 1, 0, 1, 511, 0],
    ['memmove backward overlap', 1, 0, 10, 100, 0],
    ['memmove onto itself', 1, 50, 50, 100, 0],
    ['memmove disjoint', 1, 0, 300, 200, 0],
    ['memmove n=300 overlapping', 1, 200, 0, 300, 0],
    ['memset n=0', 2, 0, 0, 0, 0xab],
    ['memset n=1', 2, 511, 0, 1, 0xff],
    ['memset the whole buffer', 2, 0, 0, 512, 0xab],
    ['memset n=33 to zero', 2, 17, 0, 33, 0],
    ['memset n=256', 2, 256, 0, 256, 1],
    ['memset n=300', 2, 3, 0, 300, 0x5a],
    ['constant 512-byte copies, first byte', 3, 0, 0, 0, 1],
    ['constant 512-byte copies, last byte', 3, 511, 0, 0, 0xff],
    ['constant 32-byte copy', 4, 0, 0, 0, 0],
    ['constant 32-byte copy at the end', 4, 480, 7, 0, 0],
  ];

  it.each(CASES)('%s', async (label, kind, a, b, n, v) => {
    const random = randomFor(`mem ${label}`);
    const payload = random.bytes(kind === 0 ? b + n : kind === 4 ? b + 32 : 0);
    const record = concatBytes(Uint8Array.of(kind), le(BigInt(a), 2), le(BigInt(b), 2), le(BigInt(n), 2), Uint8Array.of(v), payload);
    const want = initial();
    if (kind === 0) want.set(payload.subarray(b, b + n), a);
    if (kind === 1) want.copyWithin(a, b, b + n);
    if (kind === 2) want.fill(v, a, a + n);
    if (kind === 3) want[a]! ^= v;
    if (kind === 4) want.set(payload.subarray(b, b + 32), a);
    const run = await program.invoke(concatBytes(Uint8Array.of(OP.mem), record));
    if (!run.ok) expect.fail(`${run.error}\n${run.logs.join('\n')}`);
    expect(Buffer.from(run.returnData).toString('hex')).toBe(Buffer.from(want).toString('hex'));
  });
});

describe('128-bit multiplication on chain', () => {
  it('u128 wrapping_mul (mul i128)', async () => {
    const random = randomFor('mul u128');
    const cases = [...pairs(U128_VALUES), ...randomPairs(200, () => random.spread(128))].map(([a, b]) => ({
      label: `${hex(a)} * ${hex(b)}`,
      record: concatBytes(le(a, 16), le(b, 16)),
      expected: [(a * b) & U128_MAX],
    }));
    await verifyRecords(program, OP.mulU128, [16], cases);
  });

  it('i64 × i64 → i128 and u64 × u64 → u128 full products', async () => {
    const random = randomFor('wide mul');
    const cases = [...pairs(U64_VALUES), ...randomPairs(200, () => random.u64())].map(([a, b]) => ({
      label: `${hex(a)} * ${hex(b)}`,
      record: concatBytes(le(a, 8), le(b, 8)),
      expected: [BigInt.asUintN(128, BigInt.asIntN(64, a) * BigInt.asIntN(64, b)), a * b],
    }));
    await verifyRecords(program, OP.wideMul, [16, 16], cases);
  });
});

describe('128-bit division on chain', () => {
  it('u128 / and % (udiv, urem i128)', async () => {
    const random = randomFor('divrem u128');
    const cases = [...pairs(U128_VALUES), ...randomPairs(300, () => random.spread(128))]
      .filter(([, b]) => b !== 0n)
      .map(([a, b]) => ({ label: `${hex(a)} / ${hex(b)}`, record: concatBytes(le(a, 16), le(b, 16)), expected: [a / b, a % b] }));
    await verifyRecords(program, OP.divremU128, [16, 16], cases);
  });

  it('u128 by a 64-bit divisor (two 32-bit quotient digits, each estimated and corrected)', async () => {
    const random = randomFor('divrem u128 by u64');
    // Divisors whose top digit is small after normalising make the estimates overshoot (the
    // correction steps); dividends just below a multiple of the divisor stress the remainder.
    const divisors = uniq([1n, 3n, 10n ** 9n, 86_400_000n * 10n ** 9n, two(32) - 1n, two(32), two(32) + 1n, two(63) - 1n, two(63), two(63) + 1n, two(64) - 1n, ...Array.from({ length: 40 }, () => random.spread(64) || 1n)]);
    const cases = divisors.flatMap((d) => {
      const ns = [d * (two(64) - 1n) + (d - 1n), (d - 1n) * two(64) + (two(64) - 1n), random.bits(128), random.spread(128), d * random.bits(64) + BigInt(random.below(Number(d > 1000n ? 1000n : d)))];
      return ns.filter((n) => n <= U128_MAX).map((n) => [n, d] as const);
    });
    const records = cases.map(([a, b]) => ({ label: `${hex(a)} / ${hex(b)}`, record: concatBytes(le(a, 16), le(b, 16)), expected: [a / b, a % b] }));
    await verifyRecords(program, OP.divremU128, [16, 16], records);
  });

  it('i128 / and % round toward zero, the remainder taking the dividend sign (sdiv, srem i128)', async () => {
    const random = randomFor('divrem i128');
    const values = uniq([...signedValues(128, 4, random), -two(64), two(64), -(two(64) - 1n), two(63), -two(63), 10n ** 30n, -(10n ** 30n)]);
    const spreadSigned = (): bigint => (random.below(2) ? -random.spread(127) : random.spread(127));
    const cases = [...pairs(values), ...randomPairs(300, spreadSigned)]
      .filter(([a, b]) => b !== 0n && !(a === I128_MIN && b === -1n))
      .map(([a, b]) => ({
        label: `${a} / ${b}`,
        record: concatBytes(le(a, 16), le(b, 16)),
        expected: [BigInt.asUintN(128, a / b), BigInt.asUintN(128, a % b)],
      }));
    await verifyRecords(program, OP.divremI128, [16, 16], cases);
  });
});

describe('128-bit shifts by a variable amount on chain', () => {
  it('u128 << and >>, i128 >> by 0, 1, 63, 64, 65, 127 and more (masked to 7 bits)', async () => {
    const random = randomFor('shift 128');
    const amounts = [0, 1, 2, 31, 32, 63, 64, 65, 96, 126, 127, 128, 129, 200, 0xffff_ffff];
    const values = uniq([...U128_VALUES, I128_MIN & U128_MAX, BigInt.asUintN(128, -2n), 0x8000_0000_0000_0001_8000_0000_0000_0001n]);
    const cases = values.flatMap((a) =>
      [...amounts, random.below(128), random.below(128)].map((s) => {
        const k = BigInt(s & 127);
        return {
          label: `${hex(a)} by ${s}`,
          record: concatBytes(le(a, 16), le(BigInt(s), 4)),
          expected: [(a << k) & U128_MAX, a >> k, BigInt.asUintN(128, BigInt.asIntN(128, a) >> k)],
        };
      }),
    );
    await verifyRecords(program, OP.shift128, [16, 16, 16], cases);
  });
});

describe('checked multiplication on chain', () => {
  it('u64::checked_mul and i64::checked_mul report overflow as None', async () => {
    const random = randomFor('checked mul 64');
    const cases = [...pairs(U64_VALUES), ...randomPairs(200, () => random.spread(64))].map(([a, b]) => {
      const p = a * b;
      const s = BigInt.asIntN(64, a) * BigInt.asIntN(64, b);
      const fits = s >= -two(63) && s < two(63);
      return {
        label: `${hex(a)} * ${hex(b)}`,
        record: concatBytes(le(a, 8), le(b, 8)),
        expected: [...option(p <= U64_MAX ? p : null), ...option(fits ? u64(s) : null)],
      };
    });
    // Both outcomes must be covered, for both types.
    expect(new Set(cases.map((c) => `${c.expected[0]}${c.expected[2]}`))).toEqual(new Set(['00', '01', '10', '11']));
    await verifyRecords(program, OP.checkedMul64, [1, 8, 1, 8], cases);
  });

  it('u128::checked_mul reports overflow as None', async () => {
    const random = randomFor('checked mul u128');
    const cases = [...pairs(U128_VALUES), ...randomPairs(200, () => random.spread(128))].map(([a, b]) => ({
      label: `${hex(a)} * ${hex(b)}`,
      record: concatBytes(le(a, 16), le(b, 16)),
      expected: option(a * b <= U128_MAX ? a * b : null),
    }));
    await verifyRecords(program, OP.checkedMulU128, [1, 16], cases);
  });
});

describe('signed division of i8, i16, i32 and i64 on chain', () => {
  const signedCases = (bits: number, values: [bigint, bigint][]): RecordCase[] =>
    values
      .filter(([a, b]) => b !== 0n && !(a === -two(bits - 1) && b === -1n))
      .map(([a, b]) => ({
        label: `${a} / ${b}`,
        record: concatBytes(le(a, bits / 8), le(b, bits / 8)),
        expected: [BigInt.asUintN(bits, a / b), BigInt.asUintN(bits, a % b)],
      }));

  it('i8 / and %, every pair of operands', async () => {
    const all = Array.from({ length: 256 }, (_, i) => BigInt(i - 128));
    await verifyRecords(program, OP.divremI8, [1, 1], signedCases(8, pairs(all)));
  });

  it.each([
    [16, OP.divremI16],
    [32, OP.divremI32],
    [64, OP.divremI64],
  ])('i%i / and % round toward zero', async (bits, op) => {
    const random = randomFor(`i${bits} division`);
    const values = signedValues(bits, 6, random);
    const cases = signedCases(bits, [...pairs(values), ...randomPairs(200, () => BigInt.asIntN(bits, random.spread(bits)))]);
    await verifyRecords(program, op, [bits / 8, bits / 8], cases);
  });
});

describe("division overflow and division by zero fail the transaction through Rust's own checks", () => {
  const DIVISION = 'out.put(&(a / b).to_le_bytes());';
  /**
   * [what, op, record, where the panic must be reported: the first line holding the second text
   * after the first]. Panics in code a `macro_rules!` expands are reported at its invocation.
   */
  const PANICS: [string, number, Uint8Array, string, string][] = [
    ['i64::MIN / -1', OP.divremI64, concatBytes(le(-two(63), 8), le(-1n, 8)), 'macro_rules! signed_divrem', 'signed_divrem!(divrem_i64, i64);'],
    ['i8::MIN / -1', OP.divremI8, Uint8Array.of(0x80, 0xff), 'macro_rules! signed_divrem', 'signed_divrem!(divrem_i8, i8);'],
    ['i32 / 0', OP.divremI32, concatBytes(le(5n, 4), le(0n, 4)), 'macro_rules! signed_divrem', 'signed_divrem!(divrem_i32, i32);'],
    ['i128::MIN / -1', OP.divremI128, concatBytes(le(I128_MIN, 16), le(-1n, 16)), 'fn divrem_i128(', DIVISION],
    ['u128 / 0', OP.divremU128, concatBytes(le(U128_MAX, 16), le(0n, 16)), 'fn divrem_u128(', DIVISION],
  ];

  it.each(PANICS)('%s panics', async (_what, op, record, after, needle) => {
    const run = await program.invoke(concatBytes(Uint8Array.of(op), record));
    expect(run.ok).toBe(false);
    const logs = run.logs.join('\n');
    const at = /Panicked in (\S+) at (\d+):\d+/.exec(logs);
    expect(at, logs).not.toBeNull();
    expect(at![1]).toMatch(/^(.*\/)?legalise-probe\/src\/lib\.rs$/);
    // Rust's check before the division panicked, not something else.
    expect(Number(at![2])).toBe(await probeLine(after, needle));
  });

  it('the same operations succeed next to the edge (i64::MIN / -2, i64::MIN % 1)', async () => {
    const outputs = await runRecords(program, OP.divremI64, [concatBytes(le(-two(63), 8), le(-2n, 8)), concatBytes(le(-two(63), 8), le(1n, 8))], 16);
    expect(outputs.map((o) => [BigInt.asIntN(64, readLe(o, 0, 8)), BigInt.asIntN(64, readLe(o, 8, 8))])).toEqual([
      [two(62), 0n],
      [-two(63), 0n],
    ]);
  });
});

describe('calls the BPF calling convention cannot make, force-inlined, on chain', () => {
  it('functions with six and eight arguments get every argument in place', async () => {
    const random = randomFor('many args');
    const vectors = [
      [0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n],
      [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n],
      Array.from({ length: 8 }, () => U64_MAX),
      // One distinct argument at each position: a swapped or dropped argument shows.
      ...Array.from({ length: 8 }, (_, i) => Array.from({ length: 8 }, (_, j) => (i === j ? 0xdead_beefn : 0n))),
      ...Array.from({ length: 30 }, () => Array.from({ length: 8 }, () => random.u64())),
    ];
    const cases = vectors.map((v) => ({
      label: `(${v.map(hex).join(', ')})`,
      record: concatBytes(...v.map((x) => le(x, 8))),
      expected: manyArgsModel(v),
    }));
    await verifyRecords(program, OP.manyArgs, [8, 8, 8, 8], cases);
  });

  it('a function returning a pair (u64, u64) and one returning a u128 (rustc returns both through a pointer)', async () => {
    const random = randomFor('pair');
    const cases = [...pairs(U64_VALUES.slice(0, 12)), ...randomPairs(50, () => random.u64())].map(([a, b]) => {
      const c = random.u64();
      return {
        label: `(${hex(a)}, ${hex(b)}, ${hex(c)})`,
        record: concatBytes(le(a, 8), le(b, 8), le(c, 8)),
        expected: [(a * b) >> 64n, u64(a * b), a + b + c],
      };
    });
    await verifyRecords(program, OP.pair, [8, 8, 16], cases);
  });
});
