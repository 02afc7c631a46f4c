/**
 * SPL Token and Token-2022 account layouts, read as a validator's `jsonParsed` encoding and its
 * transaction token balances present them.
 */
import { toBase58 } from './base58.ts';

/** SPL Token's program id. */
export const TOKEN_PROGRAM = 'TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA';
/** Token-2022's program id. */
export const TOKEN_2022_PROGRAM = 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb';

/** Whether `owner` is one of the two token programs. */
export const isTokenProgram = (owner: string): boolean => owner === TOKEN_PROGRAM || owner === TOKEN_2022_PROGRAM;

const ACCOUNT_LEN = 165;
const MINT_LEN = 82;
const u64 = (d: Uint8Array, o: number): bigint => new DataView(d.buffer, d.byteOffset, d.byteLength).getBigUint64(o, true);
const u32 = (d: Uint8Array, o: number): number => new DataView(d.buffer, d.byteOffset, d.byteLength).getUint32(o, true);
const u16 = (d: Uint8Array, o: number): number => new DataView(d.buffer, d.byteOffset, d.byteLength).getUint16(o, true);
const key = (d: Uint8Array, o: number): string => toBase58(d.subarray(o, o + 32));
const optKey = (d: Uint8Array, o: number): string | null => (u32(d, o) === 1 ? key(d, o + 4) : null);

/** What a token program account is, by its length and (Token-2022) account-type byte. */
export function tokenKind(owner: string, data: Uint8Array): 'account' | 'mint' | null {
  if (!isTokenProgram(owner)) return null;
  if (data.length === ACCOUNT_LEN) return 'account';
  if (data.length === MINT_LEN) return 'mint';
  if (owner === TOKEN_2022_PROGRAM && data.length > ACCOUNT_LEN) {
    if (data[ACCOUNT_LEN] === 1) return 'mint';
    if (data[ACCOUNT_LEN] === 2) return 'account';
  }
  return null;
}

/** A token account's fields. */
export interface TokenAccountFields {
  mint: string;
  owner: string;
  amount: bigint;
  delegate: string | null;
  state: number;
  isNative: bigint | null;
  delegatedAmount: bigint;
  closeAuthority: string | null;
}

/** Reads a token account (initialised or not). */
export function readTokenAccount(data: Uint8Array): TokenAccountFields {
  return {
    mint: key(data, 0),
    owner: key(data, 32),
    amount: u64(data, 64),
    delegate: optKey(data, 72),
    state: data[108]!,
    isNative: u32(data, 109) === 1 ? u64(data, 113) : null,
    delegatedAmount: u64(data, 121),
    closeAuthority: optKey(data, 129),
  };
}

/** The fields of a token account that a transaction's token balances show. */
export function readTokenBalance(data: Uint8Array): { mint: string; owner: string; amount: bigint } {
  return { mint: key(data, 0), owner: key(data, 32), amount: u64(data, 64) };
}

/** A mint's fields. */
export interface MintFields {
  mintAuthority: string | null;
  supply: bigint;
  decimals: number;
  isInitialized: boolean;
  freezeAuthority: string | null;
}

/** Reads a mint. */
export function readMint(data: Uint8Array): MintFields {
  return {
    mintAuthority: optKey(data, 0),
    supply: u64(data, 36),
    decimals: data[44]!,
    isInitialized: data[45] === 1,
    freezeAuthority: optKey(data, 46),
  };
}

/** A validator's `UiTokenAmount`. */
export interface UiTokenAmount {
  amount: string;
  decimals: number;
  uiAmount: number | null;
  uiAmountString: string;
}

/** `amount` in base units as a validator's `UiTokenAmount`. */
export function uiTokenAmount(amount: bigint, decimals: number): UiTokenAmount {
  const s = amount.toString().padStart(decimals + 1, '0');
  const whole = s.slice(0, s.length - decimals);
  const frac = s.slice(s.length - decimals).replace(/0+$/, '');
  const uiAmountString = frac ? `${whole}.${frac}` : whole;
  return { amount: amount.toString(), decimals, uiAmount: Number(uiAmountString), uiAmountString };
}

