/**
 * The leader, node, vote and performance methods of the single-node cluster, through stock
 * web3.js (whose response schemas check the shapes), and their bad-parameter errors.
 */
import { ComputeBudgetProgram, Keypair, LAMPORTS_PER_SOL, SystemProgram, Transaction, sendAndConfirmTransaction } from '@solana/web3.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChain, type TestChain } from './helpers.ts';

let chain: TestChain;
let identity: string;
beforeAll(async () => {
  chain = await startChain();
  identity = chain.wallet.publicKey.toBase58();
  for (let i = 0; i < 100 && (await chain.connection.getSlot()) < 3; i++) await new Promise((r) => setTimeout(r, 50));
});
afterAll(async () => {
  await chain.dispose();
});

describe('cluster methods', () => {
  it('the identity leads every slot and is the one cluster node; no vote accounts', async () => {
    const c = chain.connection;
    expect((await chain.rpc('getIdentity')).result.identity).toBe(identity);
    expect(await c.getSlotLeader()).toBe(identity);
    const leaders = await c.getSlotLeaders(await c.getSlot(), 10);
    expect(leaders.map((k) => k.toBase58())).toEqual(new Array(10).fill(identity));
    const nodes = await c.getClusterNodes();
    expect(nodes).toHaveLength(1);
    expect(nodes[0]).toMatchObject({ pubkey: identity, version: (await c.getVersion())['solana-core'], featureSet: (await c.getVersion())['feature-set'] });
    expect(await c.getVoteAccounts()).toEqual({ current: [], delinquent: [] });
    const slot = await c.getSlot();
    expect((await chain.rpc('getMaxRetransmitSlot')).result).toBeGreaterThanOrEqual(slot);
    expect((await chain.rpc('getMaxShredInsertSlot')).result).toBeGreaterThanOrEqual(slot);
  });

  it('getLeaderSchedule gives the identity every slot of the epoch; null past the next epoch', async () => {
    const c = chain.connection;
    const epoch = await c.getEpochInfo();
    // The epoch of a given slot (epochs are short here: 32, 64, 128… slots of 100 ms).
    const schedule = (await chain.rpc('getLeaderSchedule', [epoch.absoluteSlot])).result;
    expect(Object.keys(schedule)).toEqual([identity]);
    expect(schedule[identity]).toEqual(Array.from({ length: epoch.slotsInEpoch }, (_, i) => i));
    // The current epoch, through web3.js's schema.
    expect(Object.keys(await c.getLeaderSchedule())).toEqual([identity]);
    expect(await chain.rpc('getLeaderSchedule', [null, { identity: Keypair.generate().publicKey.toBase58() }])).toMatchObject({ result: {} });
    expect((await chain.rpc('getLeaderSchedule', [10 ** 12])).result).toBeNull();
    expect((await chain.rpc('getLeaderSchedule', ['soon'])).error.code).toBe(-32602);
    expect((await chain.rpc('getLeaderSchedule', [{ identity }])).result[identity].length).toBeGreaterThanOrEqual(32);
  });

  it('getBlockProduction counts the identity’s leader slots and the blocks made in a range', async () => {
    const c = chain.connection;
    const slot = await c.getSlot();
    const all = await c.getBlockProduction();
    // By default the current epoch so far: it starts on an epoch boundary (warmup epochs: 32, 64, 128… slots).
    const { firstSlot, lastSlot } = all.value.range;
    expect([0, 32, 96, 224, 480, 992, 2016]).toContain(firstSlot);
    expect(firstSlot).toBeLessThanOrEqual(slot);
    expect(lastSlot).toBeGreaterThanOrEqual(slot);
    const [leaderSlots, produced] = all.value.byIdentity[identity]!;
    expect(leaderSlots).toBe(lastSlot - firstSlot + 1);
    expect(produced).toBe((await c.getBlocks(firstSlot, lastSlot)).length);
    const some = await c.getBlockProduction({ range: { firstSlot: 1, lastSlot: 2 } });
    expect(some.value.byIdentity[identity]).toEqual([2, (await c.getBlocks(1, 2)).length]);
    const other = await c.getBlockProduction({ identity: Keypair.generate().publicKey.toBase58() });
    expect(other.value.byIdentity).toEqual({});
  });

  it('getRecentPerformanceSamples: complete 60-second samples since genesis, newest first, counting every transaction', async () => {
    const c = chain.connection;
    expect(await c.getRecentPerformanceSamples()).toEqual([]); // the chain is younger than a sample
    for (let i = 0; i < 3; i++) {
      await sendAndConfirmTransaction(c, new Transaction().add(SystemProgram.transfer({ fromPubkey: chain.wallet.publicKey, toPubkey: Keypair.generate().publicKey, lamports: LAMPORTS_PER_SOL })), [chain.wallet]);
    }
    const count = await c.getTransactionCount();
    // Two sample periods pass: the warp makes a block 125 s later, which completes both.
    await chain.rpc('spicetime_advanceTime', [125]);
    const slot = await c.getSlot();
    for (let i = 0; i < 100 && (await c.getSlot()) === slot; i++) await new Promise((r) => setTimeout(r, 20));
    const samples = await c.getRecentPerformanceSamples();
    expect(samples).toHaveLength(2);
    expect(samples.every((s) => s.samplePeriodSecs === 60)).toBe(true);
    expect(samples[0]!.slot).toBeGreaterThanOrEqual(samples[1]!.slot);
    expect(samples[0]!.numTransactions + samples[1]!.numTransactions).toBe(count);
    expect(samples[1]!.numSlots).toBeGreaterThan(0);
    expect(samples[0]!.numSlots + samples[1]!.numSlots).toBe(samples[0]!.slot); // every slot since genesis (slot 0)
    const raw = (await chain.rpc('getRecentPerformanceSamples', [2])).result as { numTransactions: number; numNonVoteTransactions: number }[];
    expect(raw.map((s) => s.numNonVoteTransactions)).toEqual(raw.map((s) => s.numTransactions)); // no votes here
    expect(await c.getRecentPerformanceSamples(1)).toEqual(samples.slice(0, 1));
  });

  it('getRecentPrioritizationFees: each block’s lowest unit price, raised by the requested write-locked accounts’', async () => {
    const c = chain.connection;
    const [x, y] = [Keypair.generate().publicKey, Keypair.generate().publicKey];
    const paying = async (to: typeof x, microLamports: number) => {
      const latest = await c.getLatestBlockhash();
      const tx = new Transaction({ feePayer: chain.wallet.publicKey, ...latest })
        .add(ComputeBudgetProgram.setComputeUnitPrice({ microLamports }))
        .add(SystemProgram.transfer({ fromPubkey: chain.wallet.publicKey, toPubkey: to, lamports: LAMPORTS_PER_SOL }));
      tx.sign(chain.wallet);
      return c.sendRawTransaction(tx.serialize());
    };
    // Sent together, so they may share a block: then the block's price is the lower one.
    const [a, b] = await Promise.all([paying(x, 1000), paying(y, 50)]);
    for (const sig of [a, b]) await c.confirmTransaction({ signature: sig, ...(await c.getLatestBlockhash()) }, 'confirmed');
    const slotA = (await c.getTransaction(a, { maxSupportedTransactionVersion: 0 }))!.slot;
    const slotB = (await c.getTransaction(b, { maxSupportedTransactionVersion: 0 }))!.slot;
    const all = await c.getRecentPrioritizationFees();
    expect(all.length).toBeGreaterThan(0);
    expect(all.length).toBeLessThanOrEqual(150);
    expect(all.map((f) => f.slot)).toEqual([...all.map((f) => f.slot)].sort((p, q) => p - q));
    const at = (list: typeof all, slot: number) => list.find((f) => f.slot === slot)?.prioritizationFee;
    expect(at(all, slotB)).toBe(50);
    expect(at(all, slotA)).toBe(slotA === slotB ? 50 : 1000);
    const forX = await c.getRecentPrioritizationFees({ lockedWritableAccounts: [x] });
    expect(at(forX, slotA)).toBe(1000);
    // Only blocks with transactions are listed (as a validator's cache); the others here set no price.
    const listed = new Set(all.map((f) => f.slot));
    for (const slot of await c.getBlocks(all[0]!.slot, all[all.length - 1]!.slot)) {
      const { signatures } = (await chain.rpc('getBlock', [slot, { transactionDetails: 'signatures', maxSupportedTransactionVersion: 0 }])).result;
      expect(listed.has(slot), `slot ${slot} with ${signatures.length} transactions`).toBe(signatures.length > 0);
    }
    expect(all.filter((f) => f.slot !== slotA && f.slot !== slotB).every((f) => f.prioritizationFee === 0)).toBe(true);
    expect((await chain.rpc('getRecentPrioritizationFees', [Array.from({ length: 129 }, () => x.toBase58())])).error).toEqual({ code: -32602, message: 'Too many inputs provided; max 128' });
    expect((await chain.rpc('getRecentPrioritizationFees', [['nope']])).error.code).toBe(-32602);
  });

  it('bad parameters get -32602 with a validator’s message', async () => {
    expect((await chain.rpc('getSlotLeaders', [0, 5001])).error).toEqual({ code: -32602, message: 'Invalid limit; max 5000' });
    expect((await chain.rpc('getSlotLeaders', [-1, 1])).error.code).toBe(-32602);
    expect((await chain.rpc('getRecentPerformanceSamples', [721])).error).toEqual({ code: -32602, message: 'Invalid limit; max 720' });
    expect((await chain.rpc('getBlockProduction', [{ range: { firstSlot: 5, lastSlot: 2 } }])).error).toEqual({ code: -32602, message: 'lastSlot, 2, cannot be less than firstSlot, 5' });
    expect((await chain.rpc('getBlockProduction', [{ range: { firstSlot: 0, lastSlot: 10 ** 9 } }])).error.code).toBe(-32602);
    expect((await chain.rpc('getBlockProduction', [{ identity: 'not-a-key' }])).error.code).toBe(-32602);
    expect((await chain.rpc('getBlockProduction', [{ range: { lastSlot: 2 } }])).error).toEqual({ code: -32602, message: 'Invalid params: missing field `firstSlot`' });
    expect((await chain.rpc('getVoteAccounts', [{ votePubkey: 'xyz' }])).error.code).toBe(-32602);
  });
});
