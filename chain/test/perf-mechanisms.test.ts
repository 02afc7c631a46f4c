/**
 * The mechanisms behind the chain's speed: group commit keeps every acknowledgement durable (inline
 * and background fsyncs, blocks published in order), the preallocated journal file, the genesis cache.
 */
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Keypair, LAMPORTS_PER_SOL, SystemProgram, Transaction } from '@solana/web3.js';
import { afterAll, describe, expect, it } from 'vitest';
import { toBase58 } from '../src/base58.ts';
import { Chain } from '../src/chain.ts';
import { DEFAULT_GENESIS_CONFIG, readGenesisConfig, REPO_ROOT } from '../src/genesis.ts';
import { cachedGenesis, genesisKey } from '../src/genesis-cache.ts';
import { Journal } from '../src/journal.ts';
import { startChain, type TestChain } from './helpers.ts';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(path.join(os.tmpdir(), 'spicetime-chain-perf-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The chain's journal with its fsyncs observed: `synced` is the journal size the latest completed fsync covers. */
function observeFsyncs(c: TestChain): { journal: Journal; synced: () => number; calls: { inline: number; background: number }; hold: (on: boolean) => void } {
  const journal = (c.server.chain as unknown as { journal: Journal }).journal;
  const real = journal.io;
  let synced = 0;
  let holding = false;
  const held: (() => void)[] = [];
  const calls = { inline: 0, background: 0 };
  journal.io = {
    fdatasyncSync(fd) {
      calls.inline++;
      const size = journal.size;
      real.fdatasyncSync(fd);
      synced = Math.max(synced, size);
    },
    fdatasync(fd, done) {
      calls.background++;
      const size = journal.size;
      const run = () =>
        real.fdatasync(fd, (err) => {
          if (!err) synced = Math.max(synced, size);
          done(err);
        });
      if (holding) held.push(run);
      else run();
    },
  };
  return {
    journal,
    synced: () => synced,
    calls,
    hold(on) {
      holding = on;
      if (!on) for (const run of held.splice(0)) run();
    },
  };
}

/** `n` signed transfers from the test wallet, distinct signatures. */
async function transfers(c: TestChain, n: number): Promise<Buffer[]> {
  const { blockhash } = await c.connection.getLatestBlockhash();
  return Array.from({ length: n }, (_, i) => {
    const tx = new Transaction({ feePayer: c.wallet.publicKey, recentBlockhash: blockhash }).add(
      SystemProgram.transfer({ fromPubkey: c.wallet.publicKey, toPubkey: Keypair.generate().publicKey, lamports: LAMPORTS_PER_SOL / 100 + i }),
    );
    tx.sign(c.wallet);
    return tx.serialize();
  });
}

describe('group commit', () => {
  it('acknowledges concurrent sends only once their block is in the journal and fsynced, in fewer blocks than sends', async () => {
    const dir = tmp();
    const c = await startChain({ dir, persist: true });
    try {
      const chain = c.server.chain;
      const fs = observeFsyncs(c);
      const file = path.join(dir, 'ledger', 'journal.log');
      const N = 200;
      const txs = await transfers(c, N);
      const blocksBefore = chain.history.slots.length;
      const acked = await Promise.all(
        txs.map((w) =>
          chain.submit(w, true).then((sig) => {
            // At the moment of acknowledgement the line holding the signature is on disk.
            const text = readFileSync(file, 'utf8').slice(0, fs.synced());
            expect(text.includes(sig)).toBe(true);
            expect(chain.history.txs.has(sig)).toBe(true);
            return sig;
          }),
        ),
      );
      expect(new Set(acked).size).toBe(N);
      const blocks = chain.history.slots.length - blocksBefore;
      expect(blocks).toBeLessThan(N / 4); // grouped, not one fsync per transaction
      expect(fs.calls.background).toBeGreaterThan(0); // under load the fsync runs beside execution
      // Every acknowledged transaction comes back from the journal alone.
      const reread = Journal.open(path.join(dir, 'ledger'));
      reread.journal.close();
      const inJournal = new Set(reread.lines.flatMap((l) => (l.entry.t === 'b' ? (l.entry.txs as { s: string }[]).map((t) => t.s) : [])));
      for (const s of acked) expect(inJournal.has(s)).toBe(true);
    } finally {
      await c.dispose();
    }
  });

  it('a lone transaction is fsynced on the main thread and answered at once', async () => {
    const c = await startChain({ persist: true });
    try {
      const fs = observeFsyncs(c);
      const [w] = await transfers(c, 1);
      const sig = await c.server.chain.submit(w!, true);
      expect(fs.calls).toEqual({ inline: 1, background: 0 });
      expect(fs.synced()).toBe(fs.journal.size);
      expect(c.server.chain.history.txs.get(sig)?.slot).toBe(c.server.chain.latest.slot);
    } finally {
      await c.dispose();
    }
  });

  it('while an fsync is held nothing of its block or later ones is visible; blocks made meanwhile are published in order', async () => {
    const c = await startChain({ persist: true }); // 100 ms slots: ticks seal open blocks meanwhile
    const fs = observeFsyncs(c);
    try {
      const chain = c.server.chain;
      const txs = await transfers(c, 60);
      const latestBefore = chain.latest.slot;
      const done = new Set<string>();
      fs.hold(true);
      const backgroundBefore = fs.calls.background; // ticks before the hold fsync too
      const first = txs.slice(0, 40).map((w) => chain.submit(w, true).then((s) => void done.add(s)));
      await new Promise((r) => setTimeout(r, 120));
      const second = txs.slice(40).map((w) => chain.submit(w, true).then((s) => void done.add(s)));
      await new Promise((r) => setTimeout(r, 250));
      expect(done.size).toBe(0);
      expect(fs.calls.background - backgroundBefore).toBe(1); // one held; the rest wait for it
      const sigs = txs.map((w) => toBase58(w.subarray(1, 65)));
      const statuses = await c.rpc('getSignatureStatuses', [sigs]);
      expect(statuses.result.value.every((v: unknown) => v === null)).toBe(true);
      expect(chain.latest.slot).toBe(latestBefore); // the blocks (and ticks) after the held one wait too
      // A resend meanwhile is a duplicate, not a second execution.
      await expect(chain.submit(txs[0]!, true)).rejects.toThrow(/already been processed/);
      fs.hold(false);
      await Promise.all([...first, ...second]);
      expect(done.size).toBe(60);
      const slots = chain.history.slots;
      for (let i = 1; i < slots.length; i++) expect(slots[i]!).toBeGreaterThan(slots[i - 1]!);
      for (const s of sigs) expect(chain.history.txs.get(s)!.slot).toBeGreaterThan(latestBefore);
    } finally {
      fs.hold(false);
      await c.dispose();
    }
  });
});

describe('a failed fsync', () => {
  it('stops writes: waiting senders learn their transaction may not have landed, later writes are refused, reads go on', async () => {
    const c = await startChain({ persist: true });
    try {
      const chain = c.server.chain;
      const journal = (chain as unknown as { journal: Journal }).journal;
      const txs = await transfers(c, 3);
      await chain.submit(txs[0]!, true); // durable before the disk fails
      const broken = new Error('EIO: i/o error, fdatasync');
      journal.io = {
        fdatasyncSync() {
          throw broken;
        },
        fdatasync(_fd, done) {
          done(broken);
        },
      };
      await expect(chain.submit(txs[1]!, true)).rejects.toThrow(/journal failed \(EIO.*may or may not have landed/);
      await expect(chain.submit(txs[2]!, true)).rejects.toThrow(/no more are taken/);
      const sig = (w: Buffer) => toBase58(w.subarray(1, 65));
      expect(chain.history.txs.has(sig(txs[0]!))).toBe(true);
      expect(chain.history.txs.has(sig(txs[1]!))).toBe(false);
      await expect(c.rpc('spicetime_warpToSlot', [chain.latest.slot + 10])).resolves.toMatchObject({ error: { code: -32603 } });
      expect((await c.rpc('getSignatureStatuses', [[sig(txs[0]!)]])).result.value[0]).not.toBeNull();
    } finally {
      await c.dispose();
    }
  });
});

describe('journal file', () => {
  it('after a power loss, a line whose page is still zeros ends the journal; other unreadable lines are corruption', () => {
    const lineOf = (n: number) => Buffer.from(`${JSON.stringify({ t: 'x', n })}\n`);
    const [a, b, c] = [lineOf(1), lineOf(2), lineOf(3)];
    const write = (bytes: Buffer) => {
      const dir = tmp();
      writeFileSync(path.join(dir, 'journal.log'), bytes);
      return dir;
    };
    // b's first bytes never reached the disk (zeros), its end and c did; zeros follow (the file's growth)
    const holed = Buffer.concat([a, Buffer.alloc(5), b.subarray(5), c, Buffer.alloc(64)]);
    const opened = Journal.open(write(holed));
    expect(opened.lines.map((l) => l.entry.n)).toEqual([1]);
    expect(opened.journal.size).toBe(a.length);
    opened.journal.close();
    // a line garbled without zeros, with lines after it: refused, never cut
    const garbled = Buffer.concat([a, Buffer.from('{"t":"x",garbage}\n'), c]);
    expect(() => Journal.open(write(garbled))).toThrow(/unreadable line at byte/);
  });

  it('grows with zeros ahead of its lines; an open after a crash keeps the lines and cuts a torn one and the zeros; a close leaves none', () => {
    const dir = tmp();
    const file = path.join(dir, 'journal.log');
    const { journal } = Journal.open(dir);
    journal.append({ t: 'x', n: 1 });
    const end = journal.append({ t: 'x', n: 2 });
    expect(journal.durable).toBe(0);
    journal.flushSync();
    expect(journal.durable).toBe(end);
    expect(statSync(file).size).toBeGreaterThan(end); // zeros after the lines
    // A crash now, mid-write of a third line: the file as it stands, opened elsewhere.
    const crashed = tmp();
    const bytes = readFileSync(file);
    Buffer.from('{"t":"x","n":3,"pa').copy(bytes, end);
    writeFileSync(path.join(crashed, 'journal.log'), bytes);
    const reopened = Journal.open(crashed);
    expect(reopened.lines.map((l) => l.entry.n)).toEqual([1, 2]);
    expect(statSync(path.join(crashed, 'journal.log')).size).toBe(end);
    reopened.journal.append({ t: 'x', n: 3 });
    reopened.journal.close();
    const lines = (f: string) => readFileSync(f, 'utf8').split('\n');
    expect(lines(path.join(crashed, 'journal.log')).map((l) => (l ? JSON.parse(l).n : l))).toEqual([1, 2, 3, '']);
    journal.close();
    expect(statSync(file).size).toBe(end);
    expect(lines(file).map((l) => (l ? JSON.parse(l).n : l))).toEqual([1, 2, '']);
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
