/** Small textual LLVM IR modules for the BPF target, in the shape rustc prints them. */

const HEADER = 'target datalayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128"\ntarget triple = "bpfel"\n';

/** A module: the BPF header, then `body`. */
export const irModule = (body: string): string => `${HEADER}\n${body.trim()}\n`;

/**
 * `define void @NAME(ptr %p)`: loads `%a` and `%b` (type `ty`) from `p[0]` and `p[16]`, runs
 * `lines` (which must set `%r`) and stores `%r` to `p[0]`.
 */
export function binaryOnMemory(name: string, ty: string, lines: string, extra = ''): string {
  return irModule(`
define void @${name}(ptr %p) {
start:
  %a = load ${ty}, ptr %p, align 8
  %q = getelementptr i8, ptr %p, i64 16
  %b = load ${ty}, ptr %q, align 8
${lines
  .trim()
  .split('\n')
  .map((l) => `  ${l.trim()}`)
  .join('\n')}
  store ${ty} %r, ptr %p, align 8
  ret void
}
${extra}`);
}

/** The lines of `ir` that define functions. */
export const defines = (ir: string): string[] => ir.split('\n').filter((l) => l.startsWith('define '));

/** The body lines (between `define` and `}`) of function `@name`. */
export function bodyOf(ir: string, name: string): string[] {
  const lines = ir.split('\n');
  const start = lines.findIndex((l) => l.startsWith('define ') && l.includes(`@${name}(`));
  if (start < 0) throw new Error(`no define of @${name}`);
  const end = lines.indexOf('}', start);
  return lines.slice(start + 1, end);
}
