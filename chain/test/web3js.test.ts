/** Stock @solana/web3.js 1.x against the running chain. */
import { Keypair, LAMPORTS_PER_SOL, SystemProgram, Transaction, sendAndConfirmTransaction } from '@solana/web3.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChain, type TestChain } from './helpers.ts';

let chain: TestChain;
beforeAll(async () => {
  chain = await startChain();
  // Slots advance on the chain's timer: wait (bounded) for the first one past genesis.
  for (let i = 0; i < 100 && (await chain.connection.getSlot()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
});
afterAll(async () => {
  await chain.dispose();
});

describe('web3.js Connection', () => {
  it('getVersion, getHealth, getGenesisHash, getSlot, getBlockHeight, getEpochInfo', async () => {
    const c = chain.connection;
    expect((await c.getVersion())['solana-core']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(await chain.rpc('getHealth')).toEqual({ jsonrpc: '2.0', result: 'ok', id: 1 });
    expect(await c.getGenesisHash()).toBe(chain.server.chain.genesisHash);
    const slot = await c.getSlot();
    expect(slot).toBeGreaterThan(0);
    expect(await c.getBlockHeight()).toBeGreaterThan(0);
    const epoch = await c.getEpochInfo();
    expect(epoch.absoluteSlot).toBeGreaterThanOrEqual(slot);
    expect(epoch.slotsInEpoch).toBeGreaterThan(0);
  });

  it('getLatestBlockhash answers with context and a lastValidBlockHeight 150 blocks ahead', async () => {
    const res = await chain.rpc('getLatestBlockhash', [{ commitment: 'finalized' }]);
    expect(res.result.context.slot).toBeGreaterThan(0);
    const height = await chain.connection.getBlockHeight();
    expect(res.result.value.lastValidBlockHeight - height).toBeLessThanOrEqual(150);
    expect(res.result.value.lastValidBlockHeight - height).toBeGreaterThan(140);
    expect((await chain.connection.isBlockhashValid(res.result.value.blockhash)).value).toBe(true);
    expect((await chain.connection.isBlockhashValid('11111111111111111111111111111111')).value).toBe(false);
  });

  it('requestAirdrop lands a real transfer and getBalance sees it', async () => {
    const who = Keypair.generate();
    const sig = await chain.connection.requestAirdrop(who.publicKey, 2 * LAMPORTS_PER_SOL);
    const latest = await chain.connection.getLatestBlockhash();
    await chain.connection.confirmTransaction({ signature: sig, ...latest }, 'confirmed');
    expect(await chain.connection.getBalance(who.publicKey)).toBe(2 * LAMPORTS_PER_SOL);
    const status = (await chain.connection.getSignatureStatuses([sig])).value[0];
    expect(status?.err).toBeNull();
    expect(status?.confirmationStatus).toBe('finalized');
  });

  it('sendAndConfirmTransaction moves lamports, charges 5000 lamports and getTransaction shows it', async () => {
    const to = Keypair.generate().publicKey;
    const before = await chain.connection.getBalance(chain.wallet.publicKey);
    const sig = await sendAndConfirmTransaction(
      chain.connection,
      new Transaction().add(SystemProgram.transfer({ fromPubkey: chain.wallet.publicKey, toPubkey: to, lamports: 1_234_567 })),
      [chain.wallet],
    );
    expect(await chain.connection.getBalance(to)).toBe(1_234_567);
    expect(await chain.connection.getBalance(chain.wallet.publicKey)).toBe(before - 1_234_567 - 5000);
    const tx = await chain.connection.getTransaction(sig, { commitment: 'confirmed', maxSupportedTransactionVersion: 0 });
    expect(tx?.meta?.fee).toBe(5000);
    expect(tx?.meta?.preBalances[0]).toBe(before);
    expect(tx?.meta?.postBalances[1]).toBe(1_234_567);
    expect(tx?.meta?.logMessages).toContain('Program 11111111111111111111111111111111 success');
    expect(tx?.transaction.signatures[0]).toBe(sig);
    expect(tx?.version).toBe('legacy');
  });

  it('getAccountInfo returns null for a missing account and the account for an existing one', async () => {
    expect(await chain.connection.getAccountInfo(Keypair.generate().publicKey)).toBeNull();
    const info = await chain.connection.getAccountInfo(chain.wallet.publicKey);
    expect(info?.owner.toBase58()).toBe('11111111111111111111111111111111');
    expect(info?.lamports).toBeGreaterThan(0);
  });

  it('a failing transaction is refused at preflight with the validator error and its logs, and costs nothing', async () => {
    const poor = Keypair.generate();
    await chain.connection.confirmTransaction({ signature: await chain.connection.requestAirdrop(poor.publicKey, LAMPORTS_PER_SOL), ...(await chain.connection.getLatestBlockhash()) });
    const tx = new Transaction().add(SystemProgram.transfer({ fromPubkey: poor.publicKey, toPubkey: Keypair.generate().publicKey, lamports: 5 * LAMPORTS_PER_SOL }));
    const err = await sendAndConfirmTransaction(chain.connection, tx, [poor]).catch((e: unknown) => e as Error & { logs?: string[] });
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain('Transaction simulation failed: Error processing Instruction 0: custom program error: 0x1');
    expect((err as { logs?: string[] }).logs?.join('\n')).toContain('Transfer: insufficient lamports');
    expect(await chain.connection.getBalance(poor.publicKey)).toBe(LAMPORTS_PER_SOL);
  });

  it('with skipPreflight a failing transaction lands, charges its fee and has its error in the status', async () => {
    const poor = Keypair.generate();
    await chain.connection.confirmTransaction({ signature: await chain.connection.requestAirdrop(poor.publicKey, LAMPORTS_PER_SOL), ...(await chain.connection.getLatestBlockhash()) });
    const latest = await chain.connection.getLatestBlockhash();
    const tx = new Transaction({ feePayer: poor.publicKey, ...latest }).add(SystemProgram.transfer({ fromPubkey: poor.publicKey, toPubkey: Keypair.generate().publicKey, lamports: 5 * LAMPORTS_PER_SOL }));
    tx.sign(poor);
    const sig = await chain.connection.sendRawTransaction(tx.serialize(), { skipPreflight: true });
    const res = await chain.connection.confirmTransaction({ signature: sig, ...latest });
    expect(res.value.err).toEqual({ InstructionError: [0, { Custom: 1 }] });
    expect(await chain.connection.getBalance(poor.publicKey)).toBe(LAMPORTS_PER_SOL - 5000);
    const got = await chain.connection.getTransaction(sig, { maxSupportedTransactionVersion: 0 });
    expect(got?.meta?.err).toEqual({ InstructionError: [0, { Custom: 1 }] });
    expect(got?.meta?.fee).toBe(5000);
  });

  it('sending the same transaction twice is refused with AlreadyProcessed', async () => {
    const latest = await chain.connection.getLatestBlockhash();
    const tx = new Transaction({ feePayer: chain.wallet.publicKey, ...latest }).add(SystemProgram.transfer({ fromPubkey: chain.wallet.publicKey, toPubkey: Keypair.generate().publicKey, lamports: 1_000_000 }));
    tx.sign(chain.wallet);
    const sig = await chain.connection.sendRawTransaction(tx.serialize());
    await chain.connection.confirmTransaction({ signature: sig, ...latest });
    await expect(chain.connection.sendRawTransaction(tx.serialize())).rejects.toThrow(/This transaction has already been processed/);
  });
});
