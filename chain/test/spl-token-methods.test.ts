/** @solana/spl-token helpers over RPC, and the account, token, transaction and block methods they exercise. */
import { decompress, init as initZstd } from '@bokuweb/zstd-wasm';
import {
  createAssociatedTokenAccount,
  createMint,
  getAccount,
  mintTo,
  TOKEN_PROGRAM_ID,
  transfer,
  createTransferCheckedInstruction,
} from '@solana/spl-token';
import { Keypair, LAMPORTS_PER_SOL, PublicKey, SystemProgram, Transaction, TransactionMessage, VersionedTransaction } from '@solana/web3.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChain, type TestChain } from './helpers.ts';

let chain: TestChain;
let mint: PublicKey;
let alice: Keypair;
let bob: Keypair;
let aliceAta: PublicKey;
let bobAta: PublicKey;
const sigs: string[] = [];

beforeAll(async () => {
  await initZstd();
  chain = await startChain();
  const c = chain.connection;
  const payer = chain.wallet;
  alice = Keypair.generate();
  bob = Keypair.generate();
  mint = await createMint(c, payer, payer.publicKey, null, 6);
  aliceAta = await createAssociatedTokenAccount(c, payer, mint, alice.publicKey);
  bobAta = await createAssociatedTokenAccount(c, payer, mint, bob.publicKey);
  await mintTo(c, payer, mint, aliceAta, payer, 1_000_000_000n);
  await c.confirmTransaction({ signature: await c.requestAirdrop(alice.publicKey, LAMPORTS_PER_SOL), ...(await c.getLatestBlockhash()) });
  for (let i = 1; i <= 5; i++) sigs.push(await transfer(c, payer, aliceAta, bobAta, alice, BigInt(i * 1000)));
});
afterAll(async () => {
  await chain.dispose();
});

describe('spl-token helpers', () => {
  it('createMint, createAssociatedTokenAccount, mintTo and transfer move the right amounts', async () => {
    const a = await getAccount(chain.connection, aliceAta);
    const b = await getAccount(chain.connection, bobAta);
    expect(b.amount).toBe(15_000n);
    expect(a.amount).toBe(1_000_000_000n - 15_000n);
  });
});

describe('token methods', () => {
  it('getTokenAccountBalance, getTokenSupply, getTokenLargestAccounts', async () => {
    const c = chain.connection;
    expect((await c.getTokenAccountBalance(bobAta)).value).toEqual({ amount: '15000', decimals: 6, uiAmount: 0.015, uiAmountString: '0.015' });
    expect((await c.getTokenSupply(mint)).value).toEqual({ amount: '1000000000', decimals: 6, uiAmount: 1000, uiAmountString: '1000' });
    const largest = (await c.getTokenLargestAccounts(mint)).value;
    expect(largest.map((x) => x.address.toBase58())).toEqual([aliceAta.toBase58(), bobAta.toBase58()]);
    const bad = await chain.rpc('getTokenAccountBalance', [alice.publicKey.toBase58()]);
    expect(bad.error.code).toBe(-32602);
  });

  it('getTokenAccountsByOwner by mint and by program, base64 and jsonParsed', async () => {
    const c = chain.connection;
    const byMint = await c.getTokenAccountsByOwner(bob.publicKey, { mint });
    expect(byMint.value.map((x) => x.pubkey.toBase58())).toEqual([bobAta.toBase58()]);
    const parsed = await c.getParsedTokenAccountsByOwner(alice.publicKey, { programId: TOKEN_PROGRAM_ID });
    expect(parsed.value).toHaveLength(1);
    const info = (parsed.value[0]!.account.data as { parsed: { info: { tokenAmount: { amount: string }; owner: string; mint: string } } }).parsed.info;
    expect(info.tokenAmount.amount).toBe((1_000_000_000 - 15_000).toString());
    expect(info.owner).toBe(alice.publicKey.toBase58());
    expect(info.mint).toBe(mint.toBase58());
  });
});

