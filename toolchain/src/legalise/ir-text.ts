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
