/**
 * The chain: LiteSVM plus what a validator adds around it — slots and blocks on a timer and per
 * batch, blockhashes that expire, a transaction pipeline with preflight, group-committed
 * durability (a batch is fsynced before any client hears about it), history, and notifications.
 */
import { createHash } from 'node:crypto';
import { Keypair, PublicKey, SystemProgram, Transaction } from '@solana/web3.js';
import type { FailedTransactionMetadata, TransactionMetadata } from 'litesvm';
import { fromBase58, toBase58 } from './base58.ts';
import { type AccountState, Engine } from './engine.ts';
import { epochOf } from './epoch.ts';
import { InvalidParamsError, SignatureVerificationError, TransactionSimulationError } from './errors.ts';
import { messageFee } from './fees.ts';
import { type Block, History, type MetaJson, type TxRecord } from './history.ts';
import { Journal, type JournalLine, readSnapshot, writeSnapshot } from './journal.ts';
import { readMint, readTokenBalance, tokenKind, type UiTokenAmount, uiTokenAmount } from './token.ts';
import { namedError, type TransactionErrorInfo, type TransactionErrorJson, transactionError } from './tx-errors.ts';
import { isWritableIndex, parseTransaction, type WireTransaction } from './wire.ts';

/** Blocks a blockhash stays valid for (agave's MAX_PROCESSING_AGE). */
export const MAX_PROCESSING_AGE = 150;
/**
 * Transactions in one batch (block): half the queue, at least 16, at most 2,048 — so under load a
 * batch's fsync overlaps the next batch's execution and clients get answers while the chain keeps
 * executing, while a deep queue still goes in few batches (each costs a block, a journal write and
 * an fsync).
 */
const MIN_BATCH = 16;
const MAX_BATCH = 2048;

/** What genesis recorded about the chain. */
export interface GenesisInfo {
  wallet: string;
  faucetSecret: number[];
  programs: Record<string, string>;
  mints: Record<string, { address: string; decimals: number; programId: string }>;
}

/** How the chain runs. */
export interface ChainOptions {
  /** Milliseconds per slot when idle (default 400). */
  slotMs: number;
  /** Milliseconds between SVM snapshots when the journal grew (default 30 s). */
  snapshotMs: number;
}

/** A batch made durable: its block, transactions and the accounts it wrote. */
export interface Commit {
  block: Block;
  records: TxRecord[];
  accounts: Map<string, AccountState>;
}

/** The result of executing a transaction without committing it. */
export interface SimulationResult {
  err: TransactionErrorJson | null;
  logs: string[];
  unitsConsumed: number;
  returnData: MetaJson['returnData'] | null;
  innerInstructions: MetaJson['innerInstructions'];
  post: Map<string, AccountState>;
  fee: number;
  preBalances: number[];
  postBalances: number[];
  keys: string[];
}

interface Pending {
  tx: WireTransaction;
  preflight: boolean;
  resolve: (sig: string) => void;
  reject: (e: Error) => void;
}

type Outcome = { kind: 'committed'; rec: TxRecord } | { kind: 'rejected'; error: Error } | { kind: 'dropped' };

const ALT_PROGRAM = 'AddressLookupTab1e1111111111111111111111111';
const LOOKUP_TABLE_META_SIZE = 56;
const now = (): number => Math.floor(Date.now() / 1000);
const toLoaded = (s: string): string => s;

/** A failed preflight as a validator reports it. */
export function simulationFailure(err: TransactionErrorInfo, logs: string[], unitsConsumed = 0): TransactionSimulationError {
  return new TransactionSimulationError(`Transaction simulation failed: ${err.message}`, {
    accounts: null,
    err: err.json,
    innerInstructions: null,
    loadedAccountsDataSize: 0,
    logs,
    replacementBlockhash: null,
    returnData: null,
    unitsConsumed,
  });
}

