// Each construct the legaliser rewrites makes upstream LLVM's BPF backend fail as it stands and
// compiles once legalised, through the same opt + `llc -march=bpfel -mcpu=v2` steps as buildProgram.
import { beforeAll, describe, expect, it } from 'vitest';
import { legaliseIr } from '../src/legalise/ir-legalise.ts';
import { locateToolchain } from '../src/build/toolchain-paths.ts';
import { compileForBpf } from './helpers/llvm-compile.ts';
import { binaryOnMemory, irModule } from './helpers/ir-modules.ts';

const overflow = (kind: string, ty: string): string =>
  binaryOnMemory(
    'f',
    ty,
    `%o = call { ${ty}, i1 } @llvm.${kind}.with.overflow.${ty}(${ty} %a, ${ty} %b)
     %v = extractvalue { ${ty}, i1 } %o, 0
     %c = extractvalue { ${ty}, i1 } %o, 1
     %r = select i1 %c, ${ty} 0, ${ty} %v`,
    `declare { ${ty}, i1 } @llvm.${kind}.with.overflow.${ty}(${ty}, ${ty})`,
  );

const memIntrinsic = (call: string, declaration: string): string =>
  irModule(`
define void @f(ptr %d, ptr %s, i64 %n) {
start:
  ${call}
  ret void
}
${declaration}`);

const MEMCPY = 'declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)';

/** [what, module, what llc says about the module as it is]. */
const CASES: [string, string, RegExp][] = [
  ['sdiv i64', binaryOnMemory('f', 'i64', '%r = sdiv i64 %a, %b'), /unsupported signed division/],
  ['srem i32', binaryOnMemory('f', 'i32', '%r = srem i32 %a, %b'), /unsupported signed division/],
  ['sdiv i8', binaryOnMemory('f', 'i8', '%r = sdiv i8 %a, %b'), /unsupported signed division/],
  ['mul i128', binaryOnMemory('f', 'i128', '%r = mul i128 %a, %b'), /'__multi3'/],
  ['udiv i128', binaryOnMemory('f', 'i128', '%r = udiv i128 %a, %b'), /'__udivti3'/],
  ['urem i128', binaryOnMemory('f', 'i128', '%r = urem i128 %a, %b'), /'__umodti3'/],
  ['sdiv i128', binaryOnMemory('f', 'i128', '%r = sdiv i128 %a, %b'), /'__divti3'/],
  ['srem i128', binaryOnMemory('f', 'i128', '%r = srem i128 %a, %b'), /'__modti3'/],
  ['shl i128 by a variable', binaryOnMemory('f', 'i128', '%r = shl i128 %a, %b'), /'__ashlti3'/],
  ['lshr i128 by a variable', binaryOnMemory('f', 'i128', '%r = lshr i128 %a, %b'), /'__lshrti3'/],
  ['ashr i128 by a variable', binaryOnMemory('f', 'i128', '%r = ashr i128 %a, %b'), /'__ashrti3'/],
  ['umul.with.overflow.i64', overflow('umul', 'i64'), /'__multi3'/],
  ['smul.with.overflow.i64', overflow('smul', 'i64'), /built-in function/],
  ['umul.with.overflow.i128', overflow('umul', 'i128'), /built-in function/],
  [
    'memcpy of a variable length',
    memIntrinsic('call void @llvm.memcpy.p0.p0.i64(ptr align 1 %d, ptr align 1 %s, i64 %n, i1 false)', MEMCPY),
    /'memcpy'/,
  ],
  [
    'memmove of a variable length',
    memIntrinsic('call void @llvm.memmove.p0.p0.i64(ptr align 1 %d, ptr align 1 %s, i64 %n, i1 false)', 'declare void @llvm.memmove.p0.p0.i64(ptr, ptr, i64, i1)'),
    /'memmove'/,
  ],
  [
    'memset of a variable length',
    memIntrinsic('call void @llvm.memset.p0.i64(ptr align 1 %d, i8 7, i64 %n, i1 false)', 'declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)'),
    /'memset'/,
  ],
  [
    'a call of a function with six parameters',
    irModule(`
define internal i64 @six(i64 %a, i64 %b, i64 %c, i64 %d, i64 %e, i64 %f) unnamed_addr #0 {
start:
  %x = add i64 %a, %f
  ret i64 %x
}
define i64 @caller(i64 %a) {
start:
  %r = call i64 @six(i64 %a, i64 2, i64 3, i64 4, i64 5, i64 6)
  ret i64 %r
}
attributes #0 = { noinline nounwind }`),
    /stack arguments are not supported/,
  ],
  [
    'a call of a function returning a pair',
    irModule(`
define internal { i64, i64 } @pair(i64 %a, i64 %b) unnamed_addr #0 {
start:
  %x = insertvalue { i64, i64 } poison, i64 %a, 0
  %y = insertvalue { i64, i64 } %x, i64 %b, 1
  ret { i64, i64 } %y
}
define i64 @caller(i64 %a) {
start:
  %r = call { i64, i64 } @pair(i64 %a, i64 2)
  %h = extractvalue { i64, i64 } %r, 1
  ret i64 %h
}
attributes #0 = { noinline nounwind }`),
    /returns/,
  ],
];

describe('legalised IR compiles with upstream llc where the original does not', () => {
  let llvmBin = '';
  beforeAll(async () => {
    llvmBin = (await locateToolchain()).llvmBin;
  });

  it.each(CASES)('%s', async (_what, ir, llcError) => {
    const before = await compileForBpf(llvmBin, ir);
    expect(before.ok).toBe(false);
    expect(before.stderr).toMatch(llcError);
    const legalised = legaliseIr(ir);
    expect(Object.keys(legalised.stats)).toHaveLength(1);
    const after = await compileForBpf(llvmBin, legalised.ir);
    expect(after.stderr).toBe('');
    expect(after.ok).toBe(true);
  });

  it('compiles one module with every construct together', async () => {
    const bodies = CASES.map(([, ir], i) => ir.replace(/^target .*$/gm, '').replace(/@(f|six|pair|caller)\b/g, `@$1_${i}`));
    const declarations = new Set<string>();
    const module = irModule(
      bodies
        .join('\n')
        .split('\n')
        .filter((l) => !l.startsWith('declare ') || (!declarations.has(l) && declarations.add(l)))
        .join('\n')
        .replace(/^attributes #0 = .*$/gm, '') + '\nattributes #0 = { noinline nounwind }',
    );
    expect((await compileForBpf(llvmBin, module)).ok).toBe(false);
    const { ir, stats } = legaliseIr(module);
    expect(Object.values(stats).reduce((a, b) => a + b, 0)).toBe(CASES.length);
    const after = await compileForBpf(llvmBin, ir);
    expect(after.stderr).toBe('');
    expect(after.ok).toBe(true);
  });
});
