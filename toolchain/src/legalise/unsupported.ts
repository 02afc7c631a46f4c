import { UnsupportedConstructError } from '../errors.ts';
import { parseDefine } from './ir-text.ts';
import { demangle } from './rust-demangle.ts';

const FLOAT_OP =
  /=\s*(?:(?:fast|nnan|ninf|nsz|arcp|contract|afn|reassoc)\s+)*(fadd|fsub|fmul|fdiv|frem|fneg|fcmp|fptoui|fptosi|uitofp|sitofp|fpext|fptrunc)\b/;

/**
 * Finds what SBPF cannot run in optimised, legalised IR, naming the function: floating point
 * arithmetic (SBPF has no FPU and upstream LLVM has no soft-float calls for BPF).
 */
export function findUnsupported(ir: string): void {
  let fn = '';
  for (const line of ir.split('\n')) {
    if (line.startsWith('define ')) fn = parseDefine(line).name;
    else if (line === '}') fn = '';
    else if (fn && FLOAT_OP.test(line)) {
      throw new UnsupportedConstructError('floating point', demangle(fn), line.trim().slice(0, 120));
    }
  }
}

const FLOAT_BUILTIN = /^__(add|sub|mul|div|neg|pow|eq|ne|lt|le|gt|ge|unord|cmp)[sdtx]f[23]$|^__(fix|float|extend|trunc)/;

/**
 * Turns llc's diagnostics (`error: <unknown>:0:0: in function NAME TYPE: MESSAGE`) into an
 * {@link UnsupportedConstructError} naming the function, or returns null when none matches.
 */
export function explainLlcError(stderr: string): UnsupportedConstructError | null {
  const m = /in function (\S+) [^:]*: (.*)$/m.exec(stderr);
  if (!m) return null;
  const fn = demangle(m[1]!);
  const message = m[2]!;
  if (/stack limit is exceeded/.test(message)) return new UnsupportedConstructError('a stack frame over 4 KiB', fn);
  if (/too many arguments/.test(message)) {
    return new UnsupportedConstructError('a call with more than 5 arguments that cannot be inlined (an indirect call)', fn);
  }
  if (/only small returns|aggregate returns/.test(message)) {
    return new UnsupportedConstructError('a pair or aggregate return that cannot be inlined (an indirect call)', fn);
  }
  const builtin = /built-in function '([^']+)'/.exec(message);
  if (builtin) {
    const name = builtin[1]!;
    return FLOAT_BUILTIN.test(name)
      ? new UnsupportedConstructError('floating point', fn, name)
      : new UnsupportedConstructError(`a call to the compiler built-in '${name}'`, fn);
  }
  return new UnsupportedConstructError(message.trim(), fn);
}
