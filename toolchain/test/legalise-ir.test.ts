// Unit tests of the IR legaliser on small textual modules: which rewrite fires, what it leaves
// alone, and the shape of what it emits. (legalise-llc.test.ts compiles these with llc, and
// legalise-onchain.test.ts checks the arithmetic on chain.)
import { describe, expect, it } from 'vitest';
import { legaliseIr } from '../src/legalise/ir-legalise.ts';
import { binaryOnMemory, bodyOf, defines, irModule } from './helpers/ir-modules.ts';

const opLines = (ir: string, name: string, pattern: RegExp): string[] => bodyOf(ir, name).filter((l) => pattern.test(l));

describe('legaliseIr: signed division and remainder', () => {
  it('rewrites sdiv i64 into udiv with a sign fix-up, keeping the result name', () => {
    const { ir, stats } = legaliseIr(binaryOnMemory('f', 'i64', '%r = sdiv i64 %a, %b'));
    expect(stats).toEqual({ 'sdiv i64': 1 });
    expect(opLines(ir, 'f', /\bsdiv\b/)).toEqual([]);
    expect(opLines(ir, 'f', /= udiv i64 /)).toHaveLength(1);
    expect(opLines(ir, 'f', /^\s+%r = /)).toHaveLength(1);
  });

  it.each(['i8', 'i16', 'i32', 'i64'])('rewrites sdiv and srem on %s', (ty) => {
    const { ir, stats } = legaliseIr(binaryOnMemory('f', ty, `%d = sdiv ${ty} %a, %b\n%m = srem ${ty} %a, %b\n%r = add ${ty} %d, %m`));
    expect(stats).toEqual({ [`sdiv ${ty}`]: 1, [`srem ${ty}`]: 1 });
    expect(opLines(ir, 'f', /\bs(div|rem)\b/)).toEqual([]);
    expect(opLines(ir, 'f', new RegExp(`= u(div|rem) ${ty} `))).toHaveLength(2);
  });

  it('keeps the exact flag and instruction metadata out of the way of the rewrite', () => {
    const { ir, stats } = legaliseIr(binaryOnMemory('f', 'i32', '%r = sdiv exact i32 %a, %b, !dbg !7'));
    expect(stats).toEqual({ 'sdiv i32': 1 });
    expect(opLines(ir, 'f', /^\s+%r = or i32 .*, 0, !dbg !7$/)).toHaveLength(1);
  });

  it('leaves unsigned 64-bit division, which the BPF backend has, alone', () => {
    const input = binaryOnMemory('f', 'i64', '%d = udiv i64 %a, %b\n%m = urem i64 %a, %b\n%r = mul i64 %d, %m');
    expect(legaliseIr(input)).toEqual({ ir: input, stats: {} });
  });
});

