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

/** llc diagnostics we can explain, most telling first: where several fire, the first kind wins. */
const EXPLANATIONS: [RegExp, (fn: string, message: string) => UnsupportedConstructError][] = [
  [/too many arguments/, (fn) => new UnsupportedConstructError('a call with more than 5 arguments that cannot be inlined (an indirect call)', fn)],
  [/only small returns|aggregate returns/, (fn) => new UnsupportedConstructError('a pair or aggregate return that cannot be inlined (an indirect call)', fn)],
  [/stack limit is exceeded/, (fn) => new UnsupportedConstructError('a stack frame over 4 KiB', fn)],
  [
    /built-in function '([^']+)'/,
    (fn, message) => {
      const name = /built-in function '([^']+)'/.exec(message)![1]!;
      return FLOAT_BUILTIN.test(name)
        ? new UnsupportedConstructError('floating point', fn, name)
        : new UnsupportedConstructError(`a call to the compiler built-in '${name}'`, fn);
    },
  ],
  [
    /stack arguments are not supported/,
    (fn) => new UnsupportedConstructError('a function with more than 5 arguments that cannot be inlined (its address is taken)', fn),
  ],
];

/**
 * Turns llc's diagnostics (`error: <unknown>:0:0: in function NAME TYPE: MESSAGE`) into an
 * {@link UnsupportedConstructError} naming the function, or returns null when there are none.
 */
export function explainLlcError(stderr: string): UnsupportedConstructError | null {
  const diagnostics = [...stderr.matchAll(/in function (\S+) [^:]*: (.*)$/gm)].map((m) => ({ fn: demangle(m[1]!), message: m[2]! }));
  if (!diagnostics.length) return null;
  for (const [pattern, explain] of EXPLANATIONS) {
    const hit = diagnostics.find((d) => pattern.test(d.message));
    if (hit) return explain(hit.fn, hit.message);
  }
  return new UnsupportedConstructError(diagnostics[0]!.message.trim(), diagnostics[0]!.fn);
}
