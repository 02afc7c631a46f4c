/**
 * Durable nonces as a validator treats them: a transaction whose blockhash is its nonce account's
 * durable nonce lands however old that is, uses the nonce up (also when it fails on chain), and a
 * used, foreign or unsigned nonce is refused with BlockhashNotFound. Stock web3.js throughout.
 */
import {
  Keypair,
  LAMPORTS_PER_SOL,
  NONCE_ACCOUNT_LENGTH,
  type PublicKey,
  sendAndConfirmTransaction,
  SystemProgram,
  Transaction,
  type TransactionInstruction,
} from '@solana/web3.js';
import {
  address,
  appendTransactionMessageInstruction,
  assertIsTransactionWithDurableNonceLifetime,
  createKeyPairSignerFromBytes,
  createSolanaRpc,
  createSolanaRpcSubscriptions,
  createTransactionMessage,
  getSignatureFromTransaction,
  lamports,
  type Nonce,
  pipe,
  sendAndConfirmDurableNonceTransactionFactory,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingDurableNonce,
  signTransactionMessageWithSigners,
} from '@solana/kit';
import { fetchNonce, getTransferSolInstruction } from '@solana-program/system';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fromBase58, toBase58 } from '../src/base58.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChain, type TestChain } from './helpers.ts';

let chain: TestChain;
beforeAll(async () => {
  chain = await startChain();
});
afterAll(async () => {
  await chain?.dispose();
});

/** A fresh nonce account with `authority` (default: the wallet). */
async function nonceAccount(c: TestChain, authority: PublicKey = c.wallet.publicKey): Promise<PublicKey> {
  const nonce = Keypair.generate();
  const lamports = await c.connection.getMinimumBalanceForRentExemption(NONCE_ACCOUNT_LENGTH);
  const create = SystemProgram.createNonceAccount({ fromPubkey: c.wallet.publicKey, noncePubkey: nonce.publicKey, authorizedPubkey: authority, lamports });
  await sendAndConfirmTransaction(c.connection, new Transaction().add(...create.instructions), [c.wallet, nonce]);
  return nonce.publicKey;
}

/** The account's durable nonce now. */
const nonceOf = async (c: TestChain, account: PublicKey): Promise<string> => (await c.connection.getNonce(account, 'confirmed'))!.nonce;

/** A wallet-signed transaction on nonce `value` of `account`: advance, then `ix`. */
function onNonce(c: TestChain, account: PublicKey, value: string, ix: TransactionInstruction, authority: PublicKey = c.wallet.publicKey): Buffer {
  const nonceInstruction = SystemProgram.nonceAdvance({ noncePubkey: account, authorizedPubkey: authority });
  const tx = new Transaction({ feePayer: c.wallet.publicKey, nonceInfo: { nonce: value, nonceInstruction } }).add(ix);
  tx.sign(c.wallet);
  return tx.serialize({ requireAllSignatures: false });
}

const transfer = (c: TestChain, to: PublicKey, lamports: number): TransactionInstruction => SystemProgram.transfer({ fromPubkey: c.wallet.publicKey, toPubkey: to, lamports });

/** Sends with preflight and waits for confirmation by the nonce strategy (as a wallet would). */
async function sendOnNonce(c: TestChain, account: PublicKey, value: string, wire: Buffer, skipPreflight = false): Promise<string> {
  const signature = await c.connection.sendRawTransaction(wire, { skipPreflight });
  const minContextSlot = await c.connection.getSlot('processed');
  await c.connection.confirmTransaction({ signature, nonceAccountPubkey: account, nonceValue: value, minContextSlot }, 'confirmed');
  return signature;
}

