/**
 * The local chain server, built but not listening (`listen.ts` binds it): genesis or restart from
 * the data directory, the chain, JSON-RPC over HTTP and PubSub over WebSocket.
 */
import type { Server } from 'node:http';
import { Chain, type ChainOptions } from './chain.ts';
import { loadZstd } from './encoding.ts';
import { DEFAULT_GENESIS_CONFIG, readGenesisConfig, REPO_ROOT } from './genesis.ts';
import { cachedGenesis, DEFAULT_GENESIS_CACHE_DIR } from './genesis-cache.ts';
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
  /**
   * Where genesis results are cached by the hash of their inputs (programs, genesis config, mint
   * keypairs, wallet); null runs genesis every time. Default `chain/.cache/genesis`.
   */
  genesisCacheDir?: string | null;
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
  /** Whether a fresh genesis came from the genesis cache. */
  genesisCached: boolean;
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
  let genesisCached = false;
  if (!chain) {
    const config = readGenesisConfig(options.genesisConfig ?? DEFAULT_GENESIS_CONFIG);
    const cacheDir = options.genesisCacheDir === undefined ? DEFAULT_GENESIS_CACHE_DIR : options.genesisCacheDir;
    const g = cachedGenesis(wallet, config, options.repoRoot ?? REPO_ROOT, cacheDir);
    genesisCached = g.hit;
    chain = await Chain.create(g.engine, g.genesis, options.dataDir, chainOptions);
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
    genesisCached,
    bootMs: performance.now() - t0,
    async close() {
      await pubsub.close();
      http.closeAllConnections();
      await c.close();
    },
  };
}
