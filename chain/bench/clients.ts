/**
 * The benchmarks' JSON-RPC clients and their SPL setup. The clients run on the server's cores, so
 * their CPU is part of every HTTP figure; two kinds are measured:
 *
 * - {@link nodeHttpPost}: node:http with a keep-alive agent (~250 µs of client CPU a request;
 *   `BENCH_CLIENT=fetch` uses fetch instead, ~700 µs);
 * - {@link RawHttpConnection}: one keep-alive TCP connection writing a pre-serialised HTTP/1.1
 *   POST (a complete, ordinary request: request line, Host, Content-Type, Content-Length, a
 *   JSON-RPC `sendTransaction` body) and reading the response framed by its Content-Length. One
 *   request per transaction, one request in flight per connection; what is left of the client is
 *   a socket write and read (~30–40 µs a request).
 */
import http from 'node:http';
import net from 'node:net';
import { createAssociatedTokenAccount, createMint, createTransferCheckedInstruction, mintTo } from '@solana/spl-token';
import { type Connection, Keypair, LAMPORTS_PER_SOL, Transaction } from '@solana/web3.js';

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** Closes the node:http keep-alive sockets (at the end of a benchmark). */
export function closeAgent(): void {
  agent.destroy();
}

/** A POST over node:http with a keep-alive agent (or fetch with `BENCH_CLIENT=fetch`); the response text. */
export async function nodeHttpPost(url: string, body: string): Promise<string> {
  if (process.env.BENCH_CLIENT === 'fetch') return (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).text();
  return new Promise<string>((resolve, reject) => {
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

/** The name of the node:http client kind in use, for result rows. */
export const nodeClientName = (): string => (process.env.BENCH_CLIENT === 'fetch' ? 'fetch' : 'node:http');

/** A JSON-RPC sendTransaction body for a wire transaction. */
export const sendTransactionBody = (wire: Buffer): string =>
  JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'sendTransaction', params: [wire.toString('base64'), { encoding: 'base64' }] });

/** A complete HTTP/1.1 POST of a JSON body to `url`, as bytes (built before a timed window). */
export function httpPostBytes(url: string, body: string): Buffer {
  const u = new URL(url);
  const payload = Buffer.from(body);
  const head = `POST ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\nContent-Type: application/json\r\nContent-Length: ${payload.length}\r\n\r\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), payload]);
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** One keep-alive HTTP/1.1 connection; one request at a time. */
export class RawHttpConnection {
  private readonly socket: net.Socket;
  private buf: Buffer = Buffer.alloc(0);
  private bodyStart = -1;
  private bodyLength = 0;
  private status = 0;
  private waiting: { resolve: (r: { status: number; body: string }) => void; reject: (e: Error) => void } | null = null;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => this.received(d));
    socket.on('error', (e) => this.fail(e));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  /** Connects to the host and port of `url`. */
  static open(url: string): Promise<RawHttpConnection> {
    const u = new URL(url);
    return new Promise((resolve, reject) => {
      const s = net.connect(Number(u.port), u.hostname, () => resolve(new RawHttpConnection(s)));
      s.once('error', reject);
    });
  }

  /** Writes a pre-serialised request ({@link httpPostBytes}); resolves with the response. */
  request(bytes: Buffer): Promise<{ status: number; body: string }> {
    if (this.waiting) throw new Error('one request at a time');
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      this.socket.write(bytes);
    });
  }

  /** Closes the connection. */
  close(): void {
    this.waiting = null;
    this.socket.destroy();
  }

  private received(d: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    if (this.bodyStart < 0) {
      const end = this.buf.indexOf(HEAD_END);
      if (end < 0) return;
      const head = this.buf.toString('latin1', 0, end);
      this.status = Number(head.slice(9, 12));
      const m = /\r\ncontent-length: *(\d+)/i.exec(head);
      if (!m) return this.fail(new Error(`response without content-length: ${head.split('\r\n')[0]}`));
      this.bodyStart = end + HEAD_END.length;
      this.bodyLength = Number(m[1]);
    }
    if (this.buf.length < this.bodyStart + this.bodyLength) return;
    const body = this.buf.toString('utf8', this.bodyStart, this.bodyStart + this.bodyLength);
    this.buf = this.buf.subarray(this.bodyStart + this.bodyLength);
    this.bodyStart = -1;
    const w = this.waiting;
    this.waiting = null;
    w?.resolve({ status: this.status, body });
  }

  private fail(e: Error): void {
    const w = this.waiting;
    this.waiting = null;
    w?.reject(e);
  }
}

/**
 * Sends every request over `connections` keep-alive connections, each with one request in flight
 * at a time; returns the wall time and the responses that were JSON-RPC errors (or not HTTP 200).
 */
export async function rawHttpLoad(url: string, requests: Buffer[], connections: number): Promise<{ ms: number; errors: number }> {
  const conns = await Promise.all(Array.from({ length: connections }, () => RawHttpConnection.open(url)));
  let next = 0;
  let errors = 0;
  const t = performance.now();
  await Promise.all(
    conns.map(async (c) => {
      while (next < requests.length) {
        const r = await c.request(requests[next++]!);
        if (r.status !== 200 || r.body.includes('"error"')) errors++;
      }
    }),
  );
  const ms = performance.now() - t;
  for (const c of conns) c.close();
  return { ms, errors };
}

/** The same load with node:http (or fetch) clients: `clients` concurrent request loops. */
export async function nodeHttpLoad(url: string, bodies: string[], clients: number): Promise<{ ms: number; errors: number }> {
  let next = 0;
  let errors = 0;
  const t = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < bodies.length) if ((await nodeHttpPost(url, bodies[next++]!)).includes('"error"')) errors++;
    }),
  );
  return { ms: performance.now() - t, errors };
}

/** A funded owner with 10^15 base units of a fresh 6-decimal SPL mint, and a TransferChecked template to another account. */
export async function splTransferSetup(conn: Connection, payer: Keypair): Promise<{ template: Transaction; owner: Keypair }> {
  const owner = Keypair.generate();
  await conn.confirmTransaction({ signature: await conn.requestAirdrop(owner.publicKey, 1000 * LAMPORTS_PER_SOL), ...(await conn.getLatestBlockhash()) });
  const mint = await createMint(conn, payer, payer.publicKey, null, 6);
  const a = await createAssociatedTokenAccount(conn, payer, mint, owner.publicKey);
  const b = await createAssociatedTokenAccount(conn, payer, mint, Keypair.generate().publicKey);
  await mintTo(conn, payer, mint, a, payer, 10n ** 15n);
  const { blockhash } = await conn.getLatestBlockhash();
  const template = new Transaction({ feePayer: owner.publicKey, recentBlockhash: blockhash }).add(createTransferCheckedInstruction(a, mint, b, owner.publicKey, 1n, 6));
  return { template, owner };
}

/** Stops a web3.js Connection's WebSocket (else it retries forever once its server is gone, burning bench CPU). */
export function closeWs(conn: Connection): void {
  const ws = (conn as unknown as { _rpcWebSocket?: { setAutoReconnect(on: boolean): void; close(): void } })._rpcWebSocket;
  ws?.setAutoReconnect(false);
  ws?.close();
}
