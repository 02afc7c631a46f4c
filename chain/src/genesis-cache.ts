/**
 * A cache of genesis results: the SVM right after {@link runGenesis} (programs deployed, mints
 * created, wallets funded) plus the {@link GenesisInfo}, keyed by a hash of every input — the
 * program ELFs and keypairs of `Anchor.toml`, the genesis config and the mint keypairs it names,
 * the wallet's address and the LiteSVM version. A fresh start (`--reset`, or a new data directory)
 * with the same inputs loads the SVM instead of redeploying; any changed input is a new key, so a
 * rebuilt program or an edited genesis.json runs genesis again. Entries are written atomically.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Keypair } from '@solana/web3.js';
import type { GenesisInfo } from './chain.ts';
import { Engine } from './engine.ts';
import { anchorPrograms, type GenesisConfig, REPO_ROOT, runGenesis } from './genesis.ts';

/** Bumped whenever what genesis does (or this file's format) changes. */
const FORMAT = 'spicetime-genesis-cache-2';
const litesvmVersion = ((): string => {
  try {
    const req = createRequire(import.meta.url);
    return (JSON.parse(readFileSync(req.resolve('litesvm/package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
})();

/** The default cache directory, `chain/.cache/genesis`. */
export const DEFAULT_GENESIS_CACHE_DIR = path.join(REPO_ROOT, 'chain', '.cache', 'genesis');

/** The cache key of a genesis: sha256 over every input that shapes its result. */
export function genesisKey(wallet: Keypair, config: GenesisConfig, root: string = REPO_ROOT): string {
  const h = createHash('sha256');
  const part = (label: string, bytes: Uint8Array | string): void => {
    const b = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(b.length));
    h.update(label).update(len).update(b);
  };
  part('format', FORMAT);
  part('litesvm', litesvmVersion);
  part('wallet', wallet.publicKey.toBase58());
  for (const [name, id] of Object.entries(anchorPrograms(root))) {
    part('program', `${name}=${id}`);
    part('elf', readFileSync(path.join(root, 'programs', 'deploy', `${name}.so`)));
    part('program-keypair', readFileSync(path.join(root, 'programs', 'keys', `${name}-keypair.json`)));
  }
  part('config', JSON.stringify({ mints: config.mints, wallets: config.wallets, faucetSol: config.faucetSol }));
  for (const m of config.mints) part('mint-keypair', readFileSync(path.resolve(config.baseDir, m.keypair)));
  return h.digest('hex');
}

/**
 * Genesis through the cache: loads the entry for these inputs when there is one, else runs
 * genesis into a fresh engine and stores the result. `cacheDir` null disables the cache.
 */
export function cachedGenesis(wallet: Keypair, config: GenesisConfig, root: string, cacheDir: string | null): { engine: Engine; genesis: GenesisInfo; hit: boolean } {
  const key = cacheDir ? genesisKey(wallet, config, root) : '';
  const file = cacheDir ? path.join(cacheDir, `${key}.bin`) : '';
  if (cacheDir && existsSync(file)) {
    try {
      const bytes = readFileSync(file);
      const n = bytes.readUInt32LE(0);
      const genesis = JSON.parse(bytes.toString('utf8', 4, 4 + n)) as GenesisInfo;
      const engine = Engine.fromBytes(new Uint8Array(bytes.buffer, bytes.byteOffset + 4 + n, bytes.length - 4 - n));
      return { engine, genesis, hit: true };
    } catch {
      rmSync(file, { force: true }); // unreadable: run genesis again
    }
  }
  const engine = Engine.fresh();
  engine.setClock(0n, 0n, 0n, BigInt(Math.floor(Date.now() / 1000)));
  const genesis = runGenesis(engine, wallet, config, root);
  if (cacheDir) {
    try {
      mkdirSync(cacheDir, { recursive: true });
      const header = Buffer.from(JSON.stringify(genesis));
      const len = Buffer.alloc(4);
      len.writeUInt32LE(header.length);
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, Buffer.concat([len, header, engine.toBytes()]));
      renameSync(tmp, file);
      // Keep the newest few entries only (each is a whole SVM).
      const entries = readdirSync(cacheDir).filter((f) => f.endsWith('.bin') && f !== `${key}.bin`);
      if (entries.length > 4) for (const f of entries) rmSync(path.join(cacheDir, f), { force: true });
    } catch {
      // A cache that cannot be written only costs the next start its speed.
    }
  }
  return { engine, genesis, hit: false };
}