describe('legaliseIr: 128-bit arithmetic', () => {
  it('rewrites mul i128 into 64-bit multiplications', () => {
    const { ir, stats } = legaliseIr(binaryOnMemory('f', 'i128', '%r = mul nuw i128 %a, %b'));
    expect(stats).toEqual({ 'mul i128': 1 });
    expect(opLines(ir, 'f', /= mul\b.* i128 /)).toEqual([]);
    expect(opLines(ir, 'f', /= mul i64 /).length).toBeGreaterThanOrEqual(6);
  });

  it.each(['udiv', 'urem', 'sdiv', 'srem'])('rewrites %s i128 into a call of the appended division helper', (op) => {
    const { ir, stats } = legaliseIr(binaryOnMemory('f', 'i128', `%r = ${op} i128 %a, %b`));
    expect(stats).toEqual({ [`${op} i128`]: 1 });
    expect(opLines(ir, 'f', new RegExp(`= ${op} `))).toEqual([]);
    expect(opLines(ir, 'f', /call void @__sbpf_udivmod128\(ptr /)).toHaveLength(1);
    expect(defines(ir).filter((d) => d.includes('@__sbpf_udivmod128('))).toHaveLength(1);
    // The result slot is an alloca at the top of the entry block, after its label.
    expect(bodyOf(ir, 'f').slice(0, 2)).toEqual(['start:', expect.stringMatching(/^\s+%__dm\d+ = alloca \[4 x i64\], align 8$/)]);
  });

  it('appends the division helper once for many divisions in many functions', () => {
    const a = binaryOnMemory('f', 'i128', '%d = udiv i128 %a, %b\n%r = srem i128 %d, %b');
    const b = binaryOnMemory('g', 'i128', '%r = sdiv i128 %a, %b').replace(/^target.*\n/gm, '');
    const { ir, stats } = legaliseIr(`${a}\n${b}`);
    expect(stats).toEqual({ 'udiv i128': 1, 'srem i128': 1, 'sdiv i128': 1 });
    expect(defines(ir).filter((d) => d.includes('@__sbpf_udivmod128('))).toHaveLength(1);
    expect(bodyOf(ir, 'f').filter((l) => l.includes('alloca'))).toHaveLength(2);
  });

  it.each(['shl', 'lshr', 'ashr'])('rewrites %s i128 by a variable amount and leaves a constant shift alone', (op) => {
    const variable = legaliseIr(binaryOnMemory('f', 'i128', `%r = ${op} i128 %a, %b`));
    expect(variable.stats).toEqual({ [`${op} i128`]: 1 });
    expect(opLines(variable.ir, 'f', new RegExp(`= ${op} i128 %a, %b`))).toEqual([]);
    const constant = binaryOnMemory('f', 'i128', `%r = ${op} i128 %a, 64`);
    expect(legaliseIr(constant)).toEqual({ ir: constant, stats: {} });
  });

  it.each([
    ['umul', 'i64', 'umul.with.overflow.i64'],
    ['smul', 'i64', 'smul.with.overflow.i64'],
    ['umul', 'i128', 'umul.with.overflow.i128'],
  ])('rewrites llvm.%s.with.overflow.%s into a multiply and an overflow check', (kind, ty, key) => {
    const input = binaryOnMemory(
      'f',
      ty,
      `%o = tail call { ${ty}, i1 } @llvm.${kind}.with.overflow.${ty}(${ty} %a, ${ty} noundef %b)
       %v = extractvalue { ${ty}, i1 } %o, 0
       %c = extractvalue { ${ty}, i1 } %o, 1
       %r = select i1 %c, ${ty} 0, ${ty} %v`,
      `declare { ${ty}, i1 } @llvm.${kind}.with.overflow.${ty}(${ty}, ${ty})`,
    );
    const { ir, stats } = legaliseIr(input);
    expect(stats).toEqual({ [key]: 1 });
    expect(opLines(ir, 'f', /@llvm\.\w+\.with\.overflow/)).toEqual([]);
    expect(opLines(ir, 'f', new RegExp(`^\\s+%o = insertvalue \\{ ${ty}, i1 \\} %\\S+, i1 %\\S+, 1$`))).toHaveLength(1);
  });
});

describe('legaliseIr: mem intrinsics', () => {
  const memcpy = (len: string, extra = ''): string =>
    irModule(`
define void @f(ptr %d, ptr %s, i64 %n) {
start:
  call void @llvm.memcpy.p0.p0.i64(ptr align 1 %d, ptr align 1 %s, i64 ${len}, i1 false)
  ret void
}
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
${extra}`);

  it.each(['32', '256'])('keeps a memcpy of constant length %s inline', (len) => {
    const input = memcpy(len);
    expect(legaliseIr(input)).toEqual({ ir: input, stats: {} });
  });

  it.each(['257', '4096', '%n'])('turns a memcpy of length %s into a sol_memcpy_ call', (len) => {
    const { ir, stats } = legaliseIr(memcpy(len));
    expect(stats).toEqual({ 'mem intrinsic -> syscall': 1 });
    expect(bodyOf(ir, 'f')).toContain(`  call void @sol_memcpy_(ptr align 1 %d, ptr align 1 %s, i64 ${len})`);
    expect(ir.match(/^declare void @sol_memcpy_\(ptr, ptr, i64\)$/gm)).toHaveLength(1);
  });

  it('honours inlineMax', () => {
    expect(legaliseIr(memcpy('32'), { inlineMax: 16 }).stats).toEqual({ 'mem intrinsic -> syscall': 1 });
    expect(legaliseIr(memcpy('300'), { inlineMax: 512 }).stats).toEqual({});
  });

  it.each(['memcmp', 'bcmp'])('defines %s over the sol_memcmp_ syscall', (name) => {
    const { ir, stats } = legaliseIr(
      irModule(`
define i1 @f(ptr %a, ptr %b, i64 %n) {
start:
  %c = call i32 @${name}(ptr %a, ptr %b, i64 %n)
  %e = icmp eq i32 %c, 0
  ret i1 %e
}
declare noundef i32 @${name}(ptr noundef, ptr noundef, i64 noundef) unnamed_addr #0`),
    );
    expect(stats).toEqual({ [`${name} -> sol_memcmp_`]: 1 });
    expect(bodyOf(ir, name)).toContain('  call void @sol_memcmp_(ptr %a, ptr %b, i64 %n, ptr %result)');
    expect(ir).not.toMatch(new RegExp(`^declare .*@${name}\\(`, 'm'));
    expect(ir.match(/^declare void @sol_memcmp_\(ptr, ptr, i64, ptr\)$/gm)).toHaveLength(1);
  });

  it('does not declare a syscall the module already declares', () => {
    const { ir } = legaliseIr(memcpy('%n', 'declare void @sol_memcpy_(ptr, ptr, i64)'));
    expect(ir.match(/^declare void @sol_memcpy_\(/gm)).toHaveLength(1);
  });

  it('turns variable-length memmove and memset into sol_memmove_ and sol_memset_', () => {
    const { ir, stats } = legaliseIr(
      irModule(`
define void @f(ptr %d, ptr %s, i64 %n, i8 %v) {
start:
  tail call void @llvm.memmove.p0.p0.i64(ptr align 1 %d, ptr align 1 %s, i64 %n, i1 false)
  tail call void @llvm.memset.p0.i64(ptr align 8 %d, i8 %v, i64 %n, i1 false)
  ret void
}
declare void @llvm.memmove.p0.p0.i64(ptr, ptr, i64, i1)
declare void @llvm.memset.p0.i64(ptr, i8, i64, i1)`),
    );
    expect(stats).toEqual({ 'mem intrinsic -> syscall': 2 });
    expect(bodyOf(ir, 'f')).toEqual([
      'start:',
      '  tail call void @sol_memmove_(ptr align 1 %d, ptr align 1 %s, i64 %n)',
      '  tail call void @sol_memset_(ptr align 8 %d, i8 %v, i64 %n)',
      '  ret void',
    ]);
    expect(ir).toMatch(/^declare void @sol_memmove_\(ptr, ptr, i64\)$/m);
    expect(ir).toMatch(/^declare void @sol_memset_\(ptr, i8, i64\)$/m);
  });
});

describe('legaliseIr: force-inlining what the BPF calling convention cannot call', () => {
  const fn = (ret: string, params: number, attrs = ' #2'): string =>
    irModule(`
define internal fastcc ${ret} @callee(${Array.from({ length: params }, (_, i) => `i64 noundef %p${i}`).join(', ')}) unnamed_addr${attrs} {
start:
  ret ${ret} ${ret === 'i64' ? '%p0' : 'zeroinitializer'}
}
attributes #2 = { noinline nounwind "target-cpu"="v2" }`);

  it('marks a function with six parameters alwaysinline and drops noinline from a copy of its attributes', () => {
    const { ir, stats } = legaliseIr(fn('i64', 6));
    expect(stats).toEqual({ 'force-inline (>5 args)': 1 });
    // The copy takes the next free group number after the module's own (#2 here).
    expect(defines(ir)[0]).toMatch(/\) unnamed_addr #3 alwaysinline \{$/);
    const copy = /^attributes #3 = \{(.*)\}$/m.exec(ir)?.[1];
    expect(copy).toBeDefined();
    expect(copy).not.toMatch(/noinline/);
    expect(copy).toMatch(/nounwind "target-cpu"="v2"/);
    // The original group stays for the functions that still use it.
    expect(ir).toMatch(/^attributes #2 = \{ noinline nounwind "target-cpu"="v2" \}$/m);
  });

  it('marks a function with six parameters and no attribute group alwaysinline', () => {
    const { ir, stats } = legaliseIr(fn('i64', 6, ''));
    expect(stats).toEqual({ 'force-inline (>5 args)': 1 });
    expect(defines(ir)[0]).toMatch(/\) unnamed_addr alwaysinline \{$/);
  });

  it('leaves a function with five parameters alone', () => {
    const input = fn('i64', 5);
    expect(legaliseIr(input)).toEqual({ ir: input, stats: {} });
  });

  it.each(['{ i64, i64 }', 'i128', '[2 x i64]'])('marks a function returning %s alwaysinline', (ret) => {
    const { ir, stats } = legaliseIr(fn(ret, 2));
    expect(stats).toEqual({ 'force-inline (pair return)': 1 });
    expect(defines(ir)[0]).toMatch(/ alwaysinline \{$/);
  });

  it('never force-inlines the entrypoint', () => {
    const input = irModule(`
define { i64, i64 } @entrypoint(ptr %input) {
start:
  ret { i64, i64 } zeroinitializer
}`);
    expect(legaliseIr(input)).toEqual({ ir: input, stats: {} });
  });
});
