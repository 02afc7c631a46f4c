/**
 * Address lookup tables as the runtime reads them (agave's `AddressLookupTable::deserialize`,
 * `lookup` and `LookupTableMeta::status`): the layout, which addresses are usable in a slot, and the
 * invalid-transaction errors a validator's RPC answers when a v0 transaction's lookup fails.
 */
import { toBase58 } from './base58.ts';
import type { AccountState } from './engine.ts';
import { InvalidParamsError } from './errors.ts';
import { namedError } from './tx-errors.ts';

/** The lookup table program. */
export const LOOKUP_TABLE_PROGRAM = 'AddressLookupTab1e1111111111111111111111111';
/** A table's metadata: state u32, deactivation slot u64, last extended slot u64, start index u8, Option<authority>, padding. */
const META_SIZE = 56;
const U64_MAX = 2n ** 64n - 1n;

/** A lookup table's state, or `uninitialized`. */
export type LookupTableState =
  | { kind: 'uninitialized' }
  | { kind: 'table'; deactivationSlot: bigint; lastExtendedSlot: bigint; lastExtendedSlotStartIndex: number; authority: string | null; addresses: string[] };

/** Reads a lookup table account's data; null when it is not a well-formed table. */
export function readLookupTable(data: Uint8Array): LookupTableState | null {
  if (data.length < 4) return null;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const state = view.getUint32(0, true);
  if (state === 0) return { kind: 'uninitialized' };
  if (state !== 1 || data.length < META_SIZE || (data.length - META_SIZE) % 32 !== 0) return null;
  const tag = data[21];
  if (tag !== 0 && tag !== 1) return null;
  const addresses: string[] = [];
  for (let o = META_SIZE; o < data.length; o += 32) addresses.push(toBase58(data.subarray(o, o + 32)));
  return {
    kind: 'table',
    deactivationSlot: view.getBigUint64(4, true),
    lastExtendedSlot: view.getBigUint64(12, true),
    lastExtendedSlotStartIndex: data[20]!,
    authority: tag === 1 ? toBase58(data.subarray(22, 54)) : null,
    addresses,
  };
}

const invalid = (name: 'AddressLookupTableNotFound' | 'InvalidAddressLookupTableOwner' | 'InvalidAddressLookupTableData' | 'InvalidAddressLookupTableIndex'): InvalidParamsError =>
  new InvalidParamsError(`invalid transaction: ${namedError(name).message}`);

/**
 * The addresses of `table` a transaction in slot `slot` may load: none of a deactivated table (its
 * deactivation slot left SlotHashes), and of a table extended in this very slot only those it had
 * before. Throws a validator's invalid-transaction error (-32602) for a missing, foreign or
 * malformed table.
 */
export function usableAddresses(table: AccountState | null, slot: number, recentSlot: (slot: bigint) => boolean): string[] {
  if (!table || table.lamports === 0n) throw invalid('AddressLookupTableNotFound');
  if (table.owner !== LOOKUP_TABLE_PROGRAM) throw invalid('InvalidAddressLookupTableOwner');
  const t = readLookupTable(table.data);
  if (!t || t.kind !== 'table') throw invalid('InvalidAddressLookupTableData');
  const current = BigInt(slot);
  if (t.deactivationSlot !== U64_MAX && t.deactivationSlot !== current && !recentSlot(t.deactivationSlot)) throw invalid('AddressLookupTableNotFound');
  return current > t.lastExtendedSlot ? t.addresses : t.addresses.slice(0, t.lastExtendedSlotStartIndex);
}

/** One lookup's addresses; an index past the usable ones is the validator's invalid-index error. */
export function lookedUp(usable: readonly string[], indexes: readonly number[]): string[] {
  return indexes.map((i) => {
    const a = usable[i];
    if (a === undefined) throw invalid('InvalidAddressLookupTableIndex');
    return a;
  });
}
