// Patterns rustc 1.96 emits that once slipped past the legaliser: calls rustc marks `noinline`
// at the call site, and `llvm.smul.with.overflow.i128` (i128::checked_mul, and every i128 `*`
// under overflow-checks).
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../src/build/program-build.ts';
import { locateToolchain } from '../src/build/toolchain-paths.ts';
import { legaliseIr } from '../src/legalise/ir-legalise.ts';
import { binaryOnMemory, irModule } from './helpers/ir-modules.ts';
import { concatBytes, le } from './helpers/le-bytes.ts';
import { FIXTURES_DIR, PROBE_OP, manyArgsModel } from './helpers/legalise-probe-model.ts';
import { LiteSvmProgram } from './helpers/litesvm-program.ts';
import { compileForBpf } from './helpers/llvm-compile.ts';
import { verifyRecords } from './helpers/probe-batches.ts';
import { SeededRandom } from './helpers/seeded-random.ts';

let llvmBin = '';
beforeAll(async () => {
  llvmBin = (await locateToolchain()).llvmBin;
});

// rustc 1.96 marks every direct call of an `#[inline(never)]` function `noinline` at the call
// site too (`call … @f(…) #N` with `attributes #N = { noinline nounwind }`), and
// `opt -passes=always-inline` does not inline such a call: the legaliser must free the call site.
describe('call sites rustc marks noinline', () => {
  it('a direct call of a six-parameter function: the call-site attribute fixed (control)', async () => {
    const { ir } = legaliseIr(sixParameterCall('nounwind'));
    expect((await compileForBpf(llvmBin, ir)).ok).toBe(true);
  });

  it('a direct call of a six-parameter function marked noinline at the call site compiles once legalised', async () => {
    const { ir } = legaliseIr(sixParameterCall('noinline nounwind'));
    const after = await compileForBpf(llvmBin, ir);
    expect(after.stderr).toBe('');
    expect(after.ok).toBe(true);
  });

  it('legalise-probe with direct calls of its #[inline(never)] mix6 and mix8 builds and computes them', async () => {
    const build = await buildProgram({ cargoDir: FIXTURES_DIR, crate: 'legalise-probe', features: ['noinline-call-sites'] });
    expect(build.legalised['force-inline (>5 args)']).toBe(2);
    const program = await LiteSvmProgram.load(build.so);
    const random = new SeededRandom(6n);
    const vectors = Array.from({ length: 20 }, () => Array.from({ length: 8 }, () => random.u64()));
    const cases = vectors.map((v) => ({ label: v.join(','), record: concatBytes(...v.map((x) => le(x, 8))), expected: manyArgsModel(v) }));
    await verifyRecords(program, PROBE_OP.manyArgs, [8, 8, 8, 8], cases);
  });
});

// `llvm.smul.with.overflow.i128` is what `i128::checked_mul` and, with overflow-checks = true
// (as programs/Cargo.toml sets), every `*` on i128 become; unlegalised, llc fails with
// "A call to built-in function '__multi3' is not supported".
describe('llvm.smul.with.overflow.i128', () => {
  it('legalised IR with smul.with.overflow.i128 compiles with llc', async () => {
    const { ir } = legaliseIr(
      binaryOnMemory(
        'f',
        'i128',
        `%o = call { i128, i1 } @llvm.smul.with.overflow.i128(i128 %a, i128 %b)
         %v = extractvalue { i128, i1 } %o, 0
         %c = extractvalue { i128, i1 } %o, 1
         %r = select i1 %c, i128 0, i128 %v`,
        'declare { i128, i1 } @llvm.smul.with.overflow.i128(i128, i128)',
      ),
    );
    const after = await compileForBpf(llvmBin, ir);
    expect(after.stderr).toBe('');
    expect(after.ok).toBe(true);
  });

  it('legalise-probe with i128::checked_mul builds and computes it', async () => {
    const build = await buildProgram({ cargoDir: FIXTURES_DIR, crate: 'legalise-probe', features: ['i128-checked-mul'] });
    const program = await LiteSvmProgram.load(build.so);
    const min = -(1n << 127n);
    const max = (1n << 127n) - 1n;
    const values = [0n, 1n, -1n, 2n, -2n, min, max, 1n << 63n, -(1n << 64n), (1n << 64n) - 1n, 3n << 100n];
    const cases = values.flatMap((a) =>
      values.map((b) => {
        const p = a * b;
        const fits = p >= min && p <= max;
        return {
          label: `${a} * ${b}`,
          record: concatBytes(le(a, 16), le(b, 16)),
          expected: fits ? [1n, BigInt.asUintN(128, p)] : [0n, 0n],
        };
      }),
    );
    await verifyRecords(program, PROBE_OP.checkedMulI128, [1, 16], cases);
  });
});

/** `@caller` calls the six-parameter `@six` with the call-site attributes `callAttributes`. */
function sixParameterCall(callAttributes: string): string {
  return irModule(`
define internal fastcc i64 @six(i64 %a, i64 %b, i64 %c, i64 %d, i64 %e, i64 %f) unnamed_addr #0 {
start:
  %x = add i64 %a, %f
  ret i64 %x
}
define i64 @caller(i64 %a) unnamed_addr #1 {
start:
  %r = call fastcc i64 @six(i64 %a, i64 2, i64 3, i64 4, i64 5, i64 6) #2
  ret i64 %r
}
attributes #0 = { noinline nounwind "target-cpu"="v2" }
attributes #1 = { nounwind "target-cpu"="v2" }
attributes #2 = { ${callAttributes} }`);
}
