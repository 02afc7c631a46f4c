/** The mechanisms behind the chain's speed: group commit keeps every acknowledgement durable; the genesis cache. */
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Keypair, LAMPORTS_PER_SOL, SystemProgram, Transaction } from '@solana/web3.js';
import { afterAll, describe, expect, it } from 'vitest';
import { Chain } from '../src/chain.ts';
import { DEFAULT_GENESIS_CONFIG, readGenesisConfig, REPO_ROOT } from '../src/genesis.ts';
import { cachedGenesis, genesisKey } from '../src/genesis-cache.ts';
import { Journal } from '../src/journal.ts';
import { startChain } from './helpers.ts';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'spicetime-chain-perf-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('group commit', () => {
  it('acknowledges concurrent sends only once their batch is in the journal and fsynced, in fewer batches than sends', async () => {
    const dir = tmp();
    const c = await startChain({ dir, persist: true });
    try {
      const chain = c.server.chain;
      const journal = (chain as unknown as { journal: Journal }).journal;
      let synced = 0; // bytes of journal known to be on disk
      const realSync = journal.sync.bind(journal);
      journal.sync = async () => {
        const size = journal.size;
        await realSync();
        synced = Math.max(synced, size);
      };
      const file = path.join(dir, 'ledger', 'journal.log');
      const { blockhash } = await c.connection.getLatestBlockhash();
      const N = 200;
      const txs = Array.from({ length: N }, (_, i) => {
        const tx = new Transaction({ feePayer: c.wallet.publicKey, recentBlockhash: blockhash }).add(
          SystemProgram.transfer({ fromPubkey: c.wallet.publicKey, toPubkey: Keypair.generate().publicKey, lamports: LAMPORTS_PER_SOL / 100 + i }),
        );
        tx.sign(c.wallet);
        return tx.serialize();
      });
      const blocksBefore = chain.history.slots.length;
      const acked = await Promise.all(
        txs.map((w) =>
          chain.submit(w, true).then((sig) => {
            // At the moment of acknowledgement the line holding the signature is on disk.
            const text = readFileSync(file, 'utf8').slice(0, synced);
            expect(text.includes(sig)).toBe(true);
            return sig;
          }),
        ),
      );
      expect(new Set(acked).size).toBe(N);
      const batches = chain.history.slots.length - blocksBefore;
      expect(batches).toBeLessThan(N / 4); // grouped, not one fsync per transaction
      // Every acknowledged transaction comes back from the journal alone.
      const reread = Journal.open(path.join(dir, 'ledger'));
      reread.journal.close();
      const inJournal = new Set(reread.lines.flatMap((l) => (l.entry.t === 'b' ? (l.entry.txs as { s: string }[]).map((t) => t.s) : [])));
      for (const s of acked) expect(inJournal.has(s)).toBe(true);
    } finally {
      await c.dispose();
    }
  });
});

describe('genesis cache', () => {
  /** A copy of the repository's genesis inputs (Anchor.toml, programs, keys). */
  const repoCopy = (): string => {
    const root = tmp();
    copyFileSync(path.join(REPO_ROOT, 'Anchor.toml'), path.join(root, 'Anchor.toml'));
    mkdirSync(path.join(root, 'programs'));
    cpSync(path.join(REPO_ROOT, 'programs', 'deploy'), path.join(root, 'programs', 'deploy'), { recursive: true });
    cpSync(path.join(REPO_ROOT, 'programs', 'keys'), path.join(root, 'programs', 'keys'), { recursive: true });
    return root;
  };

  it('reuses a genesis for the same inputs and misses when a program, the config or the wallet changes', () => {
    const root = repoCopy();
    const cacheDir = path.join(tmp(), 'cache');
    const wallet = Keypair.generate();
    const config = readGenesisConfig(DEFAULT_GENESIS_CONFIG);
    const first = cachedGenesis(wallet, config, root, cacheDir);
    expect(first.hit).toBe(false);
    const second = cachedGenesis(wallet, config, root, cacheDir);
    expect(second.hit).toBe(true);
    expect(second.genesis).toEqual(first.genesis);
    for (const id of Object.values(first.genesis.programs)) {
      const a = first.engine.getAccount(id)!;
      const b = second.engine.getAccount(id)!;
      expect(b.executable).toBe(true);
      expect(Buffer.from(b.data).equals(Buffer.from(a.data))).toBe(true);
    }
    for (const m of Object.values(first.genesis.mints)) expect(Buffer.from(second.engine.getAccount(m.address)!.data).equals(Buffer.from(first.engine.getAccount(m.address)!.data))).toBe(true);

    const key = genesisKey(wallet, config, root);
    // A rebuilt program: one byte of its ELF differs.
    const [name] = Object.keys(first.genesis.programs);
    const so = path.join(root, 'programs', 'deploy', `${name}.so`);
    const elf = readFileSync(so);
    elf[elf.length - 1] ^= 0xff;
    writeFileSync(so, elf);
    expect(genesisKey(wallet, config, root)).not.toBe(key);
    elf[elf.length - 1] ^= 0xff;
    writeFileSync(so, elf);
    expect(genesisKey(wallet, config, root)).toBe(key);
    // An edited genesis config, another wallet.
    expect(genesisKey(wallet, { ...config, faucetSol: config.faucetSol + 1 }, root)).not.toBe(key);
    expect(genesisKey(Keypair.generate(), config, root)).not.toBe(key);
  });

  it('a fresh chain from a cache hit works and gets its own genesis hash', async () => {
    const cacheDir = path.join(tmp(), 'cache');
    const dir = tmp();
    const a = await startChain({ dir, persist: true, genesisCacheDir: cacheDir });
    expect(a.server.genesisCached).toBe(false);
    const hashA = await a.connection.getGenesisHash();
    await a.close();
    const b = await startChain({ dir, persist: true, reset: true, genesisCacheDir: cacheDir });
    try {
      expect(b.server.fresh).toBe(true);
      expect(b.server.genesisCached).toBe(true);
      expect(await b.connection.getGenesisHash()).not.toBe(hashA);
      const to = Keypair.generate().publicKey;
      const sig = await b.connection.requestAirdrop(to, LAMPORTS_PER_SOL);
      await b.connection.confirmTransaction({ signature: sig, ...(await b.connection.getLatestBlockhash()) });
      expect(await b.connection.getBalance(to)).toBe(LAMPORTS_PER_SOL);
    } finally {
      await b.dispose();
    }
    void Chain;
  });
});