describe('account methods', () => {
  it('getAccountInfo in base58, base64, base64+zstd and jsonParsed, with dataSlice', async () => {
    const key = bobAta.toBase58();
    const raw = (await chain.connection.getAccountInfo(bobAta))!.data;
    const b64 = await chain.rpc('getAccountInfo', [key, { encoding: 'base64' }]);
    expect(Buffer.from(b64.result.value.data[0], 'base64').equals(raw)).toBe(true);
    expect(b64.result.value.space).toBe(165);
    const z = await chain.rpc('getAccountInfo', [key, { encoding: 'base64+zstd' }]);
    expect(z.result.value.data[1]).toBe('base64+zstd');
    expect(Buffer.from(decompress(Buffer.from(z.result.value.data[0], 'base64'))).equals(raw)).toBe(true);
    const b58 = await chain.rpc('getAccountInfo', [key, { encoding: 'base58', dataSlice: { offset: 64, length: 8 } }]);
    expect(b58.result.value.data[1]).toBe('base58');
    const tooBig = await chain.rpc('getAccountInfo', [key, { encoding: 'base58' }]);
    expect(tooBig.error.code).toBe(-32600);
    const jp = await chain.rpc('getAccountInfo', [mint.toBase58(), { encoding: 'jsonParsed' }]);
    expect(jp.result.value.data.parsed.type).toBe('mint');
    expect(jp.result.value.data.program).toBe('spl-token');
    expect(jp.result.context.slot).toBeGreaterThan(0);
  });

  it('getMultipleAccounts keeps order and nulls', async () => {
    const missing = Keypair.generate().publicKey;
    const res = await chain.connection.getMultipleAccountsInfo([aliceAta, missing, bobAta]);
    expect(res[0]?.owner.equals(TOKEN_PROGRAM_ID)).toBe(true);
    expect(res[1]).toBeNull();
    expect(res[2]?.data.length).toBe(165);
  });

  it('getProgramAccounts with dataSize and memcmp filters, withContext, jsonParsed', async () => {
    const c = chain.connection;
    const byMint = await c.getProgramAccounts(TOKEN_PROGRAM_ID, { filters: [{ dataSize: 165 }, { memcmp: { offset: 0, bytes: mint.toBase58() } }] });
    expect(byMint.map((x) => x.pubkey.toBase58()).sort()).toEqual([aliceAta.toBase58(), bobAta.toBase58()].sort());
    const byOwner = await c.getProgramAccounts(TOKEN_PROGRAM_ID, { filters: [{ memcmp: { offset: 32, bytes: bob.publicKey.toBase58() } }] });
    expect(byOwner.map((x) => x.pubkey.toBase58())).toEqual([bobAta.toBase58()]);
    const ctx = await chain.rpc('getProgramAccounts', [TOKEN_PROGRAM_ID.toBase58(), { withContext: true, encoding: 'jsonParsed', filters: [{ dataSize: 82 }] }]);
    expect(ctx.result.context.slot).toBeGreaterThan(0);
    expect(ctx.result.value.some((x: { pubkey: string }) => x.pubkey === mint.toBase58())).toBe(true);
    const b64memcmp = await chain.rpc('getProgramAccounts', [TOKEN_PROGRAM_ID.toBase58(), { encoding: 'base64+zstd', filters: [{ memcmp: { offset: 32, bytes: bob.publicKey.toBuffer().toString('base64'), encoding: 'base64' } }] }]);
    expect(b64memcmp.result.map((x: { pubkey: string }) => x.pubkey)).toEqual([bobAta.toBase58()]);
  });

  it('getMinimumBalanceForRentExemption and getFeeForMessage', async () => {
    const c = chain.connection;
    expect(await c.getMinimumBalanceForRentExemption(165)).toBe(Number(chain.server.chain.engine.rentExempt(165)));
    const { blockhash } = await c.getLatestBlockhash();
    const msg = new TransactionMessage({ payerKey: alice.publicKey, recentBlockhash: blockhash, instructions: [SystemProgram.transfer({ fromPubkey: alice.publicKey, toPubkey: bob.publicKey, lamports: 1 })] }).compileToV0Message();
    expect((await c.getFeeForMessage(msg)).value).toBe(5000);
  });
});

