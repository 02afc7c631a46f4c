/** jsonParsed account parsers on hand-built bytes: every loader state, lookup tables, and malformed data (null, never a throw). */
import { describe, expect, it } from 'vitest';
import { Keypair } from '@solana/web3.js';
import { parseLoaderAccountJson, parseLookupTableJson } from '../src/account-json.ts';

const LOADER = 'BPFLoaderUpgradeab1e11111111111111111111111';
const ALT = 'AddressLookupTab1e1111111111111111111111111';
const key = () => Keypair.generate().publicKey;
const u32 = (n: number) => Buffer.from(Uint32Array.of(n).buffer);
const u64 = (n: bigint) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return b;
};

describe('upgradeable loader accounts', () => {
  it('uninitialized, buffer with and without authority, program, programData with and without authority', () => {
    const wrap = (parsed: unknown, space: number) => ({ program: 'bpf-upgradeable-loader', parsed, space });
    expect(parseLoaderAccountJson(LOADER, u32(0))).toEqual(wrap({ type: 'uninitialized' }, 4));
    const auth = key();
    const code = Buffer.from('elf bytes');
    const buffer = Buffer.concat([u32(1), Buffer.from([1]), auth.toBuffer(), code]);
    expect(parseLoaderAccountJson(LOADER, buffer)).toEqual(wrap({ type: 'buffer', info: { authority: auth.toBase58(), data: [code.toString('base64'), 'base64'] } }, buffer.length));
    // Without an authority a validator slices the data a pubkey earlier (agave's parse_bpf_loader).
    const orphan = Buffer.concat([u32(1), Buffer.from([0]), code]);
    expect(parseLoaderAccountJson(LOADER, orphan)).toEqual(wrap({ type: 'buffer', info: { authority: null, data: [code.toString('base64'), 'base64'] } }, orphan.length));
    const pd = key();
    expect(parseLoaderAccountJson(LOADER, Buffer.concat([u32(2), pd.toBuffer()]))).toEqual(wrap({ type: 'program', info: { programData: pd.toBase58() } }, 36));
    const data = Buffer.concat([u32(3), u64(77n), Buffer.from([1]), auth.toBuffer(), code]);
    expect(parseLoaderAccountJson(LOADER, data)).toEqual(wrap({ type: 'programData', info: { slot: 77, authority: auth.toBase58(), data: [code.toString('base64'), 'base64'] } }, data.length));
    const frozen = Buffer.concat([u32(3), u64(78n), Buffer.from([0]), code]);
    expect(parseLoaderAccountJson(LOADER, frozen)).toEqual(wrap({ type: 'programData', info: { slot: 78, authority: null, data: [code.toString('base64'), 'base64'] } }, frozen.length));
  });

  it('malformed or foreign data is not parsed', () => {
    expect(parseLoaderAccountJson(LOADER, Buffer.from([2, 0]))).toBeNull();
    expect(parseLoaderAccountJson(LOADER, Buffer.concat([u32(2), Buffer.alloc(10)]))).toBeNull();
    expect(parseLoaderAccountJson(LOADER, Buffer.concat([u32(3), u64(1n), Buffer.from([7])]))).toBeNull();
    expect(parseLoaderAccountJson(LOADER, u32(9))).toBeNull();
    expect(parseLoaderAccountJson('11111111111111111111111111111111', u32(0))).toBeNull();
  });
});

describe('address lookup tables', () => {
  const meta = (authority: Buffer | null) => Buffer.concat([u32(1), u64(2n ** 64n - 1n), u64(9n), Buffer.from([2]), authority ? Buffer.concat([Buffer.from([1]), authority]) : Buffer.alloc(33), Buffer.alloc(2)]);

  it('a table with and without an authority (a frozen table has none, and no authority field)', () => {
    const auth = key();
    const addrs = [key(), key()];
    const data = Buffer.concat([meta(auth.toBuffer()), ...addrs.map((a) => a.toBuffer())]);
    const info = { deactivationSlot: '18446744073709551615', lastExtendedSlot: '9', lastExtendedSlotStartIndex: 2, addresses: addrs.map((a) => a.toBase58()) };
    expect(parseLookupTableJson(ALT, data)).toEqual({ program: 'address-lookup-table', parsed: { type: 'lookupTable', info: { ...info, authority: auth.toBase58() } }, space: data.length });
    const frozen = Buffer.concat([meta(null), ...addrs.map((a) => a.toBuffer())]);
    expect(parseLookupTableJson(ALT, frozen)).toEqual({ program: 'address-lookup-table', parsed: { type: 'lookupTable', info }, space: frozen.length });
    expect(parseLookupTableJson(ALT, u32(0))).toEqual({ program: 'address-lookup-table', parsed: { type: 'uninitialized' }, space: 4 });
  });

  it('malformed tables are not parsed', () => {
    expect(parseLookupTableJson(ALT, Buffer.concat([meta(null), Buffer.alloc(5)]))).toBeNull();
    expect(parseLookupTableJson(ALT, meta(null).subarray(0, 40))).toBeNull();
    expect(parseLookupTableJson(ALT, u32(3))).toBeNull();
  });
});