/** The chain's state and pipeline; RPC and PubSub are built over it. */
export class Chain {
  readonly history = new History();
  private readonly recentBlockhashes = new Map<string, { height: number; time: number }>();
  private readonly decimals = new Map<string, number>();
  private readonly tokenEntries = new WeakMap<AccountState, { mint: string; owner: string; programId: string; uiTokenAmount: UiTokenAmount } | null>();
  private readonly queue: Pending[] = [];
  private readonly queued = new Set<string>();
  private draining = false;
  private drainScheduled = false;
  /** Settles once every batch executed so far is acknowledged. */
  private acknowledged: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private snapshotTimer: NodeJS.Timeout | null = null;
  private snapshotOffset = 0;
  private snapshotting: Promise<void> | null = null;
  private readonly commitListeners = new Set<(c: Commit) => void>();
  private readonly slotListeners = new Set<(b: Block) => void>();
  /** The slot transactions execute in now (one past the latest block, or a warp target). */
  private working = 0;
  private timeOffset = 0;
  readonly faucet: Keypair;
  closed = false;

  private constructor(
    readonly engine: Engine,
    readonly genesisHash: string,
    readonly genesis: GenesisInfo,
    private readonly journal: Journal | null,
    readonly options: ChainOptions,
  ) {
    this.faucet = Keypair.fromSecretKey(Uint8Array.from(genesis.faucetSecret));
    // From here on every account change goes through the engine (transactions, setAccount).
    engine.cacheAccounts();
  }

  /**
   * A chain over an SVM that genesis has just filled: writes the genesis line and the first
   * snapshot into `dataDir` (or keeps everything in memory when it is null).
   */
  static async create(engine: Engine, genesis: GenesisInfo, dataDir: string | null, options: ChainOptions): Promise<Chain> {
    const genesisHash = toBase58(createHash('sha256').update(Buffer.from(crypto.getRandomValues(new Uint8Array(32)))).digest());
    let journal: Journal | null = null;
    if (dataDir) {
      Journal.reset(dataDir);
      journal = Journal.open(dataDir).journal;
    }
    const chain = new Chain(engine, genesisHash, genesis, journal, options);
    const time = now();
    journal?.append({ t: 'genesis', genesisHash, time, genesis });
    chain.addBlock(0, time, []);
    // Programs deployed at genesis are callable from the slot after their deployment.
    chain.working = Math.max(1, Number(engine.svm.getClock().slot));
    if (chain.working > 1) journal?.append({ t: 'w', slot: chain.working });
    chain.updateClock();
    if (journal) {
      await journal.sync();
      await chain.snapshot();
    }
    return chain;
  }

  /**
   * Reopens the chain in `dataDir`: the snapshot's SVM, then every journal line — history from
   * all of them, account states from those after the snapshot. Returns null when there is no
   * complete genesis there.
   */
  static async open(dataDir: string, options: ChainOptions): Promise<Chain | null> {
    const snap = readSnapshot(dataDir);
    const { journal, lines } = Journal.open(dataDir);
    const first = lines[0]?.entry;
    if (!snap || !first || first.t !== 'genesis') {
      journal.close();
      return null;
    }
    const engine = Engine.fromBytes(snap.svm);
    const chain = new Chain(engine, first.genesisHash as string, first.genesis as GenesisInfo, journal, options);
    chain.replay(lines, snap.offset);
    chain.snapshotOffset = snap.offset;
    return chain;
  }

