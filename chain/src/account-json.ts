/**
 * Accounts in `jsonParsed` encoding, as a validator parses them: SPL Token and Token-2022 accounts
 * and mints (`token.ts`), nonce accounts (`nonce.ts`), the upgradeable BPF loader's accounts,
 * address lookup tables and sysvars (here). Anything else is null: the caller answers base64, as a
 * validator.
 */
import { toBase58 } from './base58.ts';
import { SYSVAR_OWNER } from './engine.ts';
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

/** The sysvars parsed here, by address: their `type` and a reader of their data (null when malformed). */
const SYSVARS: ReadonlyMap<string, { type: string; read: (view: DataView) => unknown | null }> = new Map([
  ['SysvarC1ock11111111111111111111111111111111', { type: 'clock', read: (v: DataView) => (v.byteLength === 40 ? { slot: u64(v, 0), epochStartTimestamp: i64(v, 8), epoch: u64(v, 16), leaderScheduleEpoch: u64(v, 24), unixTimestamp: i64(v, 32) } : null) }],
  ['SysvarRent111111111111111111111111111111111', { type: 'rent', read: (v: DataView) => (v.byteLength === 17 ? { lamportsPerByteYear: v.getBigUint64(0, true).toString(), exemptionThreshold: v.getFloat64(8, true), burnPercent: v.getUint8(16) } : null) }],
  ['SysvarEpochSchedu1e111111111111111111111111', { type: 'epochSchedule', read: (v: DataView) => (v.byteLength === 33 ? { slotsPerEpoch: u64(v, 0), leaderScheduleSlotOffset: u64(v, 8), warmup: v.getUint8(16) === 1, firstNormalEpoch: u64(v, 17), firstNormalSlot: u64(v, 25) } : null) }],
  ['SysvarS1otHashes111111111111111111111111111', { type: 'slotHashes', read: (v: DataView) => entries(v, 40, (o) => ({ slot: u64(v, o), hash: toBase58(new Uint8Array(v.buffer, v.byteOffset + o + 8, 32)) })) }],
  ['SysvarStakeHistory1111111111111111111111111', { type: 'stakeHistory', read: (v: DataView) => entries(v, 32, (o) => ({ epoch: u64(v, o), stakeHistory: { effective: u64(v, o + 8), activating: u64(v, o + 16), deactivating: u64(v, o + 24) } })) }],
  ['SysvarLastRestartS1ot1111111111111111111111', { type: 'lastRestartSlot', read: (v: DataView) => (v.byteLength === 8 ? { lastRestartSlot: u64(v, 0) } : null) }],
]);

function u64(v: DataView, at: number): number {
  return Number(v.getBigUint64(at, true));
}
function i64(v: DataView, at: number): number {
  return Number(v.getBigInt64(at, true));
}
/** A bincode `Vec` of fixed-size entries: a u64 count, then the entries; null when the sizes disagree. */
function entries<T>(v: DataView, size: number, at: (offset: number) => T): T[] | null {
  if (v.byteLength < 8) return null;
  const n = u64(v, 0);
  if (8 + n * size > v.byteLength) return null;
  return Array.from({ length: n }, (_, i) => at(8 + i * size));
}

/** A sysvar account (clock, rent, epoch schedule, slot hashes, stake history, last restart slot), or null. */
export function parseSysvarJson(address: string, owner: string, data: Uint8Array): unknown | null {
  const sysvar = owner === SYSVAR_OWNER ? SYSVARS.get(address) : undefined;
  const info = sysvar?.read(new DataView(data.buffer, data.byteOffset, data.byteLength));
  return info ? { program: 'sysvar', parsed: { type: sysvar!.type, info }, space: data.length } : null;
}

/** Any account a validator parses (`address` picks a sysvar's parser), in `jsonParsed` encoding; null for the rest. */
export function parseAccountJson(address: string, owner: string, data: Uint8Array, decimalsOf: (mint: string) => number | null): unknown | null {
  return (
    parseTokenAccountJson(owner, data, decimalsOf) ??
    parseNonceAccountJson(owner, data) ??
    parseLoaderAccountJson(owner, data) ??
    parseLookupTableJson(owner, data) ??
    parseSysvarJson(address, owner, data)
  );
}
