/** Persistence: restart keeps state and history, --reset starts fresh, kill -9 loses nothing acknowledged. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AnchorProvider } from '@coral-xyz/anchor';
import { Connection, Keypair, SystemProgram, Transaction } from '@solana/web3.js';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { readKeypair } from '../src/wallet.ts';
import { startChain, type TestChain } from './helpers.ts';

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/cli.ts');
const dirs: string[] = [];
const children: ChildProcess[] = [];
const tmp = (): string => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'spicetime-chain-persist-'));
  dirs.push(d);
  return d;
};
let open: TestChain[] = [];
afterEach(async () => {
  for (const c of open) await c.close();
  open = [];
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const start = async (dir: string, extra: Parameters<typeof startChain>[0] = {}): Promise<TestChain> => {
  const c = await startChain({ dir, persist: true, ...extra });
  open.push(c);
  return c;
};

describe('restart', () => {
  it('keeps accounts, transactions, blocks, slots and programs; --reset starts a new chain', async () => {
    const dir = tmp();
    const a = await start(dir);
    expect(a.server.fresh).toBe(true);
    const to = Keypair.generate().publicKey;
    const latest = await a.connection.getLatestBlockhash();
    const tx = new Transaction({ feePayer: a.wallet.publicKey, ...latest }).add(SystemProgram.transfer({ fromPubkey: a.wallet.publicKey, toPubkey: to, lamports: 7_000_000 }));
    tx.sign(a.wallet);
    const sig = await a.connection.sendRawTransaction(tx.serialize());
    await a.connection.confirmTransaction({ signature: sig, ...latest });
    const slotBefore = await a.connection.getSlot();
    const genesisHash = await a.connection.getGenesisHash();
    const txSlot = (await a.connection.getTransaction(sig, { maxSupportedTransactionVersion: 0 }))!.slot;
    await a.close();

    const b = await start(dir);
    expect(b.server.fresh).toBe(false);
    expect(await b.connection.getGenesisHash()).toBe(genesisHash);
    expect(await b.connection.getBalance(to)).toBe(7_000_000);
    expect((await b.connection.getTransaction(sig, { maxSupportedTransactionVersion: 0 }))?.slot).toBe(txSlot);
    expect((await b.connection.getSignaturesForAddress(to)).map((s) => s.signature)).toEqual([sig]);
    expect((await b.connection.getBlock(txSlot, { maxSupportedTransactionVersion: 0 }))?.transactions[0]?.transaction.signatures[0]).toBe(sig);
    expect(await b.connection.getSlot()).toBeGreaterThanOrEqual(slotBefore);
    // the deployed program still runs after a restart
    const { economyProgram } = await import('@spicetime/sdk');
    const { walletOf } = await import('@spicetime/sdk/litesvm');
    const economy = economyProgram(new AnchorProvider(b.connection, walletOf(b.wallet), { commitment: 'confirmed' }));
    const err = await economy.methods.configUpdate({} as never).accounts({ admin: b.wallet.publicKey } as never).rpc().catch((e: { logs?: string[] }) => e);
    expect(String((err as { logs?: string[] }).logs)).toContain('invoke [1]');
    await b.close();

    const c = await start(dir, { reset: true });
    expect(c.server.fresh).toBe(true);
    expect(await c.connection.getGenesisHash()).not.toBe(genesisHash);
    expect(await c.connection.getBalance(to)).toBe(0);
    expect((await c.connection.getSignatureStatuses([sig], { searchTransactionHistory: true })).value[0]).toBeNull();
  });
});

describe('kill -9', () => {
  const launch = (dir: string): Promise<{ child: ChildProcess; rpcUrl: string }> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--data-dir', path.join(dir, 'ledger'), '--wallet', path.join(dir, 'id.json'), '--rpc-port', '0', '--ws-port', '0', '--slot-ms', '50', '--quiet'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /ready (\S+) (\S+)/.exec(out);
        if (m) resolve({ child, rpcUrl: m[1]! });
      });
      let err = '';
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      child.once('exit', (code) => reject(new Error(`chain exited with ${code}: ${err}`)));
    });

  it('every signature acknowledged before a SIGKILL mid-load is there after restart', async () => {
    const dir = tmp();
    const first = await launch(dir);
    const wallet = readKeypair(path.join(dir, 'id.json'));
    const conn = new Connection(first.rpcUrl, 'confirmed');
    const to = Keypair.generate().publicKey;
    const acked: { sig: string; lamports: number }[] = [];
    let stop = false;
    let n = 0;
    const worker = async (): Promise<void> => {
      let latest = await conn.getLatestBlockhash();
      while (!stop) {
        const lamports = 1_000_000 + n++;
        const tx = new Transaction({ feePayer: wallet.publicKey, ...latest }).add(SystemProgram.transfer({ fromPubkey: wallet.publicKey, toPubkey: to, lamports }));
        tx.sign(wallet);
        try {
          const sig = await conn.sendRawTransaction(tx.serialize());
          acked.push({ sig, lamports });
        } catch {
          return; // the server died under us
        }
        if (n % 50 === 0) latest = await conn.getLatestBlockhash().catch(() => latest);
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    while (acked.length < 300) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    stop = true;
    await Promise.all(workers);
    const ackedCount = acked.length;
    expect(ackedCount).toBeGreaterThanOrEqual(300);

    const second = await launch(dir);
    const conn2 = new Connection(second.rpcUrl, 'confirmed');
    for (let i = 0; i < ackedCount; i += 256) {
      const chunk = acked.slice(i, i + 256);
      const { value } = await conn2.getSignatureStatuses(chunk.map((a) => a.sig), { searchTransactionHistory: true });
      const missing = chunk.filter((_, k) => value[k] === null || value[k]!.err !== null);
      expect(missing).toEqual([]);
    }
    const sum = acked.reduce((s, a) => s + a.lamports, 0);
    expect(await conn2.getBalance(to)).toBeGreaterThanOrEqual(sum);
    second.child.kill('SIGTERM');
    await new Promise((r) => second.child.once('exit', r));
  });
});
