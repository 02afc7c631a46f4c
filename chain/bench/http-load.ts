/**
 * HTTP sendTransaction load against a chain server in its own process, for profiling:
 *   CHAIN_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npx tsx chain/bench/http-load.ts
 * (BENCH_HTTP_TXS, BENCH_CLIENTS change sizes; BENCH_CLIENT=node or fetch use node:http or fetch
 * clients instead of raw keep-alive connections, see clients.ts; CHAIN_CLI runs another
 * checkout's server). Transactions are signed and requests serialised before the timed window.
 * Prints the server's CPU per transaction, all threads and its main (JavaScript) thread alone,
 * and the clients' CPU.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@solana/web3.js';
import { readKeypair } from '../src/wallet.ts';
import { closeAgent, closeWs, httpPostBytes, nodeClientName, nodeHttpLoad, rawHttpLoad, sendTransactionBody, splTransferSetup } from './clients.ts';
import { launchChain } from './launch.ts';
import { variants } from './signer.ts';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const N = Number(process.env.BENCH_HTTP_TXS ?? 20_000);
const RAW = !process.env.BENCH_CLIENT || process.env.BENCH_CLIENT === 'raw';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'spicetime-chain-load-'));

/** CPU milliseconds (user + system) of a process, or of one of its threads, so far (from /proc). */
function cpuMs(pid: number, tid?: number): number {
  const f = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
}

async function main(): Promise<void> {
  const extra = (process.env.CHAIN_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const t0 = performance.now();
  const chain = await launchChain(tmp, extra);
  const { rpcUrl, wsUrl } = chain;
  console.error(`server ready in ${(performance.now() - t0).toFixed(0)} ms (process start included)`);
  const conn = new Connection(rpcUrl, { commitment: 'confirmed', wsEndpoint: wsUrl });
  const { template, owner } = await splTransferSetup(conn, readKeypair(path.join(tmp, 'id.json')));
  closeWs(conn);
  const wires = variants(template, owner, N, 1n);
  const raw = RAW ? wires.map((w) => httpPostBytes(rpcUrl, sendTransactionBody(w))) : [];
  const bodies = RAW ? [] : wires.map(sendTransactionBody);
  // CPU so far of each server thread (by id, with its name).
  const threadCpu = () => new Map(readdirSync(`/proc/${chain.pid}/task`).map((t) => [Number(t), { name: readFileSync(`/proc/${chain.pid}/task/${t}/comm`, 'utf8').trim(), ms: cpuMs(chain.pid, Number(t)) }]));
  const threads0 = threadCpu();
  const server0 = cpuMs(chain.pid);
  const client0 = process.cpuUsage();
  const { ms, errors } = RAW ? await rawHttpLoad(rpcUrl, raw, CLIENTS) : await nodeHttpLoad(rpcUrl, bodies, CLIENTS);
  const client = process.cpuUsage(client0);
  const serverMs = cpuMs(chain.pid) - server0;
  // Thread ids ascending: the server's main (JavaScript) thread is its first task.
  const busy = [...threadCpu()].sort(([a], [b]) => a - b).map(([tid, t]) => ({ name: t.name, ms: t.ms - (threads0.get(tid)?.ms ?? 0) }));
  const mainMs = busy[0]!.ms;
  const clientMs = (client.user + client.system) / 1000;
  const perTx = (x: number) => ((x / N) * 1000).toFixed(0);
  console.log(`HTTP sendTransaction ${N} x ${CLIENTS} ${RAW ? 'raw keep-alive connections' : `${nodeClientName()} clients`}: ${(N / (ms / 1000)).toFixed(0)} tx/s${errors ? ` (${errors} errors)` : ''}`);
  console.log(`CPU in the window (${ms.toFixed(0)} ms wall): server ${serverMs.toFixed(0)} ms (${perTx(serverMs)} µs/tx, main thread ${perTx(mainMs)} µs/tx), client ${clientMs.toFixed(0)} ms (${perTx(clientMs)} µs/tx)`);
  console.log(`server threads: ${busy.filter((t) => t.ms > 0).map((t) => `${t.name} ${perTx(t.ms)}`).join(', ')} (µs/tx)`);
  await chain.kill();
  // Blocks of transactions in the journal, for the group-commit size.
  const lines = readFileSync(path.join(tmp, 'ledger', 'journal.log'), 'utf8').split('\n').filter((l) => l.startsWith('{"t":"b"'));
  const sizes = lines.map((l) => (JSON.parse(l) as { txs: unknown[] }).txs.length);
  console.log(`blocks of transactions: ${sizes.length}, ${(sizes.reduce((a, b) => a + b, 0) / sizes.length).toFixed(1)} transactions per block on average`);
}

main().finally(() => {
  closeAgent();
  rmSync(tmp, { recursive: true, force: true });
});