  private replay(lines: JournalLine[], snapshotOffset: number): void {
    const states = new Map<string, AccountState>();
    let prevEnd = 0;
    for (const { entry, end } of lines) {
      const afterSnapshot = prevEnd >= snapshotOffset;
      prevEnd = end;
      switch (entry.t) {
        case 'genesis':
          this.addBlock(0, entry.time as number, []);
          this.working = 1;
          break;
        case 's':
          this.working = entry.slot as number;
          this.addBlock(entry.slot as number, entry.time as number, []);
          this.working = (entry.slot as number) + 1;
          break;
        case 'w':
          this.working = entry.slot as number;
          break;
        case 'time':
          this.timeOffset = entry.offset as number;
          break;
        case 'b': {
          const slot = entry.slot as number;
          const time = entry.time as number;
          const recs = (entry.txs as { s: string; w: string; v: 'legacy' | 0; k: string[]; m: MetaJson }[]).map(
            (x): TxRecord => ({ signature: x.s, wire: x.w, version: x.v, keys: x.k, meta: x.m, slot, blockTime: time }),
          );
          for (const r of recs) this.history.addTx(r);
          this.addBlock(slot, time, recs.map((r) => r.signature));
          this.working = slot + 1;
          if (afterSnapshot) {
            for (const [addr, lamports, owner, exec, rentEpoch, data] of entry.a as [string, string, string, number, string, string][]) {
              states.set(addr, { lamports: BigInt(lamports), owner, executable: exec === 1, rentEpoch: BigInt(rentEpoch), data: Buffer.from(data, 'base64') });
            }
          }
          break;
        }
        default:
          break;
      }
    }
    // Program data before the programs that point at it.
    const ordered = [...states].sort(([, a], [, b]) => Number(a.executable) - Number(b.executable));
    for (const [addr, state] of ordered) this.engine.setAccount(addr, state);
    this.updateClock();
  }

  /** Starts the slot timer and periodic snapshots. */
  start(): void {
    this.timer = setInterval(() => this.tick(), this.options.slotMs);
    this.timer.unref();
    if (this.journal) {
      this.snapshotTimer = setInterval(() => void this.snapshot().catch(() => undefined), this.options.snapshotMs);
      this.snapshotTimer.unref();
    }
  }

  /** Stops timers, lets queued transactions finish, writes a snapshot and closes the journal. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.snapshotTimer) clearInterval(this.snapshotTimer);
    while (this.draining || this.queue.length) await new Promise((r) => setTimeout(r, 5));
    await this.acknowledged;
    if (this.journal) {
      await this.journal.sync();
      await this.snapshot();
      this.journal.close();
    }
  }

  /** Writes a snapshot of the SVM if the journal grew since the last one. */
  async snapshot(): Promise<void> {
    if (!this.journal || (this.journal.size === this.snapshotOffset && this.snapshotOffset !== 0)) return;
    while (this.snapshotting) await this.snapshotting;
    const offset = this.journal.size;
    const svm = this.engine.toBytes();
    this.snapshotting = (async () => {
      await this.journal!.sync();
      await writeSnapshot(this.journal!.dir, { offset, meta: { slot: this.working }, svm });
      this.snapshotOffset = offset;
    })().finally(() => {
      this.snapshotting = null;
    });
    await this.snapshotting;
  }

  /** Listens to durable batches. Returns an unsubscribe function. */
  onCommit(fn: (c: Commit) => void): () => void {
    this.commitListeners.add(fn);
    return () => this.commitListeners.delete(fn);
  }

  /** Listens to new blocks (timer ticks and batches). */
  onSlot(fn: (b: Block) => void): () => void {
    this.slotListeners.add(fn);
    return () => this.slotListeners.delete(fn);
  }

  // ---- slots, blocks, time ----

  /** The latest block. */
  get latest(): Block {
    return this.history.last();
  }

  /** Chain time (wall clock plus any warp), unix seconds. */
  time(): number {
    return now() + this.timeOffset;
  }

