/** Test helpers: a real chain server on ephemeral loopback ports, closed by the caller. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection, Keypair, type ParsedInstruction, type PartiallyDecodedInstruction } from '@solana/web3.js';
import { listenChain, type ListeningChain } from '../src/listen.ts';
import { createChainServer, type ChainServer, type ChainServerOptions } from '../src/server.ts';
import { readKeypair } from '../src/wallet.ts';

/** A running chain for one test file. */
export interface TestChain extends ListeningChain {
  server: ChainServer;
  wallet: Keypair;
  dir: string;
  connection: Connection;
  /** POSTs a raw body and returns status and parsed JSON. */
  post(body: string): Promise<{ status: number; json: any }>;
  /** Calls one JSON-RPC method and returns the whole response object. */
  rpc(method: string, params?: unknown[]): Promise<any>;
  /** Closes the server and deletes the temporary directory. */
  dispose(): Promise<void>;
}

/** Starts a chain with a temporary wallet and data directory (or in memory). */
export async function startChain(opts: Partial<ChainServerOptions> & { persist?: boolean; dir?: string } = {}): Promise<TestChain> {
  const dir = opts.dir ?? mkdtempSync(path.join(os.tmpdir(), 'spicetime-chain-'));
  const walletPath = path.join(dir, 'id.json');
  const server = await createChainServer({ dataDir: opts.persist ? path.join(dir, 'ledger') : null, walletPath, slotMs: 100, genesisCacheDir: null, ...opts });
  const listening = await listenChain(server, { rpcPort: 0, wsPort: 0 });
  const post = async (body: string) => {
    const res = await fetch(listening.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null };
  };
  let closed = false;
  const chain: TestChain = {
    ...listening,
    server,
    dir,
    wallet: readKeypair(walletPath),
    connection: new Connection(listening.rpcUrl, { commitment: 'confirmed', wsEndpoint: listening.wsUrl }),
    post,
    rpc: async (method, params = []) => (await post(JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }))).json,
    async close() {
      if (closed) return;
      closed = true;
      await listening.close();
    },
    async dispose() {
      await chain.close();
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
  return chain;
}

/** An instruction of getParsedTransaction with its keys as strings, for `toEqual`. */
export type PlainIx = Record<string, unknown>;

/** An instruction from getParsedTransaction with keys as strings. */
export function plain(ix: ParsedInstruction | PartiallyDecodedInstruction): PlainIx {
  const out: PlainIx = { ...ix, programId: ix.programId.toBase58() };
  if ('accounts' in ix) out.accounts = ix.accounts.map((a) => a.toBase58());
  return out;
}
