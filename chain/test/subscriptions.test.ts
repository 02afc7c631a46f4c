/** PubSub through web3.js (onLogs, onAccountChange, onSignature, …), @solana/kit and a raw WebSocket. */
import {
  address,
  appendTransactionMessageInstruction,
  createKeyPairSignerFromBytes,
  createSolanaRpc,
  createSolanaRpcSubscriptions,
  createTransactionMessage,
  getBase64EncodedWireTransaction,
  lamports,
  pipe,
  sendAndConfirmTransactionFactory,
  setTransactionMessageFeePayerSigner,
  setTransactionMessageLifetimeUsingBlockhash,
  signTransactionMessageWithSigners,
  getSignatureFromTransaction,
} from '@solana/kit';
import { getTransferSolInstruction } from '@solana-program/system';
import { Keypair, SystemProgram, Transaction } from '@solana/web3.js';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChain, type TestChain } from './helpers.ts';

let chain: TestChain;
beforeAll(async () => {
  chain = await startChain();
});
afterAll(async () => {
  await chain.dispose();
});

const transferTx = async (to = Keypair.generate().publicKey, lamportsOut = 1_000_000): Promise<Transaction> => {
  const latest = await chain.connection.getLatestBlockhash();
  const tx = new Transaction({ feePayer: chain.wallet.publicKey, ...latest }).add(SystemProgram.transfer({ fromPubkey: chain.wallet.publicKey, toPubkey: to, lamports: lamportsOut }));
  tx.sign(chain.wallet);
  return tx;
};
const within = <T>(p: Promise<T>, what: string, ms = 20_000): Promise<T> =>
  Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no ${what} within ${ms} ms`)), ms))]);

describe('web3.js subscriptions', () => {
  it('onSignature fires with the result of the transaction', async () => {
    const tx = await transferTx();
    const sig = await chain.connection.sendRawTransaction(tx.serialize());
    const result = await within(new Promise((resolve) => chain.connection.onSignature(sig, (r) => resolve(r), 'confirmed')), 'signature notification');
    expect(result).toEqual({ err: null });
  });

  it('onAccountChange sees the new balance, then stops after removeAccountChangeListener', async () => {
    const to = Keypair.generate().publicKey;
    const seen: number[] = [];
    const got = new Promise<void>((resolve) => {
      const id = chain.connection.onAccountChange(to, (info) => {
        seen.push(info.lamports);
        void chain.connection.removeAccountChangeListener(id);
        resolve();
      }, { commitment: 'confirmed' });
    });
    await new Promise((r) => setTimeout(r, 200));
    await chain.connection.sendRawTransaction((await transferTx(to, 5_000_000)).serialize());
    await within(got, 'account notification');
    expect(seen).toEqual([5_000_000]);
  });

  it('onLogs with mentions and with all', async () => {
    const to = Keypair.generate().publicKey;
    const mention = new Promise<{ signature: string; logs: string[] }>((resolve) => chain.connection.onLogs(to, (l) => resolve(l), 'confirmed'));
    const all = new Promise<{ signature: string }>((resolve) => chain.connection.onLogs('all', (l) => resolve(l), 'confirmed'));
    await new Promise((r) => setTimeout(r, 200));
    const sig = await chain.connection.sendRawTransaction((await transferTx(to)).serialize());
    const logs = await within(mention, 'logs notification');
    expect(logs.signature).toBe(sig);
    expect(logs.logs).toContain('Program 11111111111111111111111111111111 success');
    expect((await within(all, 'logs notification (all)')).signature).toBeTruthy();
  });

  it('onProgramAccountChange with a filter, and onSlotChange', async () => {
    const to = Keypair.generate().publicKey;
    const program = new Promise<string>((resolve) =>
      chain.connection.onProgramAccountChange(SystemProgram.programId, (a) => a.accountId.equals(to) && resolve(a.accountId.toBase58()), { commitment: 'confirmed', filters: [{ dataSize: 0 }] }),
    );
    const slot = new Promise<number>((resolve) => chain.connection.onSlotChange((s) => resolve(s.slot)));
    await new Promise((r) => setTimeout(r, 200));
    await chain.connection.sendRawTransaction((await transferTx(to, 2_000_000)).serialize());
    expect(await within(program, 'program notification')).toBe(to.toBase58());
    expect(await within(slot, 'slot notification')).toBeGreaterThan(0);
  });
});

describe('@solana/kit', () => {
  it('createSolanaRpc and createSolanaRpcSubscriptions: balance, airdrop, sendAndConfirmTransaction, notifications', async () => {
    const rpc = createSolanaRpc(chain.rpcUrl);
    const subs = createSolanaRpcSubscriptions(chain.wsUrl);
    const signer = await createKeyPairSignerFromBytes(chain.wallet.secretKey);
    const to = address(Keypair.generate().publicKey.toBase58());
    const { value: bal } = await rpc.getBalance(signer.address).send();
    expect(bal).toBeGreaterThan(0n);
    expect((await rpc.getVersion().send())['solana-core']).toBeTruthy();

    const abort = new AbortController();
    const slots = await subs.slotNotifications().subscribe({ abortSignal: abort.signal });
    const firstSlot = (await within(slots[Symbol.asyncIterator]().next(), 'kit slot notification')).value;
    expect(firstSlot.slot).toBeGreaterThan(0n);
    const accountNotes = await subs.accountNotifications(to, { commitment: 'confirmed', encoding: 'base64' }).subscribe({ abortSignal: abort.signal });
    const accountNext = accountNotes[Symbol.asyncIterator]().next();

    const { value: latest } = await rpc.getLatestBlockhash().send();
    const message = pipe(
      createTransactionMessage({ version: 0 }),
      (m) => setTransactionMessageFeePayerSigner(signer, m),
      (m) => setTransactionMessageLifetimeUsingBlockhash(latest, m),
      (m) => appendTransactionMessageInstruction(getTransferSolInstruction({ source: signer, destination: to, amount: lamports(3_000_000n) }), m),
    );
    const signed = await signTransactionMessageWithSigners(message);
    await sendAndConfirmTransactionFactory({ rpc, rpcSubscriptions: subs })(signed as never, { commitment: 'confirmed' });
    expect((await rpc.getBalance(to).send()).value).toBe(3_000_000n);
    const note = await within(accountNext, 'kit account notification');
    expect(note.value?.value.lamports).toBe(3_000_000n);
    const sig = getSignatureFromTransaction(signed);
    const { value: statuses } = await rpc.getSignatureStatuses([sig]).send();
    expect(statuses[0]?.confirmationStatus).toBe('finalized');
    const tx = await rpc.getTransaction(sig, { maxSupportedTransactionVersion: 0, encoding: 'json' }).send();
    expect(tx?.version).toBe(0);
    const noVersion = await chain.rpc('getTransaction', [sig]);
    expect(noVersion.error.code).toBe(-32015);
    const wire = getBase64EncodedWireTransaction(signed);
    const again = await chain.rpc('sendTransaction', [wire, { encoding: 'base64' }]);
    expect(again.error.code).toBe(-32002);
    abort.abort();
  });
});

describe('raw PubSub', () => {
  const open = async (): Promise<{ ws: WebSocket; call: (method: string, params: unknown[]) => Promise<any>; next: (method: string) => Promise<any> }> => {
    const ws = new WebSocket(chain.wsUrl);
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    const waiting: { id?: number; method?: string; resolve: (m: any) => void }[] = [];
    ws.on('message', (d) => {
      const m = JSON.parse(d.toString());
      const i = waiting.findIndex((w) => (w.id !== undefined && w.id === m.id) || (w.method !== undefined && w.method === m.method));
      if (i >= 0) waiting.splice(i, 1)[0]!.resolve(m);
    });
    let id = 0;
    return {
      ws,
      call: (method, params) =>
        new Promise((resolve) => {
          const n = ++id;
          waiting.push({ id: n, resolve });
          ws.send(JSON.stringify({ jsonrpc: '2.0', id: n, method, params }));
        }),
      next: (method) => new Promise((resolve) => waiting.push({ method, resolve })),
    };
  };

  it('subscribe / unsubscribe for every kind; a second unsubscribe is an error; bad input gets JSON-RPC errors', async () => {
    const { ws, call, next } = await open();
    const key = Keypair.generate().publicKey.toBase58();
    const kinds: [string, unknown[]][] = [
      ['account', [key, { encoding: 'base64' }]],
      ['program', ['11111111111111111111111111111111', { encoding: 'base64' }]],
      ['logs', [{ mentions: [key] }]],
      ['signature', ['1'.repeat(64)]],
      ['slot', []],
      ['root', []],
    ];
    for (const [kind, params] of kinds) {
      const sub = await call(`${kind}Subscribe`, params);
      expect(typeof sub.result).toBe('number');
      expect((await call(`${kind}Unsubscribe`, [sub.result])).result).toBe(true);
      expect((await call(`${kind}Unsubscribe`, [sub.result])).error.code).toBe(-32602);
    }
    expect((await call('accountSubscribe', ['not-a-key'])).error.code).toBe(-32602);
    expect((await call('nopeSubscribe', [])).error.code).toBe(-32601);
    const parse = next('__none__');
    ws.send('{not json');
    void parse;
    await new Promise((r) => setTimeout(r, 100));
    expect(ws.readyState).toBe(WebSocket.OPEN);
    // signatureSubscribe for an already processed signature is answered at once
    const sig = await chain.connection.sendRawTransaction((await transferTx()).serialize());
    await chain.connection.confirmTransaction({ signature: sig, ...(await chain.connection.getLatestBlockhash()) });
    const notified = next('signatureNotification');
    await call('signatureSubscribe', [sig]);
    expect((await within(notified, 'late signature notification')).params.result.value).toEqual({ err: null });
    ws.close();
  });
});
