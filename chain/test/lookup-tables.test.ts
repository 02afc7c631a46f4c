/**
 * Address lookup tables and v0 transactions with stock web3.js: create and extend a table, read it
 * (getAddressLookupTable, jsonParsed), send v0 transactions through it, and the errors a validator
 * gives for a missing table or a bad index.
 */
import {
  AddressLookupTableProgram,
  Keypair,
  LAMPORTS_PER_SOL,
  type PublicKey,
  sendAndConfirmTransaction,
  SystemProgram,
  Transaction,
  type TransactionInstruction,
  TransactionMessage,
  VersionedTransaction,
  type AddressLookupTableAccount,
} from '@solana/web3.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookedUp, usableAddresses } from '../src/lookup-table.ts';
import { startChain, type TestChain } from './helpers.ts';

let chain: TestChain;
beforeAll(async () => {
  chain = await startChain();
});
afterAll(async () => {
  await chain.dispose();
});

/** Waits (bounded) until the chain's slot is past `slot`. */
async function pastSlot(slot: number): Promise<void> {
  for (let i = 0; i < 200 && (await chain.connection.getSlot()) <= slot; i++) await new Promise((r) => setTimeout(r, 20));
}

/** A lookup table owned by the wallet holding `addresses`, usable (one slot after its last extension). */
async function lookupTable(addresses: PublicKey[]): Promise<PublicKey> {
  const c = chain.connection;
  const recentSlot = await c.getSlot('finalized');
  const [create, table] = AddressLookupTableProgram.createLookupTable({ authority: chain.wallet.publicKey, payer: chain.wallet.publicKey, recentSlot });
  const extend = AddressLookupTableProgram.extendLookupTable({ lookupTable: table, authority: chain.wallet.publicKey, payer: chain.wallet.publicKey, addresses });
  await sendAndConfirmTransaction(c, new Transaction().add(create, extend), [chain.wallet]);
  await pastSlot(await c.getSlot());
  return table;
}

/** A signed v0 transaction from the wallet with `ixs`, compiled against `tables`. */
async function v0(ixs: TransactionInstruction[], tables: AddressLookupTableAccount[]): Promise<VersionedTransaction> {
  const { blockhash } = await chain.connection.getLatestBlockhash();
  const message = new TransactionMessage({ payerKey: chain.wallet.publicKey, recentBlockhash: blockhash, instructions: ixs }).compileToV0Message(tables);
  const tx = new VersionedTransaction(message);
  tx.sign([chain.wallet]);
  return tx;
}