const ACCOUNT_STATES = ['uninitialized', 'initialized', 'frozen'];

/** Token-2022 extensions the parser names (others are listed by type number only). */
function parseExtensions(data: Uint8Array): unknown[] {
  const out: unknown[] = [];
  let o = ACCOUNT_LEN + 1;
  while (o + 4 <= data.length) {
    const type = u16(data, o);
    const len = u16(data, o + 2);
    const body = data.subarray(o + 4, o + 4 + len);
    o += 4 + len;
    if (type === 0) break;
    if (type === 18) {
      const zero = (k: Uint8Array) => k.every((b) => b === 0);
      out.push({
        extension: 'metadataPointer',
        state: { authority: zero(body.subarray(0, 32)) ? null : key(body, 0), metadataAddress: zero(body.subarray(32, 64)) ? null : key(body, 32) },
      });
    } else if (type === 19) {
      out.push({ extension: 'tokenMetadata', state: readTokenMetadata(body) });
    } else {
      out.push({ extension: `unparsed:${type}` });
    }
  }
  return out;
}

/** Reads the Token-2022 TokenMetadata extension body (spl-token-metadata's Borsh layout). */
export function readTokenMetadata(body: Uint8Array): { updateAuthority: string | null; mint: string; name: string; symbol: string; uri: string; additionalMetadata: [string, string][] } {
  let o = 64;
  const text = new TextDecoder();
  const str = (): string => {
    const n = u32(body, o);
    const s = text.decode(body.subarray(o + 4, o + 4 + n));
    o += 4 + n;
    return s;
  };
  const updateAuthority = body.subarray(0, 32).every((b) => b === 0) ? null : key(body, 0);
  const mint = key(body, 32);
  const name = str();
  const symbol = str();
  const uri = str();
  const additionalMetadata: [string, string][] = [];
  const n = u32(body, o);
  o += 4;
  for (let i = 0; i < n; i++) additionalMetadata.push([str(), str()]);
  return { updateAuthority, mint, name, symbol, uri, additionalMetadata };
}

/**
 * The `jsonParsed` form of a token program account, or null when it is not one; `decimalsOf`
 * looks a mint's decimals up for token accounts.
 */
export function parseTokenAccountJson(owner: string, data: Uint8Array, decimalsOf: (mint: string) => number | null): unknown | null {
  const kind = tokenKind(owner, data);
  if (!kind) return null;
  const program = owner === TOKEN_PROGRAM ? 'spl-token' : 'spl-token-2022';
  const extensions = owner === TOKEN_2022_PROGRAM && data.length > ACCOUNT_LEN ? { extensions: parseExtensions(data) } : {};
  if (kind === 'mint') {
    const m = readMint(data);
    return {
      program,
      parsed: {
        info: { decimals: m.decimals, freezeAuthority: m.freezeAuthority, isInitialized: m.isInitialized, mintAuthority: m.mintAuthority, supply: m.supply.toString(), ...extensions },
        type: 'mint',
      },
      space: data.length,
    };
  }
  const a = readTokenAccount(data);
  const decimals = decimalsOf(a.mint);
  if (decimals === null) return null;
  const info: Record<string, unknown> = {
    isNative: a.isNative !== null,
    mint: a.mint,
    owner: a.owner,
    state: ACCOUNT_STATES[a.state] ?? 'uninitialized',
    tokenAmount: uiTokenAmount(a.amount, decimals),
  };
  if (a.delegate) {
    info.delegate = a.delegate;
    info.delegatedAmount = uiTokenAmount(a.delegatedAmount, decimals);
  }
  if (a.isNative !== null) info.rentExemptReserve = uiTokenAmount(a.isNative, 9);
  if (a.closeAuthority) info.closeAuthority = a.closeAuthority;
  Object.assign(info, extensions);
  return { program, parsed: { info, type: 'account' }, space: data.length };
}
