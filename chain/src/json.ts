/** JSON output with exact big integers: `bigint` values are written as bare JSON numbers. */

const MARK = '\u0001';
const PATTERN = /"\\u0001(\d+)\\u0001"/g;

/** `JSON.stringify` that writes bigints as integer literals (e.g. rentEpoch 18446744073709551615). */
export function stringify(value: unknown): string {
  let big = false;
  const out = JSON.stringify(value, (_k, v: unknown) => {
    if (typeof v === 'bigint') {
      if (v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
      big = true;
      return `${MARK}${v}${MARK}`;
    }
    return v;
  });
  return big ? out.replace(PATTERN, '$1') : out;
}
