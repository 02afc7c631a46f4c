/** Small helpers for reading textual LLVM IR one line at a time. */

/** Splits `a, b(c, d), e` at top-level commas. */
export function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if ('([{<'.includes(ch)) depth++;
    if (')]}>'.includes(ch)) depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur.trim()) parts.push(cur.trim());
  return parts;
}

/** Index of the parenthesis closing the one at `open`, or -1. */
export function matchParen(line: string, open: number): number {
  let depth = 0;
  for (let j = open; j < line.length; j++) {
    if (line[j] === '(') depth++;
    else if (line[j] === ')' && --depth === 0) return j;
  }
  return -1;
}

/** The parts of a `define` line: name, parameter list, return type and where the list closes. */
export function parseDefine(line: string): { name: string; params: string[]; returnType: string; close: number } {
  const at = line.indexOf('@');
  const open = line.indexOf('(', at);
  const close = matchParen(line, open);
  const name = line.slice(at + 1, open).replace(/^"|"$/g, '');
  const params = splitTopLevel(line.slice(open + 1, close)).filter((p) => p && p !== '...');
  const returnType = line
    .slice(7, at)
    .replace(
      /\b(internal|private|hidden|dso_local|fastcc|unnamed_addr|noundef|zeroext|signext|range\([^)]*\)|nonnull|noalias|align \d+|dereferenceable\(\d+\)|inreg|linkonce_odr|weak_odr)\b/g,
      '',
    )
    .trim();
  return { name, params, returnType, close };
}

/**
 * Demangles a Rust legacy symbol (`_ZN4core3fmt5write17h…E` → `core::fmt::write`); other names
 * come back as they are.
 */
export function demangle(symbol: string): string {
  const m = /^_?_ZN(.*)E$/.exec(symbol);
  if (!m) return symbol;
  const parts: string[] = [];
  let rest = m[1]!;
  while (rest.length) {
    const len = /^(\d+)/.exec(rest);
    if (!len) return symbol;
    const n = Number(len[1]);
    parts.push(rest.slice(len[1]!.length, len[1]!.length + n));
    rest = rest.slice(len[1]!.length + n);
  }
  if (parts.length > 1 && /^h[0-9a-f]{16}$/.test(parts.at(-1)!)) parts.pop();
  return parts
    .join('::')
    .replace(/\$LT\$/g, '<')
    .replace(/\$GT\$/g, '>')
    .replace(/\$u20\$/g, ' ')
    .replace(/\$RF\$/g, '&')
    .replace(/\$C\$/g, ',')
    .replace(/\.\./g, '::');
}