describe('transaction and block methods', () => {
  it('getTransaction in json, jsonParsed and base64 with token balances and inner instructions', async () => {
    const c = chain.connection;
    const sig = sigs[4]!;
    const json = await c.getTransaction(sig, { maxSupportedTransactionVersion: 0 });
    expect(json?.meta?.preTokenBalances?.find((b) => b.owner === bob.publicKey.toBase58())?.uiTokenAmount.amount).toBe('10000');
    expect(json?.meta?.postTokenBalances?.find((b) => b.owner === bob.publicKey.toBase58())?.uiTokenAmount.amount).toBe('15000');
    const parsed = await c.getParsedTransaction(sig, { maxSupportedTransactionVersion: 0 });
    const ix = parsed?.transaction.message.instructions[0] as { parsed?: { type: string; info: { amount: string } } };
    expect(ix.parsed?.type).toBe('transfer');
    expect(ix.parsed?.info.amount).toBe('5000');
    const b64 = await chain.rpc('getTransaction', [sig, { encoding: 'base64', maxSupportedTransactionVersion: 0 }]);
    expect(VersionedTransaction.deserialize(Buffer.from(b64.result.transaction[0], 'base64')).signatures.length).toBe(2);
    // the ATA creation invoked the system and token programs: inner instructions
    const created = await c.getSignaturesForAddress(bobAta);
    const first = await c.getTransaction(created[created.length - 1]!.signature, { maxSupportedTransactionVersion: 0 });
    expect(first?.meta?.innerInstructions?.length).toBeGreaterThan(0);
    expect(first?.meta?.innerInstructions?.[0]?.instructions.length).toBeGreaterThan(0);
    expect(await c.getTransaction('1'.repeat(64), { maxSupportedTransactionVersion: 0 })).toBeNull();
  });

  it('getSignaturesForAddress newest first with limit, before and until', async () => {
    const c = chain.connection;
    const all = await c.getSignaturesForAddress(aliceAta);
    expect(all.slice(0, 5).map((x) => x.signature)).toEqual([...sigs].reverse());
    expect(all[0]?.confirmationStatus).toBe('finalized');
    const two = await c.getSignaturesForAddress(aliceAta, { limit: 2 });
    expect(two.map((x) => x.signature)).toEqual([sigs[4], sigs[3]]);
    const before = await c.getSignaturesForAddress(aliceAta, { before: sigs[3], limit: 2 });
    expect(before.map((x) => x.signature)).toEqual([sigs[2], sigs[1]]);
    const until = await c.getSignaturesForAddress(aliceAta, { until: sigs[1] });
    expect(until.map((x) => x.signature)).toEqual([sigs[4], sigs[3], sigs[2]]);
  });

  it('getBlock and getBlocks show the transactions in their slots', async () => {
    const c = chain.connection;
    const tx = await c.getTransaction(sigs[0]!, { maxSupportedTransactionVersion: 0 });
    const block = await c.getBlock(tx!.slot, { maxSupportedTransactionVersion: 0 });
    expect(block?.transactions.map((t) => t.transaction.signatures[0])).toContain(sigs[0]);
    expect(block?.blockTime).toBe(tx?.blockTime);
    const sigsOnly = await chain.rpc('getBlock', [tx!.slot, { transactionDetails: 'signatures', rewards: false }]);
    expect(sigsOnly.result.signatures).toContain(sigs[0]);
    const slots = await c.getBlocks(tx!.slot - 2, tx!.slot + 2);
    expect(slots).toContain(tx!.slot);
    expect([...slots].sort((a, b) => a - b)).toEqual(slots);
    const future = await chain.rpc('getBlock', [10_000_000]);
    expect(future.error.code).toBe(-32004);
  });

  it('simulateTransaction returns logs, unitsConsumed and post accounts without committing', async () => {
    const c = chain.connection;
    const { blockhash } = await c.getLatestBlockhash();
    const tx = new Transaction({ feePayer: alice.publicKey, recentBlockhash: blockhash }).add(createTransferCheckedInstruction(aliceAta, mint, bobAta, alice.publicKey, 7n, 6));
    tx.sign(alice);
    const sim = await c.simulateTransaction(tx, [alice], [bobAta]);
    expect(sim.value.err).toBeNull();
    expect(sim.value.unitsConsumed).toBeGreaterThan(0);
    expect(sim.value.logs?.join('\n')).toContain('TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA');
    const post = sim.value.accounts?.[0];
    expect(Buffer.from(post!.data[0], 'base64').readBigUInt64LE(64)).toBe(15_007n);
    expect((await getAccount(c, bobAta)).amount).toBe(15_000n);
  });

  it('spicetime_warpToSlot and spicetime_advanceTime move the slot, expire old blockhashes and move the Clock', async () => {
    const c = chain.connection;
    const { blockhash } = await c.getLatestBlockhash();
    const slot = await c.getSlot();
    const warped = await chain.rpc('spicetime_warpToSlot', [slot + 1000]);
    expect(warped.result).toBe(slot + 1000);
    expect(await c.getSlot()).toBeGreaterThanOrEqual(slot + 1000);
    const skipped = await chain.rpc('getBlock', [slot + 500]);
    expect(skipped.error.code).toBe(-32007);
    const t0 = (await chain.rpc('spicetime_advanceTime', [0])).result;
    const t1 = (await chain.rpc('spicetime_advanceTime', [90 * 86_400])).result;
    expect(t1 - t0).toBeGreaterThanOrEqual(90 * 86_400);
    const clock = await c.getAccountInfo(new PublicKey('SysvarC1ock11111111111111111111111111111111'));
    expect(Number(clock!.data.readBigInt64LE(32))).toBeGreaterThanOrEqual(t1);
    expect(Number(clock!.data.readBigUInt64LE(0))).toBeGreaterThanOrEqual(slot + 1000);
    // blockhashes expire after 150 blocks (and 150 slot-times): push 160 blocks past the old one
    for (let i = 0; i < 160; i++) await chain.rpc('spicetime_warpToSlot', [(await c.getSlot()) + 1]);
    await new Promise((r) => setTimeout(r, 150 * 100));
    expect((await c.isBlockhashValid(blockhash)).value).toBe(false);
  });
});
