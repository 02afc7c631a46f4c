/**
 * jsonParsed account parsers: sysvars read from a running chain through web3.js, and on hand-built
 * bytes every loader state, lookup tables and malformed data (null, never a throw).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Keypair, SYSVAR_CLOCK_PUBKEY, SYSVAR_EPOCH_SCHEDULE_PUBKEY, SYSVAR_RENT_PUBKEY, SYSVAR_SLOT_HASHES_PUBKEY, SYSVAR_STAKE_HISTORY_PUBKEY } from '@solana/web3.js';
import { parseLoaderAccountJson, parseLookupTableJson, parseSysvarJson } from '../src/account-json.ts';
import { startChain, type TestChain } from './helpers.ts';

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

describe('sysvars through getParsedAccountInfo', () => {
  let chain: TestChain;
  beforeAll(async () => {
    chain = await startChain();
    for (let i = 0; i < 100 && (await chain.connection.getSlot()) < 3; i++) await new Promise((r) => setTimeout(r, 20));
  });
  afterAll(async () => {
    await chain.dispose();
  });
  const parsed = async (key: typeof SYSVAR_CLOCK_PUBKEY) => (await chain.connection.getParsedAccountInfo(key)).value!.data as { program: string; parsed: { type: string; info: any }; space: number };

  it('clock, rent and epoch schedule hold what the chain says elsewhere', async () => {
    const slot = await chain.connection.getSlot();
    const clock = await parsed(SYSVAR_CLOCK_PUBKEY);
    expect([clock.program, clock.parsed.type, clock.space]).toEqual(['sysvar', 'clock', 40]);
    expect(clock.parsed.info.slot).toBeGreaterThanOrEqual(slot);
    expect(Math.abs(clock.parsed.info.unixTimestamp - Date.now() / 1000)).toBeLessThan(5);
    expect(clock.parsed.info.leaderScheduleEpoch).toBe(clock.parsed.info.epoch + 1);
    const rent = await parsed(SYSVAR_RENT_PUBKEY);
    expect(rent.parsed.type).toBe('rent');
    const { lamportsPerByteYear, exemptionThreshold } = rent.parsed.info;
    // The rent-exempt minimum of an empty account: (128 bytes of overhead) × lamports a byte-year × threshold.
    expect(128 * Number(lamportsPerByteYear) * exemptionThreshold).toBe(await chain.connection.getMinimumBalanceForRentExemption(0));
    const schedule = await parsed(SYSVAR_EPOCH_SCHEDULE_PUBKEY);
    expect(schedule.parsed).toEqual({ type: 'epochSchedule', info: { ...(await chain.rpc('getEpochSchedule')).result } });
  });

  it('slot hashes are the newest blocks’ blockhashes; stake history is a list', async () => {
    const slot = await chain.connection.getSlot();
    const hashes = (await parsed(SYSVAR_SLOT_HASHES_PUBKEY)).parsed;
    expect(hashes.type).toBe('slotHashes');
    expect(hashes.info[0].slot).toBeGreaterThanOrEqual(slot);
    for (const { slot: s, hash } of hashes.info.slice(0, 3)) expect(hash).toBe((await chain.connection.getBlock(s, { maxSupportedTransactionVersion: 0 }))!.blockhash);
    const history = (await parsed(SYSVAR_STAKE_HISTORY_PUBKEY)).parsed;
    expect(history.type).toBe('stakeHistory');
    expect(Array.isArray(history.info)).toBe(true);
  });

  it('a sysvar with data of the wrong size, or another owner, is not parsed', () => {
    expect(parseSysvarJson(SYSVAR_CLOCK_PUBKEY.toBase58(), 'Sysvar1111111111111111111111111111111111111', new Uint8Array(39))).toBeNull();
    expect(parseSysvarJson(SYSVAR_CLOCK_PUBKEY.toBase58(), '11111111111111111111111111111111', new Uint8Array(40))).toBeNull();
    const lying = new Uint8Array(16);
    lying[0] = 9; // nine slot hashes announced, none there
    expect(parseSysvarJson(SYSVAR_SLOT_HASHES_PUBKEY.toBase58(), 'Sysvar1111111111111111111111111111111111111', lying)).toBeNull();
  });
});
