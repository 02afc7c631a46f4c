/**
 * Demangles Rust symbol names for error messages: legacy (`_ZN…E`) and v0 (`_R…`, the default of
 * rustc 1.96). v0 is read for paths, generic arguments and common types; anything it does not
 * understand comes back mangled rather than wrong.
 */
export function demangle(symbol: string): string {
  if (/^_?_ZN/.test(symbol)) return demangleLegacy(symbol);
  if (symbol.startsWith('_R')) {
    try {
      return new V0Parser(symbol).symbol();
    } catch {
      return symbol;
    }
  }
  return symbol;
}

function demangleLegacy(symbol: string): string {
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

const BASIC: Record<string, string> = {
  a: 'i8', b: 'bool', c: 'char', d: 'f64', e: 'str', f: 'f32', h: 'u8', i: 'isize', j: 'usize', l: 'i32',
  m: 'u32', n: 'i128', o: 'u128', p: '_', s: 'i16', t: 'u16', u: '()', v: '...', x: 'i64', y: 'u64', z: '!',
};

class V0Parser {
  private pos = 2;
  constructor(private readonly s: string) {}

  symbol(): string {
    if (/\d/.test(this.peek())) this.decimal();
    return this.path();
  }

  private peek(): string {
    return this.s[this.pos] ?? '';
  }
  private next(): string {
    const c = this.s[this.pos++];
    if (c === undefined) throw new Error('end of symbol');
    return c;
  }
  private decimal(): number {
    const m = /^\d+/.exec(this.s.slice(this.pos));
    if (!m) throw new Error('expected a number');
    this.pos += m[0].length;
    return Number(m[0]);
  }
  private base62(): number {
    if (this.peek() === '_') {
      this.pos++;
      return 0;
    }
    let n = 0;
    for (let c = this.next(); c !== '_'; c = this.next()) {
      n = n * 62 + '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'.indexOf(c);
    }
    return n + 1;
  }
  private disambiguator(): void {
    if (this.peek() === 's') {
      this.pos++;
      this.base62();
    }
  }
  private identifier(): string {
    this.disambiguator();
    if (this.peek() === 'u') throw new Error('punycode');
    const n = this.decimal();
    if (this.peek() === '_') this.pos++;
    const id = this.s.slice(this.pos, this.pos + n);
    this.pos += n;
    return id;
  }
  private backref<T>(read: () => T): T {
    const target = this.base62() + 2;
    const saved = this.pos;
    this.pos = target;
    const out = read();
    this.pos = saved;
    return out;
  }

  path(): string {
    const tag = this.next();
    switch (tag) {
      case 'C':
        return this.identifier();
      case 'N': {
        const ns = this.next();
        const parent = this.path();
        const id = this.identifier();
        if (ns === 'C') return `${parent}::{closure}`;
        return id ? `${parent}::${id}` : parent;
      }
      case 'M': {
        this.disambiguator();
        this.path();
        return `<${this.type()}>`;
      }
      case 'X': {
        this.disambiguator();
        this.path();
        const self = this.type();
        return `<${self} as ${this.path()}>`;
      }
      case 'Y': {
        const self = this.type();
        return `<${self} as ${this.path()}>`;
      }
      case 'I': {
        const base = this.path();
        const args: string[] = [];
        while (this.peek() !== 'E') args.push(this.genericArg());
        this.pos++;
        return `${base}<${args.join(', ')}>`;
      }
      case 'B':
        return this.backref(() => this.path());
      default:
        throw new Error(`path tag ${tag}`);
    }
  }

  private genericArg(): string {
    if (this.peek() === 'L') {
      this.pos++;
      this.base62();
      return "'_";
    }
    if (this.peek() === 'K') {
      this.pos++;
      return this.constant();
    }
    return this.type();
  }

  private constant(): string {
    if (this.peek() === 'B') {
      this.pos++;
      return this.backref(() => this.constant());
    }
    const ty = this.next();
    if (ty === 'p') return '_';
    let hex = '';
    for (let c = this.next(); c !== '_'; c = this.next()) hex += c;
    return BASIC[ty] === 'bool' ? String(hex === '1') : String(BigInt(`0x${hex || '0'}`));
  }

  private type(): string {
    const c = this.peek();
    if (BASIC[c]) {
      this.pos++;
      return BASIC[c]!;
    }
    switch (c) {
      case 'R':
      case 'Q': {
        this.pos++;
        if (this.peek() === 'L') {
          this.pos++;
          this.base62();
        }
        return `&${c === 'Q' ? 'mut ' : ''}${this.type()}`;
      }
      case 'P':
      case 'O':
        this.pos++;
        return `*${c === 'O' ? 'mut' : 'const'} ${this.type()}`;
      case 'A': {
        this.pos++;
        const t = this.type();
        return `[${t}; ${this.constant()}]`;
      }
      case 'S':
        this.pos++;
        return `[${this.type()}]`;
      case 'T': {
        this.pos++;
        const items: string[] = [];
        while (this.peek() !== 'E') items.push(this.type());
        this.pos++;
        return `(${items.join(', ')})`;
      }
      case 'B':
        this.pos++;
        return this.backref(() => this.type());
      default:
        return this.path();
    }
  }
}
