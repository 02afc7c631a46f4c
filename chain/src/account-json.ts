/**
 * Accounts in `jsonParsed` encoding, as a validator parses them: SPL Token and Token-2022 accounts
 * and mints (`token.ts`), nonce accounts (`nonce.ts`), the upgradeable BPF loader's accounts and
 * address lookup tables (here). Anything else is null: the caller answers base64, as a validator.
 */
import { toBase58 } from './base58.ts';
import { LOOKUP_TABLE_PROGRAM, readLookupTable } from './lookup-table.ts';
import { parseNonceAccountJson } from './nonce.ts';
import { parseTokenAccountJson } from './token.ts';

const UPGRADEABLE_LOADER = 'BPFLoaderUpgradeab1e11111111111111111111111';
/** UpgradeableLoaderState's fixed metadata sizes (a pubkey less when the authority is None, as agave slices). */
const BUFFER_METADATA = 37;
const PROGRAM_DATA_METADATA = 45;
const PUBKEY = 32;

/** An `Option<Pubkey>` at `at` (a u8 tag, then the key when 1), or undefined when the bytes are not one. */
function optionalKey(data: Uint8Array, at: number): string | null | undefined {
  if (data[at] === 0) return null;
  if (data[at] !== 1 || data.length < at + 1 + PUBKEY) return undefined;
  return toBase58(data.subarray(at + 1, at + 1 + PUBKEY));
}

const base64 = (data: Uint8Array): [string, 'base64'] => [Buffer.from(data).toString('base64'), 'base64'];

/** An upgradeable loader account (uninitialized, buffer, program, programData), or null. */
export function parseLoaderAccountJson(owner: string, data: Uint8Array): unknown | null {
  if (owner !== UPGRADEABLE_LOADER || data.length < 4) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const wrap = (parsed: unknown) => ({ program: 'bpf-upgradeable-loader', parsed, space: data.length });
  switch (view.getUint32(0, true)) {
    case 0:
      return wrap({ type: 'uninitialized' });
    case 1: {
      const authority = optionalKey(data, 4);
      if (authority === undefined) return null;
      return wrap({ type: 'buffer', info: { authority, data: base64(data.subarray(authority ? BUFFER_METADATA : BUFFER_METADATA - PUBKEY)) } });
    }
    case 2:
      return data.length >= 36 ? wrap({ type: 'program', info: { programData: toBase58(data.subarray(4, 36)) } }) : null;
    case 3: {
      if (data.length < 13) return null;
      const authority = optionalKey(data, 12);
      if (authority === undefined) return null;
      const slot = Number(view.getBigUint64(4, true));
      return wrap({ type: 'programData', info: { slot, authority, data: base64(data.subarray(authority ? PROGRAM_DATA_METADATA : PROGRAM_DATA_METADATA - PUBKEY)) } });
    }
    default:
      return null;
  }
}

/** An address lookup table (its addresses, slots as strings, authority while it has one), or null. */
export function parseLookupTableJson(owner: string, data: Uint8Array): unknown | null {
  if (owner !== LOOKUP_TABLE_PROGRAM) return null;
  const t = readLookupTable(data);
  if (!t) return null;
  const wrap = (parsed: unknown) => ({ program: 'address-lookup-table', parsed, space: data.length });
  if (t.kind === 'uninitialized') return wrap({ type: 'uninitialized' });
  const info = {
    deactivationSlot: t.deactivationSlot.toString(),
    lastExtendedSlot: t.lastExtendedSlot.toString(),
    lastExtendedSlotStartIndex: t.lastExtendedSlotStartIndex,
    ...(t.authority ? { authority: t.authority } : {}),
    addresses: t.addresses,
  };
  return wrap({ type: 'lookupTable', info });
}

/** Any account a validator parses, in `jsonParsed` encoding; null for the rest. */
export function parseAccountJson(owner: string, data: Uint8Array, decimalsOf: (mint: string) => number | null): unknown | null {
  return parseTokenAccountJson(owner, data, decimalsOf) ?? parseNonceAccountJson(owner, data) ?? parseLoaderAccountJson(owner, data) ?? parseLookupTableJson(owner, data);
}
