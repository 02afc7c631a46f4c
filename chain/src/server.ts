/**
 * The local chain server, built but not listening (`listen.ts` binds it): genesis or restart from
 * the data directory, the chain, JSON-RPC over HTTP and PubSub over WebSocket.
 */
import type { Server } from 'node:http';
import { Chain, type ChainOptions } from './chain.ts';
import { loadZstd } from './encoding.ts';
import { Engine } from './engine.ts';
import { DEFAULT_GENESIS_CONFIG, readGenesisConfig, REPO_ROOT, runGenesis } from './genesis.ts';
import { createRpcHttpServer, MAX_BODY_BYTES } from './http-server.ts';
import { Journal } from './journal.ts';
import { PubSub } from './pubsub.ts';
import { RpcHandler } from './rpc-handler.ts';
import { loadOrCreateWallet } from './wallet.ts';

/** What the server is built from. */
export interface ChainServerOptions {
  /** Where the journal and snapshots live; null keeps everything in memory. */
  dataDir: string | null;
  /** Start fresh: delete the data directory's journal and snapshot first. */
  reset?: boolean;
  /** The wallet keypair file (created when missing). */
  walletPath: string;
  /** The genesis config file (default `chain/genesis.json`). */
  genesisConfig?: string;
  /** Milliseconds per slot (default 400). */
  slotMs?: number;
  /** Milliseconds between snapshots (default 30,000). */
  snapshotMs?: number;
  /** Largest accepted HTTP body (default 50 KiB, as a validator). */
  maxBodyBytes?: number;
  /** Repository root holding `Anchor.toml` and `programs/` (default: this repository). */
  repoRoot?: string;
}

/** A built server: the chain and its two (not yet listening) HTTP servers. */
export interface ChainServer {
  chain: Chain;
  rpc: RpcHandler;
  http: Server;
  pubsub: PubSub;
  /** Whether genesis ran (a fresh chain) rather than a restart. */
  fresh: boolean;
  walletCreated: boolean;
  /** Milliseconds from the start of {@link createChainServer} to ready. */
  bootMs: number;
  /** Closes sockets, flushes the journal and writes a final snapshot. */
  close(): Promise<void>;
}

/** Builds the chain server: restarts from `dataDir` when it holds a chain, else runs genesis. */
export async function createChainServer(options: ChainServerOptions): Promise<ChainServer> {
  const t0 = performance.now();
  await loadZstd();
  const chainOptions: ChainOptions = { slotMs: options.slotMs ?? 400, snapshotMs: options.snapshotMs ?? 30_000 };
  const { keypair: wallet, created: walletCreated } = loadOrCreateWallet(options.walletPath);
  if (options.dataDir && options.reset) Journal.reset(options.dataDir);
  let chain = options.dataDir ? await Chain.open(options.dataDir, chainOptions) : null;
  const fresh = chain === null;
  if (!chain) {
    const engine = Engine.fresh();
    engine.setClock(0n, 0n, 0n, BigInt(Math.floor(Date.now() / 1000)));
    const genesis = runGenesis(engine, wallet, readGenesisConfig(options.genesisConfig ?? DEFAULT_GENESIS_CONFIG), options.repoRoot ?? REPO_ROOT);
    chain = await Chain.create(engine, genesis, options.dataDir, chainOptions);
  }
  chain.start();
  const rpc = new RpcHandler(chain);
  const http = createRpcHttpServer(rpc, options.maxBodyBytes ?? MAX_BODY_BYTES);
  const pubsub = new PubSub(chain);
  const c = chain;
  return {
    chain,
    rpc,
    http,
    pubsub,
    fresh,
    walletCreated,
    bootMs: performance.now() - t0,
    async close() {
      await pubsub.close();
      http.closeAllConnections();
      await c.close();
    },
  };
}
