/**
 * HTTP sendTransaction load against a chain server in its own process, for profiling:
 *   CHAIN_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npx tsx chain/bench/http-load.ts
 * (BENCH_HTTP_TXS, BENCH_CLIENTS change sizes; BENCH_CLIENT=fetch uses fetch instead of node:http
 * keep-alive, as chain-bench.ts). Transactions are signed before the timed window. Prints the
 * server's CPU per transaction, all threads and its main (JavaScript) thread alone.
 */
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAssociatedTokenAccount, createMint, createTransferCheckedInstruction, mintTo } from '@solana/spl-token';
import { Connection, Keypair, LAMPORTS_PER_SOL, Transaction } from '@solana/web3.js';
import { readKeypair } from '../src/wallet.ts';
import { launchChain } from './launch.ts';
import { variants } from './signer.ts';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const N = Number(process.env.BENCH_HTTP_TXS ?? 20_000);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'spicetime-chain-load-'));

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
/** A POST over node:http with a keep-alive agent (lighter on the client CPU than fetch). */
function httpPost(url: string, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let out = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (out += d));
      res.on('end', () => resolve(out));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function main(): Promise<void> {
  const extra = (process.env.CHAIN_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const t0 = performance.now();
  const chain = await launchChain(tmp, extra);
  const { rpcUrl, wsUrl } = chain;
  console.error(`server ready in ${(performance.now() - t0).toFixed(0)} ms (process start included)`);
  const conn = new Connection(rpcUrl, { commitment: 'confirmed', wsEndpoint: wsUrl });
  const payer = readKeypair(path.join(tmp, 'id.json'));
  const owner = Keypair.generate();
  const confirm = async (sig: string) => {
    for (;;) {
      const s = (await conn.getSignatureStatuses([sig])).value[0];
      if (s) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  await confirm(await conn.requestAirdrop(owner.publicKey, 1000 * LAMPORTS_PER_SOL));
  const opts = { skipPreflight: false, commitment: 'confirmed' as const };
  const mint = await createMint(conn, payer, payer.publicKey, null, 6, undefined, opts);
  const a = await createAssociatedTokenAccount(conn, payer, mint, owner.publicKey, opts);
  const b = await createAssociatedTokenAccount(conn, payer, mint, Keypair.generate().publicKey, opts);
  await mintTo(conn, payer, mint, a, payer, 10n ** 15n, [], opts);
  const { blockhash } = await conn.getLatestBlockhash();
  const template = new Transaction({ feePayer: owner.publicKey, recentBlockhash: blockhash }).add(createTransferCheckedInstruction(a, mint, b, owner.publicKey, 1n, 6));
  const bodies = variants(template, owner, N, 1n).map((w) => JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'sendTransaction', params: [w.toString('base64'), { encoding: 'base64' }] }));
  let next = 0;
  let errors = 0;
  /** CPU milliseconds (user + system) of a process so far, from /proc. */
  const cpuOf = (pid: number): number => {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  };
  /** CPU milliseconds of the server's main thread (its first task) so far. */
  const mainThreadOf = (pid: number): number => {
    const tid = readdirSync(`/proc/${pid}/task`).map(Number).sort((x, y) => x - y)[0]!;
    const f = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  };
  const server0 = cpuOf(chain.pid);
  const main0 = mainThreadOf(chain.pid);
  const client0 = process.cpuUsage();
  const t = performance.now();
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const text = process.env.BENCH_CLIENT === 'fetch' ? await (await fetch(rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).text() : await httpPost(rpcUrl, body);
        if (text.includes('"error"')) errors++;
      }
    }),
  );
  const rate = N / ((performance.now() - t) / 1000);
  const wall = performance.now() - t;
  const client = process.cpuUsage(client0);
  const serverMs = cpuOf(chain.pid) - server0;
  const mainMs = mainThreadOf(chain.pid) - main0;
  const clientMs = (client.user + client.system) / 1000;
  console.log(`HTTP sendTransaction ${N} x ${CLIENTS} clients: ${rate.toFixed(0)} tx/s${errors ? ` (${errors} errors)` : ''}`);
  console.log(`CPU in the window (${wall.toFixed(0)} ms wall): server ${serverMs.toFixed(0)} ms (${((serverMs / N) * 1000).toFixed(0)} µs/tx, main thread ${((mainMs / N) * 1000).toFixed(0)} µs/tx), client ${clientMs.toFixed(0)} ms (${((clientMs / N) * 1000).toFixed(0)} µs/tx)`);
  await chain.kill();
}

main().finally(() => {
  agent.destroy();
  rmSync(tmp, { recursive: true, force: true });
});