describe('durable nonce transactions', () => {
  it('land on an old nonce, advance it every time, and a used nonce is refused with BlockhashNotFound', async () => {
    const account = await nonceAccount(chain);
    const to = Keypair.generate().publicKey;
    for (let i = 1; i <= 3; i++) {
      const value = await nonceOf(chain, account);
      // The nonce is older than any blockhash the chain hands out now.
      expect(await chain.connection.isBlockhashValid(value)).toMatchObject({ value: false });
      const sig = await sendOnNonce(chain, account, value, onNonce(chain, account, value, transfer(chain, to, LAMPORTS_PER_SOL)));
      expect((await chain.connection.getSignatureStatus(sig)).value?.err).toBeNull();
      expect(await nonceOf(chain, account)).not.toBe(value);
      expect(await chain.connection.getBalance(to)).toBe(i * LAMPORTS_PER_SOL);
      // Another transaction signed on the same, now used, nonce: refused, and costs nothing.
      const before = await chain.connection.getBalance(chain.wallet.publicKey);
      await expect(chain.connection.sendRawTransaction(onNonce(chain, account, value, transfer(chain, to, 1_000_000 + 7)))).rejects.toThrow(/Transaction simulation failed: Blockhash not found/);
      expect(await chain.connection.getBalance(chain.wallet.publicKey)).toBe(before);
    }
  });

  it('the next nonce comes from the block, not from the nonce before (it cannot be computed ahead and pre-signed)', async () => {
    const account = await nonceAccount(chain);
    const n0 = await nonceOf(chain, account);
    await sendOnNonce(chain, account, n0, onNonce(chain, account, n0, transfer(chain, Keypair.generate().publicKey, 1_000_000 + 1)));
    const n1 = await nonceOf(chain, account);
    // LiteSVM alone would store sha256("DURABLE_NONCE" ‖ the transaction's blockhash), i.e. of n0.
    expect(n1).not.toBe(toBase58(createHash('sha256').update('DURABLE_NONCE').update(fromBase58(n0)).digest()));
  });

  it('a used nonce sent without preflight is dropped: it never lands and costs nothing', async () => {
    const account = await nonceAccount(chain);
    const value = await nonceOf(chain, account);
    await sendOnNonce(chain, account, value, onNonce(chain, account, value, transfer(chain, Keypair.generate().publicKey, 1_000_000 + 5)));
    const before = await chain.connection.getBalance(chain.wallet.publicKey);
    const stale = await chain.connection.sendRawTransaction(onNonce(chain, account, value, transfer(chain, Keypair.generate().publicKey, 1_000_000 + 6)), { skipPreflight: true });
    // Later transactions land; the stale one never does.
    await sendOnNonce(chain, account, await nonceOf(chain, account), onNonce(chain, account, await nonceOf(chain, account), transfer(chain, Keypair.generate().publicKey, 1_000_000 + 8)));
    expect((await chain.connection.getSignatureStatus(stale, { searchTransactionHistory: true })).value).toBeNull();
    expect(await chain.connection.getBalance(chain.wallet.publicKey)).toBe(before - 5000 - (1_000_000 + 8));
  });

  it('two transactions on the same nonce sent together: exactly one lands', async () => {
    const account = await nonceAccount(chain);
    const value = await nonceOf(chain, account);
    const to = Keypair.generate().publicKey;
    const sent = await Promise.allSettled([1, 2].map((n) => chain.connection.sendRawTransaction(onNonce(chain, account, value, transfer(chain, to, n * 1_000_000)))));
    expect(sent.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    expect(String((sent.find((s) => s.status === 'rejected') as PromiseRejectedResult).reason)).toMatch(/Blockhash not found/);
    const sig = (sent.find((s) => s.status === 'fulfilled') as PromiseFulfilledResult<string>).value;
    await chain.connection.confirmTransaction({ signature: sig, nonceAccountPubkey: account, nonceValue: value, minContextSlot: 0 }, 'confirmed');
    expect([1_000_000, 2_000_000]).toContain(await chain.connection.getBalance(to));
  });

  it('a nonce whose authority does not sign, or an account that is not a nonce, gives BlockhashNotFound', async () => {
    const other = Keypair.generate();
    const foreign = await nonceAccount(chain, other.publicKey);
    const value = await nonceOf(chain, foreign);
    // The advance names the wallet as authority (and the wallet signs), but the nonce's authority is `other`.
    const wire = onNonce(chain, foreign, value, transfer(chain, Keypair.generate().publicKey, 1_000_000 + 9));
    await expect(chain.connection.sendRawTransaction(wire)).rejects.toThrow(/Blockhash not found/);
    // A plain system account as the "nonce".
    const plain = Keypair.generate().publicKey;
    await chain.connection.confirmTransaction({ signature: await chain.connection.requestAirdrop(plain, LAMPORTS_PER_SOL), ...(await chain.connection.getLatestBlockhash()) });
    await expect(chain.connection.sendRawTransaction(onNonce(chain, plain, value, transfer(chain, Keypair.generate().publicKey, 1_000_000 + 9)))).rejects.toThrow(/Blockhash not found/);
    expect(await nonceOf(chain, foreign)).toBe(value);
  });

  it('failing at preflight leaves the nonce and the fee payer untouched; without preflight it lands failed, pays and uses the nonce up', async () => {
    const account = await nonceAccount(chain);
    const value = await nonceOf(chain, account);
    const tooMuch = transfer(chain, Keypair.generate().publicKey, 10 ** 18);
    const before = await chain.connection.getBalance(chain.wallet.publicKey);
    await expect(chain.connection.sendRawTransaction(onNonce(chain, account, value, tooMuch))).rejects.toThrow(/Error processing Instruction 1: custom program error: 0x1/);
    expect(await nonceOf(chain, account)).toBe(value);
    expect(await chain.connection.getBalance(chain.wallet.publicKey)).toBe(before);

    const sig = await chain.connection.sendRawTransaction(onNonce(chain, account, value, tooMuch), { skipPreflight: true });
    await chain.connection.confirmTransaction({ signature: sig, nonceAccountPubkey: account, nonceValue: value, minContextSlot: 0 }, 'confirmed');
    expect((await chain.connection.getTransaction(sig, { maxSupportedTransactionVersion: 0 }))?.meta?.err).toEqual({ InstructionError: [1, { Custom: 1 }] });
    expect(await chain.connection.getBalance(chain.wallet.publicKey)).toBe(before - 5000);
    const used = await nonceOf(chain, account);
    expect(used).not.toBe(value);
    // The nonce it stored works like any advanced nonce.
    await sendOnNonce(chain, account, used, onNonce(chain, account, used, transfer(chain, Keypair.generate().publicKey, 1_000_000 + 10)));
  });

  it('getParsedAccountInfo shows a nonce account as a validator parses it', async () => {
    const account = await nonceAccount(chain);
    const info = await chain.connection.getParsedAccountInfo(account);
    expect(info.value?.data).toEqual({
      program: 'nonce',
      parsed: { type: 'initialized', info: { authority: chain.wallet.publicKey.toBase58(), blockhash: await nonceOf(chain, account), feeCalculator: { lamportsPerSignature: '5000' } } },
      space: NONCE_ACCOUNT_LENGTH,
    });
    // Any other system account stays base64.
    expect((await chain.connection.getParsedAccountInfo(chain.wallet.publicKey)).value?.data).toEqual(Buffer.alloc(0));
  });

  it('simulateTransaction accepts a held nonce and answers BlockhashNotFound for a used one', async () => {
    const account = await nonceAccount(chain);
    const value = await nonceOf(chain, account);
    const wire = onNonce(chain, account, value, transfer(chain, Keypair.generate().publicKey, 1_000_000 + 11));
    const ok = await chain.rpc('simulateTransaction', [wire.toString('base64'), { encoding: 'base64' }]);
    expect(ok.result.value.err).toBeNull();
    await sendOnNonce(chain, account, value, onNonce(chain, account, value, transfer(chain, Keypair.generate().publicKey, 1_000_000 + 12)));
    const stale = await chain.rpc('simulateTransaction', [wire.toString('base64'), { encoding: 'base64' }]);
    expect(stale.result.value.err).toBe('BlockhashNotFound');
  });
});

describe('durable nonces with @solana/kit', () => {
  it('sendAndConfirmDurableNonceTransactionFactory confirms a nonce transaction (fetchNonce, nonce-account notifications)', async () => {
    const account = await nonceAccount(chain);
    const rpc = createSolanaRpc(chain.rpcUrl);
    const rpcSubscriptions = createSolanaRpcSubscriptions(chain.wsUrl);
    const payer = await createKeyPairSignerFromBytes(chain.wallet.secretKey);
    const nonceAccountAddress = address(account.toBase58());
    const to = address(Keypair.generate().publicKey.toBase58());
    const { data } = await fetchNonce(rpc, nonceAccountAddress);
    expect(data.authority).toBe(payer.address);
    const message = pipe(
      createTransactionMessage({ version: 0 }),
      (m) => setTransactionMessageFeePayerSigner(payer, m),
      (m) => setTransactionMessageLifetimeUsingDurableNonce({ nonce: data.blockhash as string as Nonce, nonceAccountAddress, nonceAuthorityAddress: payer.address }, m),
      (m) => appendTransactionMessageInstruction(getTransferSolInstruction({ source: payer, destination: to, amount: lamports(2_000_000n) }), m),
    );
    const signed = await signTransactionMessageWithSigners(message);
    assertIsTransactionWithDurableNonceLifetime(signed);
    await sendAndConfirmDurableNonceTransactionFactory({ rpc, rpcSubscriptions })(signed, { commitment: 'confirmed' });
    expect((await rpc.getBalance(to).send()).value).toBe(2_000_000n);
    expect((await fetchNonce(rpc, nonceAccountAddress)).data.blockhash).not.toBe(data.blockhash);
    const status = (await rpc.getSignatureStatuses([getSignatureFromTransaction(signed)]).send()).value[0];
    expect(status?.err).toBeNull();
  });
});

describe('durable nonces across a restart', () => {
  it('a crash image (journal past its snapshot) replays the SVM blockhash nonces derive from', async () => {
    // No timer blocks: only transactions make blocks, so the running chain stands still while it is copied.
    const first = await startChain({ persist: true, slotMs: 600_000 });
    const copy = mkdtempSync(path.join(os.tmpdir(), 'spicetime-nonce-crash-'));
    let second: TestChain | null = null;
    try {
      const account = await nonceAccount(first);
      for (let i = 0; i < 3; i++) {
        const value = await nonceOf(first, account);
        await sendOnNonce(first, account, value, onNonce(first, account, value, transfer(first, Keypair.generate().publicKey, 1_000_000 + 20 + i)));
      }
      // What is on disk now, as a kill -9 would leave it (every confirmed block is fsynced).
      cpSync(first.dir, copy, { recursive: true });
      second = await startChain({ persist: true, dir: copy, slotMs: 600_000 });
      expect(second.server.fresh).toBe(false);
      expect(second.server.chain.engine.svm.latestBlockhash()).toBe(first.server.chain.engine.svm.latestBlockhash());
      const held = await nonceOf(second, account);
      expect(held).toBe(await nonceOf(first, account));
      await sendOnNonce(second, account, held, onNonce(second, account, held, transfer(second, Keypair.generate().publicKey, 1_000_000 + 30)));
      expect(await nonceOf(second, account)).not.toBe(held);
    } finally {
      await second?.close();
      await first.dispose();
      rmSync(copy, { recursive: true, force: true });
    }
  });


  it('the nonce stored before a restart is the one that works after it; the used one stays refused', async () => {
    const first = await startChain({ persist: true });
    let second: TestChain | null = null;
    try {
      const account = await nonceAccount(first);
      const used = await nonceOf(first, account);
      await sendOnNonce(first, account, used, onNonce(first, account, used, transfer(first, Keypair.generate().publicKey, 1_000_000 + 13)));
      const held = await nonceOf(first, account);
      await first.close();
      second = await startChain({ persist: true, dir: first.dir });
      expect(second.server.fresh).toBe(false);
      expect(await nonceOf(second, account)).toBe(held);
      await expect(second.connection.sendRawTransaction(onNonce(second, account, used, transfer(second, Keypair.generate().publicKey, 1_000_000 + 14)))).rejects.toThrow(/Blockhash not found/);
      const sig = await sendOnNonce(second, account, held, onNonce(second, account, held, transfer(second, Keypair.generate().publicKey, 1_000_000 + 15)));
      expect((await second.connection.getSignatureStatus(sig)).value?.err).toBeNull();
      expect(await nonceOf(second, account)).not.toBe(held);
    } finally {
      await second?.close();
      await first.dispose();
    }
  });
});