describe('address lookup tables', () => {
  it('a created and extended table reads back through getAddressLookupTable and jsonParsed', async () => {
    const addresses = [Keypair.generate().publicKey, Keypair.generate().publicKey, Keypair.generate().publicKey];
    const table = await lookupTable(addresses);
    const got = (await chain.connection.getAddressLookupTable(table)).value!;
    expect(got.state.addresses.map((a) => a.toBase58())).toEqual(addresses.map((a) => a.toBase58()));
    expect(got.state.authority?.toBase58()).toBe(chain.wallet.publicKey.toBase58());
    expect(got.isActive()).toBe(true);
    const parsed = (await chain.connection.getParsedAccountInfo(table)).value!.data;
    expect(parsed).toEqual({
      program: 'address-lookup-table',
      parsed: {
        type: 'lookupTable',
        info: {
          deactivationSlot: '18446744073709551615',
          lastExtendedSlot: String(got.state.lastExtendedSlot),
          lastExtendedSlotStartIndex: 0,
          authority: chain.wallet.publicKey.toBase58(),
          addresses: addresses.map((a) => a.toBase58()),
        },
      },
      space: 56 + 32 * addresses.length,
    });
  });

  it('a v0 transaction through a table lands; getTransaction shows the loaded addresses and the history indexes them', async () => {
    const to = [Keypair.generate().publicKey, Keypair.generate().publicKey];
    const table = await lookupTable(to);
    const account = (await chain.connection.getAddressLookupTable(table)).value!;
    const tx = await v0(to.map((t) => SystemProgram.transfer({ fromPubkey: chain.wallet.publicKey, toPubkey: t, lamports: LAMPORTS_PER_SOL })), [account]);
    expect(tx.message.addressTableLookups).toHaveLength(1);
    const sig = await chain.connection.sendTransaction(tx);
    const latest = await chain.connection.getLatestBlockhash();
    expect((await chain.connection.confirmTransaction({ signature: sig, ...latest }, 'confirmed')).value.err).toBeNull();
    for (const t of to) expect(await chain.connection.getBalance(t)).toBe(LAMPORTS_PER_SOL);
    const got = await chain.connection.getTransaction(sig, { maxSupportedTransactionVersion: 0, commitment: 'confirmed' });
    expect(got?.version).toBe(0);
    expect(got?.meta?.loadedAddresses?.writable.map((a) => a.toBase58())).toEqual(to.map((t) => t.toBase58()));
    expect(got?.meta?.postBalances.slice(-2)).toEqual([LAMPORTS_PER_SOL, LAMPORTS_PER_SOL]);
    expect((await chain.connection.getSignaturesForAddress(to[0]!)).map((s) => s.signature)).toEqual([sig]);
    // Without maxSupportedTransactionVersion a v0 transaction is refused, as by a validator.
    await expect(chain.connection.getTransaction(sig, { commitment: 'confirmed' } as never)).rejects.toThrow(/Transaction version \(0\) is not supported/);
  });

  it('a missing table or an index past its end is refused with the validator’s invalid-transaction error, and costs nothing', async () => {
    const to = Keypair.generate().publicKey;
    const table = await lookupTable([to]);
    const real = (await chain.connection.getAddressLookupTable(table)).value!;
    const before = await chain.connection.getBalance(chain.wallet.publicKey);
    // The same table layout at an address that holds no table.
    const ghost = { ...real, key: Keypair.generate().publicKey, isActive: () => true } as AddressLookupTableAccount;
    const missing = await v0([SystemProgram.transfer({ fromPubkey: chain.wallet.publicKey, toPubkey: to, lamports: LAMPORTS_PER_SOL })], [ghost]);
    await expect(chain.connection.sendTransaction(missing)).rejects.toThrow(/invalid transaction: Transaction loads an address table account that doesn't exist/);
    // An index the table does not have: patch the compiled lookup's index.
    const bad = await v0([SystemProgram.transfer({ fromPubkey: chain.wallet.publicKey, toPubkey: to, lamports: LAMPORTS_PER_SOL })], [real]);
    bad.message.addressTableLookups[0]!.writableIndexes[0] = 7;
    bad.signatures[0] = new Uint8Array(64);
    bad.sign([chain.wallet]);
    await expect(chain.connection.sendTransaction(bad)).rejects.toThrow(/invalid transaction: Transaction address table lookup uses an invalid index/);
    // Also without preflight: a validator's RPC resolves tables before it looks at skipPreflight.
    await expect(chain.connection.sendTransaction(missing, { skipPreflight: true })).rejects.toThrow(/invalid transaction: Transaction loads an address table account that doesn't exist/);
    // An account that is not a table.
    const foreign = { ...real, key: chain.wallet.publicKey, isActive: () => true } as AddressLookupTableAccount;
    const notTable = await v0([SystemProgram.transfer({ fromPubkey: chain.wallet.publicKey, toPubkey: to, lamports: LAMPORTS_PER_SOL })], [foreign]);
    await expect(chain.connection.sendTransaction(notTable)).rejects.toThrow(/invalid transaction: Transaction loads an address table account with an invalid owner/);
    const sim = await chain.rpc('simulateTransaction', [Buffer.from(missing.serialize()).toString('base64'), { encoding: 'base64' }]);
    expect(sim.error).toEqual({ code: -32602, message: "invalid transaction: Transaction loads an address table account that doesn't exist" });
    expect(await chain.connection.getBalance(chain.wallet.publicKey)).toBe(before);
  });
});

describe('which addresses of a table a transaction may load (usableAddresses)', () => {
  const ALT = 'AddressLookupTab1e1111111111111111111111111';
  const addrs = [Keypair.generate().publicKey, Keypair.generate().publicKey, Keypair.generate().publicKey];
  const table = (deactivation: bigint, lastExtended: bigint, startIndex: number, owner = ALT) => {
    const meta = Buffer.alloc(56);
    meta.writeUInt32LE(1, 0);
    meta.writeBigUInt64LE(deactivation, 4);
    meta.writeBigUInt64LE(lastExtended, 12);
    meta[20] = startIndex;
    return { lamports: 1n, owner, executable: false, rentEpoch: 0n, data: Buffer.concat([meta, ...addrs.map((a) => a.toBuffer())]) };
  };
  const ACTIVE = 2n ** 64n - 1n;
  const names = addrs.map((a) => a.toBase58());

  it('all addresses after the slot of the last extension; only the earlier ones within it', () => {
    expect(usableAddresses(table(ACTIVE, 10n, 1, ALT), 11, () => true)).toEqual(names);
    expect(usableAddresses(table(ACTIVE, 10n, 1, ALT), 10, () => true)).toEqual(names.slice(0, 1));
    expect(() => lookedUp(usableAddresses(table(ACTIVE, 10n, 1, ALT), 10, () => true), [2])).toThrow('invalid transaction: Transaction address table lookup uses an invalid index');
  });

  it('a deactivating table is usable while its deactivation slot is in SlotHashes, then it is not found', () => {
    expect(usableAddresses(table(20n, 10n, 0), 20, () => false)).toEqual(names);
    expect(usableAddresses(table(20n, 10n, 0), 30, (s) => s === 20n)).toEqual(names);
    expect(() => usableAddresses(table(20n, 10n, 0), 600, () => false)).toThrow("invalid transaction: Transaction loads an address table account that doesn't exist");
  });

  it('missing, foreign and malformed tables get the validator’s errors', () => {
    expect(() => usableAddresses(null, 1, () => true)).toThrow("doesn't exist");
    expect(() => usableAddresses(table(ACTIVE, 1n, 0, '11111111111111111111111111111111'), 5, () => true)).toThrow('with an invalid owner');
    const bad = table(ACTIVE, 1n, 0);
    expect(() => usableAddresses({ ...bad, data: bad.data.subarray(0, 70) }, 5, () => true)).toThrow('with invalid data');
    expect(() => usableAddresses({ ...bad, data: Buffer.from([0, 0, 0, 0]) }, 5, () => true)).toThrow('with invalid data');
  });
});