  /** The blockhash of a slot (deterministic: sha256(genesis hash ‖ slot)). */
  blockhashOf(slot: number): string {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(slot));
    return toBase58(createHash('sha256').update(this.genesisHash).update(b).digest());
  }

  private addBlock(slot: number, time: number, signatures: string[]): Block {
    const prev = this.history.slots.length ? this.history.last() : null;
    const block: Block = {
      slot,
      parentSlot: prev ? prev.slot : 0,
      blockHeight: prev ? prev.blockHeight + 1 : 0,
      blockTime: time,
      blockhash: this.blockhashOf(slot),
      previousBlockhash: prev ? prev.blockhash : this.genesisHash,
      signatures,
    };
    this.history.addBlock(block);
    this.recentBlockhashes.set(block.blockhash, { height: block.blockHeight, time: Date.now() });
    if (this.recentBlockhashes.size > 2 * MAX_PROCESSING_AGE + 50) {
      const cutoff = Date.now() - MAX_PROCESSING_AGE * this.options.slotMs;
      for (const [h, v] of this.recentBlockhashes) {
        if (v.height >= block.blockHeight - 2 * MAX_PROCESSING_AGE || v.time >= cutoff) break;
        this.recentBlockhashes.delete(h);
      }
    }
    return block;
  }

  private updateClock(): void {
    const schedule = this.engine.svm.getEpochSchedule();
    const { epoch, firstSlot } = epochOf(schedule, BigInt(this.working));
    const t = BigInt(this.time());
    this.engine.setClock(BigInt(this.working), epoch, t - ((BigInt(this.working) - firstSlot) * BigInt(this.options.slotMs)) / 1000n, t);
  }

  /** Seals the working slot into a block and moves to the next slot. */
  private seal(signatures: string[]): Block {
    const block = this.addBlock(this.working, this.time(), signatures);
    this.working++;
    this.updateClock();
    return block;
  }

  private tick(): void {
    if (this.closed) return;
    const block = this.seal([]);
    this.journal?.append({ t: 's', slot: block.slot, time: block.blockTime });
    for (const fn of this.slotListeners) fn(block);
  }

  /** Whether a blockhash is recent enough: within 150 blocks, or 150 slot-times old at most. */
  isBlockhashValid(blockhash: string): boolean {
    const seen = this.recentBlockhashes.get(blockhash);
    if (!seen) return false;
    return this.latest.blockHeight - seen.height <= MAX_PROCESSING_AGE || Date.now() - seen.time <= MAX_PROCESSING_AGE * this.options.slotMs;
  }

  /** The epoch facts of the current slot. */
  epochInfo(): { epoch: bigint; slotIndex: bigint; slotsInEpoch: bigint } {
    return epochOf(this.engine.svm.getEpochSchedule(), BigInt(this.latest.slot));
  }

  /** Jumps the working slot forward (the slots between are skipped); persisted. */
  warpToSlot(slot: number): void {
    if (!Number.isSafeInteger(slot) || slot <= this.latest.slot) throw new InvalidParamsError(`Invalid param: slot must be greater than the current slot ${this.latest.slot}`);
    this.working = slot;
    this.journal?.append({ t: 'w', slot });
    this.seal([]);
    this.journal?.append({ t: 's', slot, time: this.time() });
  }

  /** Moves chain time forward by `seconds` (the Clock sysvar follows); persisted. */
  advanceTime(seconds: number): void {
    if (!Number.isSafeInteger(seconds) || seconds < 0) throw new InvalidParamsError('Invalid param: seconds must be a non-negative integer');
    this.timeOffset += seconds;
    this.journal?.append({ t: 'time', offset: this.timeOffset });
    this.updateClock();
  }

  // ---- accounts ----

  /** An account, or null. */
  account(address: string): AccountState | null {
    const a = this.engine.getAccount(address);
    return a && (a.lamports > 0n || a.data.length > 0 || a.executable) ? a : null;
  }

  /** A mint's decimals (cached; decimals never change), or null when `mint` is not a mint. */
  decimalsOf = (mint: string): number | null => {
    const cached = this.decimals.get(mint);
    if (cached !== undefined) return cached;
    const a = this.account(mint);
    if (!a || tokenKind(a.owner, a.data) !== 'mint') return null;
    const d = readMint(a.data).decimals;
    this.decimals.set(mint, d);
    return d;
  };

  // ---- transactions ----

  /** Resolves a message's keys: static, then loaded writable, then loaded readonly. */
  private accountKeys(tx: WireTransaction): { keys: string[]; loaded: { writable: string[]; readonly: string[] } } | null {
    const loaded = { writable: [] as string[], readonly: [] as string[] };
    for (const l of tx.lookups) {
      const table = this.account(l.accountKey);
      if (!table || table.owner !== ALT_PROGRAM) return null;
      const addr = (i: number): string => {
        const o = LOOKUP_TABLE_META_SIZE + i * 32;
        if (o + 32 > table.data.length) throw new InvalidParamsError('invalid transaction: Transaction address table lookup uses an invalid index');
        return toBase58(table.data.subarray(o, o + 32));
      };
      loaded.writable.push(...l.writableIndexes.map(addr));
      loaded.readonly.push(...l.readonlyIndexes.map(addr));
    }
    return { keys: [...tx.staticKeys, ...loaded.writable.map(toLoaded), ...loaded.readonly], loaded };
  }

  /**
   * A transaction's token balances. An account state's entry is computed once: the states a
   * transaction writes are the next one's pre-states (the engine caches them), so a run of
   * transfers reads each token account once.
   */
  private tokenBalances(states: (AccountState | null)[]): unknown[] {
    const out: unknown[] = [];
    for (let i = 0; i < states.length; i++) {
      const a = states[i];
      if (!a) continue;
      let e = this.tokenEntries.get(a);
      if (e === undefined) {
        e = null;
        if (tokenKind(a.owner, a.data) === 'account') {
          const { mint, owner, amount } = readTokenBalance(a.data);
          const decimals = this.decimalsOf(mint);
          if (decimals !== null) e = { mint, owner, programId: a.owner, uiTokenAmount: uiTokenAmount(amount, decimals) };
        }
        this.tokenEntries.set(a, e);
      }
      if (e) out.push({ accountIndex: i, ...e });
    }
    return out;
  }

  private metaOf(result: TransactionMetadata, err: TransactionErrorJson | null, fee: number, pre: (AccountState | null)[], post: (AccountState | null)[], loaded: MetaJson['loadedAddresses']): MetaJson {
    const inner = result.innerInstructions();
    const innerInstructions: MetaJson['innerInstructions'] = [];
    inner.forEach((list, index) => {
      if (!list.length) return;
      innerInstructions.push({
        index,
        instructions: list.map((ii) => {
          const c = ii.instruction();
          return { programIdIndex: c.programIdIndex(), accounts: Array.from(c.accounts()), data: toBase58(c.data()), stackHeight: ii.stackHeight() };
        }),
      });
    });
    const rd = result.returnData();
    const rdData = rd.data();
    const meta: MetaJson = {
      err,
      status: err === null ? { Ok: null } : { Err: err },
      fee,
      preBalances: pre.map((a) => Number(a?.lamports ?? 0n)),
      postBalances: post.map((a) => Number(a?.lamports ?? 0n)),
      innerInstructions,
      logMessages: result.logs(),
      preTokenBalances: this.tokenBalances(pre),
      postTokenBalances: this.tokenBalances(post),
      rewards: [],
      loadedAddresses: loaded,
      computeUnitsConsumed: Number(result.computeUnitsConsumed()),
    };
    if (rdData.length) meta.returnData = { programId: toBase58(rd.programId()), data: [Buffer.from(rdData).toString('base64'), 'base64'] };
    return meta;
  }

  /** Executes one queued transaction against the SVM (synchronously). */
  private execute(p: Pending, written: Map<string, AccountState | null>): Outcome {
    const { tx } = p;
    const resolved = this.accountKeys(tx);
    if (!resolved) return p.preflight ? { kind: 'rejected', error: simulationFailure(namedError('AddressLookupTableNotFound'), []) } : { kind: 'dropped' };
    const { keys, loaded } = resolved;
    const writable = keys.map((_, i) => isWritableIndex(tx, i));
    const pre = keys.map((k) => this.engine.getAccount(k));
    const result = this.engine.send(tx.bytes, tx.version, keys.filter((_, i) => writable[i]));
    let err: TransactionErrorInfo | null = null;
    let meta: TransactionMetadata;
    if ('err' in result) {
      err = transactionError(result as FailedTransactionMetadata);
      meta = result.meta();
      if (err.json === 'SignatureFailure') return { kind: 'rejected', error: new SignatureVerificationError() };
      const payerAfter = this.engine.getAccount(keys[0]!);
      const charged = (pre[0]?.lamports ?? 0n) !== (payerAfter?.lamports ?? 0n);
      if (!charged) return p.preflight ? { kind: 'rejected', error: simulationFailure(err, meta.logs()) } : { kind: 'dropped' };
      if (p.preflight) {
        this.engine.setAccount(keys[0]!, pre[0]!);
        return { kind: 'rejected', error: simulationFailure(err, meta.logs(), Number(meta.computeUnitsConsumed())) };
      }
    } else {
      meta = result as TransactionMetadata;
    }
    const post = keys.map((k, i) => {
      if (!writable[i]) return pre[i]!;
      const a = this.engine.getAccount(k);
      // The batch's journal line takes each written account's state after its last writer.
      written.delete(k);
      written.set(k, a);
      return a;
    });
    const block = { slot: this.working, time: this.time() };
    const rec: TxRecord = {
      signature: tx.signature,
      slot: block.slot,
      blockTime: block.time,
      wire: Buffer.from(tx.bytes).toString('base64'),
      version: tx.version,
      keys,
      meta: this.metaOf(meta, err ? err.json : null, messageFee(tx), pre, post, loaded),
    };
    return { kind: 'committed', rec };
  }

  /**
   * Queues a transaction; resolves with its signature once it is durable (or, for one a
   * validator would drop without preflight, at once). Preflight failures reject with the
   * validator's error and logs, and cost nothing.
   */
  submit(bytes: Uint8Array, preflight: boolean): Promise<string> {
    const tx = parseTransaction(bytes);
    if (this.history.txs.has(tx.signature) || this.queued.has(tx.signature)) {
      if (preflight) return Promise.reject(simulationFailure(namedError('AlreadyProcessed'), []));
      return Promise.resolve(tx.signature);
    }
    if (!this.isBlockhashValid(tx.recentBlockhash) && !this.isNonceTransaction(tx)) {
      if (preflight) return Promise.reject(simulationFailure(namedError('BlockhashNotFound'), []));
      return Promise.resolve(tx.signature);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ tx, preflight, resolve, reject });
      this.queued.add(tx.signature);
      if (!this.draining) this.scheduleDrain();
    });
  }

  private isNonceTransaction(tx: WireTransaction): boolean {
    const ix = tx.instructions[0];
    return !!ix && tx.staticKeys[ix.programIdIndex] === SystemProgram.programId.toBase58() && ix.data.length === 4 && ix.data[0] === 4;
  }

  /**
   * Executes the queue in batches (one block each). A batch's journal line is appended at once
   * and its transactions are acknowledged — signatures returned, history and notifications —
   * only once an fsync covering that line is done; the next batch executes while that fsync runs
   * (lines are appended in order, so a later fsync covers every earlier line). Until then the
   * signatures stay in `queued`, so a resend is still recognised as a duplicate.
   */
  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      if (this.queue.length) {
        const items = this.queue.splice(0, Math.min(MAX_BATCH, Math.max(MIN_BATCH, Math.ceil(this.queue.length / 2))));
        const written = new Map<string, AccountState | null>();
        const outcomes = items.map((p) => {
          try {
            return this.execute(p, written);
          } catch (e) {
            return { kind: 'rejected', error: e as Error } as Outcome;
          }
        });
        const records: TxRecord[] = [];
        for (const [i, o] of outcomes.entries()) {
          const p = items[i]!;
          if (o.kind === 'committed') {
            records.push(o.rec);
            continue;
          }
          this.queued.delete(p.tx.signature);
          if (o.kind === 'rejected') p.reject(o.error);
          else p.resolve(p.tx.signature);
        }
        if (!records.length) return;
        const accounts = new Map<string, AccountState>();
        for (const [k, a] of written) {
          accounts.set(k, a ?? { lamports: 0n, data: new Uint8Array(), owner: SystemProgram.programId.toBase58(), executable: false, rentEpoch: 0n });
        }
        const block = this.seal(records.map((r) => r.signature));
        this.journal?.append({
          t: 'b',
          slot: block.slot,
          time: block.blockTime,
          txs: records.map((r) => ({ s: r.signature, w: r.wire, v: r.version, k: r.keys, m: r.meta })),
          a: [...accounts].map(([addr, a]) => [addr, a.lamports.toString(), a.owner, a.executable ? 1 : 0, a.rentEpoch.toString(), Buffer.from(a.data).toString('base64')]),
        });
        const acknowledge = (): void => {
          for (const r of records) {
            this.history.addTx(r);
            this.queued.delete(r.signature);
          }
          outcomes.forEach((o, i) => {
            if (o.kind === 'committed') items[i]!.resolve(o.rec.signature);
          });
          const commit: Commit = { block, records, accounts };
          for (const fn of this.slotListeners) fn(block);
          for (const fn of this.commitListeners) fn(commit);
        };
        if (!this.journal) {
          acknowledge();
          return;
        }
        // Acknowledgements stay in batch order: each waits for the previous one and its own fsync.
        const durable = this.journal.sync();
        this.acknowledged = Promise.all([this.acknowledged, durable]).then(acknowledge, (e: Error) => {
          for (const r of records) this.queued.delete(r.signature);
          for (const [i, o] of outcomes.entries()) if (o.kind === 'committed') items[i]!.reject(e);
        });
      }
    } finally {
      this.draining = false;
      // One batch per turn of the event loop: fsync completions (acknowledgements) and new
      // requests are handled between batches.
      if (this.queue.length) this.scheduleDrain();
    }
  }

  private scheduleDrain(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      this.drain();
    });
  }

  /** Sends `lamports` from the faucet to `to` as a real transfer transaction. */
  airdrop(to: string, lamports: number): Promise<string> {
    const tx = new Transaction({ feePayer: this.faucet.publicKey, recentBlockhash: this.latest.blockhash }).add(
      SystemProgram.transfer({ fromPubkey: this.faucet.publicKey, toPubkey: new PublicKey(to), lamports }),
    );
    tx.sign(this.faucet);
    return this.submit(tx.serialize(), true);
  }

  /** Executes a transaction without committing it (`simulateTransaction`). */
  simulate(bytes: Uint8Array, opts: { sigVerify: boolean; replaceRecentBlockhash: boolean }): SimulationResult {
    const tx = parseTransaction(bytes);
    const resolved = this.accountKeys(tx);
    const keys = resolved?.keys ?? tx.staticKeys;
    const pre = keys.map((k) => this.engine.getAccount(k));
    const base = { keys, fee: messageFee(tx), preBalances: pre.map((a) => Number(a?.lamports ?? 0n)) };
    const empty = { logs: [], unitsConsumed: 0, returnData: null, innerInstructions: [], post: new Map(), postBalances: base.preBalances, ...base };
    if (!resolved) return { err: namedError('AddressLookupTableNotFound').json, ...empty };
    if (!opts.replaceRecentBlockhash && !this.isBlockhashValid(tx.recentBlockhash) && !this.isNonceTransaction(tx)) {
      return { err: namedError('BlockhashNotFound').json, ...empty };
    }
    const r = this.engine.simulate(bytes, tx.version, opts.sigVerify);
    const meta = r.ok ? r.meta : r.failed.meta();
    const json = this.metaOf(meta, r.ok ? null : transactionError(r.failed).json, base.fee, pre, pre, { writable: [], readonly: [] });
    const post = r.ok ? r.post : new Map<string, AccountState>();
    return {
      err: json.err,
      logs: json.logMessages,
      unitsConsumed: json.computeUnitsConsumed,
      returnData: json.returnData ?? null,
      innerInstructions: json.innerInstructions,
      post,
      postBalances: keys.map((k, i) => Number(post.get(k)?.lamports ?? pre[i]?.lamports ?? 0n)),
      ...base,
    };
  }

  /** Decodes a base58 or base64 transaction parameter. */
  static decodeWire(text: string, encoding: 'base58' | 'base64'): Uint8Array {
    if (encoding === 'base58') {
      try {
        return fromBase58(text);
      } catch {
        throw new InvalidParamsError('invalid base58 encoding: InvalidCharacter');
      }
    }
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text)) throw new InvalidParamsError('invalid base64 encoding: InvalidByte');
    return Buffer.from(text, 'base64');
  }
}
