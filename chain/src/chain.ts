/**
 * The chain: LiteSVM plus what a validator adds around it — slots and blocks on a timer and per
 * group commit, blockhashes that expire, a transaction pipeline with preflight, group-committed
 * durability (a block is fsynced before any client hears about it), history, and notifications.
 */
import { createHash } from 'node:crypto';
import { Keypair, PublicKey, SystemProgram, Transaction } from '@solana/web3.js';
import type { FailedTransactionMetadata, TransactionMetadata } from 'litesvm';
import { fromBase58, toBase58 } from './base58.ts';
import { type AccountState, Engine } from './engine.ts';
import { epochOf } from './epoch.ts';
import { InternalError, InvalidParamsError, SignatureVerificationError, TransactionSimulationError } from './errors.ts';
import { messageFee } from './fees.ts';
import { type Block, History, type MetaJson, type TxRecord } from './history.ts';
import { Journal, type JournalLine, readSnapshot, writeSnapshot } from './journal.ts';
import { advancedNonce, durableNonceOf, nonceHolds, nonceSetTo, storedNonce, SYSTEM_PROGRAM } from './nonce.ts';
import { lookedUp, usableAddresses } from './lookup-table.ts';
import { SLOT_HASHES_SYSVAR, SlotHashes } from './slot-hashes.ts';
import { readMint, readTokenBalance, tokenKind, type UiTokenAmount, uiTokenAmount } from './token.ts';
import { namedError, type TransactionErrorInfo, type TransactionErrorJson, transactionError } from './tx-errors.ts';
import { isWritableIndex, parseTransaction, type WireTransaction } from './wire.ts';

/** Blocks a blockhash stays valid for (agave's MAX_PROCESSING_AGE). */
export const MAX_PROCESSING_AGE = 150;
/**
 * Transactions one drain executes before yielding to the event loop: half the queue, at least 16,
 * at most 2,048 — so a deep queue (in-process callers) lets fsyncs and replies interleave.
 */
const MIN_CHUNK = 16;
const MAX_CHUNK = 2048;
/**
 * A block of at most this many transactions, with no fsync running, is fsynced on the main thread
 * at once (no thread hand-off, no event-loop turn: the lowest latency when the chain is not busy);
 * bigger blocks get a background fsync while the next block executes.
 */
const INLINE_FSYNC_MAX = 4;

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

/** A block made durable: the block, its transactions and the accounts they wrote. */
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
  /** Its blockhash was not recent: it is valid only while its durable nonce holds (checked when it executes). */
  nonce: boolean;
  resolve: (sig: string) => void;
  reject: (e: Error) => void;
}

/** Transactions executed in the working slot, not yet sealed into a block. */
interface OpenBlock {
  records: TxRecord[];
  /** The submitters of `records`, in the same order. */
  waiting: Pending[];
  /** Each written account's state after its last writer. */
  written: Map<string, AccountState | null>;
}

/** A sealed block not yet published (in history, answered, notified). */
interface Unpublished {
  block: Block;
  /** Journal size after its line: it is published once an fsync covered that (0: at once). */
  end: number;
  commit: Commit | null;
  waiting: Pending[];
}

type Outcome = { kind: 'committed'; rec: TxRecord } | { kind: 'rejected'; error: Error } | { kind: 'dropped' };

const now = (): number => Math.floor(Date.now() / 1000);

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
  private readonly slotHashes = new SlotHashes();
  private readonly decimals = new Map<string, number>();
  private readonly tokenEntries = new WeakMap<AccountState, { mint: string; owner: string; programId: string; uiTokenAmount: UiTokenAmount } | null>();
  private readonly queue: Pending[] = [];
  private readonly queued = new Set<string>();
  private draining = false;
  private drainScheduled = false;
  /** Transactions executed but not sealed yet (while a background fsync runs). */
  private open: OpenBlock | null = null;
  /** Sealed blocks waiting for their fsync, oldest first (published in this order). */
  private readonly unpublished: Unpublished[] = [];
  /** The newest sealed block (history's last block, or a newer one awaiting its fsync). */
  private tip: Block | null = null;
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
    if (journal) journal.onDurable = (err) => this.publishDurable(err);
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
    chain.history.addBlock(chain.addBlock(0, time, []));
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
          this.history.addBlock(this.addBlock(0, entry.time as number, []));
          this.working = 1;
          break;
        case 's':
          if (afterSnapshot) this.engine.nextBlockhash();
          this.working = entry.slot as number;
          this.history.addBlock(this.addBlock(entry.slot as number, entry.time as number, []));
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
          this.history.addBlock(this.addBlock(slot, time, recs.map((r) => r.signature)));
          this.working = slot + 1;
          if (afterSnapshot) {
            this.engine.nextBlockhash();
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
    while (this.draining || this.queue.length || this.open || this.unpublished.length) {
      this.closeBlock();
      await new Promise((r) => setTimeout(r, 5));
    }
    if (this.journal?.failed) {
      this.journal.close();
    } else if (this.journal) {
      await this.journal.sync();
      await this.snapshot();
      this.journal.close();
    }
  }

  /** Writes a snapshot of the SVM if the journal grew since the last one. */
  async snapshot(): Promise<void> {
    if (!this.journal || this.journal.failed || (this.journal.size === this.snapshotOffset && this.snapshotOffset !== 0)) return;
    while (this.snapshotting) await this.snapshotting;
    // The SVM holds the open block's effects: its line must be in the journal the snapshot follows.
    this.closeBlock();
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

  /** Listens to published (durable) blocks of transactions. Returns an unsubscribe function. */
  onCommit(fn: (c: Commit) => void): () => void {
    this.commitListeners.add(fn);
    return () => this.commitListeners.delete(fn);
  }

  /** Listens to published blocks (timer ticks and blocks of transactions). */
  onSlot(fn: (b: Block) => void): () => void {
    this.slotListeners.add(fn);
    return () => this.slotListeners.delete(fn);
  }

  // ---- slots, blocks, time ----

  /** The latest published block (durable, in history). */
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

  /** Makes the block after the tip (its blockhash usable at once); history gets it when published. */
  private addBlock(slot: number, time: number, signatures: string[]): Block {
    const prev = this.tip;
    const block: Block = {
      slot,
      parentSlot: prev ? prev.slot : 0,
      blockHeight: prev ? prev.blockHeight + 1 : 0,
      blockTime: time,
      blockhash: this.blockhashOf(slot),
      previousBlockhash: prev ? prev.blockhash : this.genesisHash,
      signatures,
    };
    this.tip = block;
    this.recentBlockhashes.set(block.blockhash, { height: block.blockHeight, time: Date.now() });
    this.slotHashes.add(block.slot, block.blockhash);
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
    this.engine.nextBlockhash();
    this.working++;
    this.updateClock();
    return block;
  }

  /** A slot-time passed: the open block is sealed, or else an empty block is made. */
  private tick(): void {
    if (this.closed || this.journal?.failed) return;
    if (this.open) return this.closeBlock();
    this.emptyBlock();
    this.journal?.flush();
  }

  /** Seals an empty block: journaled, and published like any block once an fsync (the caller's) covers it. */
  private emptyBlock(): void {
    const block = this.seal([]);
    const end = this.journal?.append({ t: 's', slot: block.slot, time: block.blockTime }) ?? 0;
    this.publish({ block, end, commit: null, waiting: [] });
  }

  /** Whether a blockhash is recent enough: within 150 blocks, or 150 slot-times old at most. */
  isBlockhashValid(blockhash: string): boolean {
    const seen = this.recentBlockhashes.get(blockhash);
    if (!seen) return false;
    return this.tip!.blockHeight - seen.height <= MAX_PROCESSING_AGE || Date.now() - seen.time <= MAX_PROCESSING_AGE * this.options.slotMs;
  }

  /** The epoch facts of the current slot. */
  epochInfo(): { epoch: bigint; slotIndex: bigint; slotsInEpoch: bigint } {
    return epochOf(this.engine.svm.getEpochSchedule(), BigInt(this.latest.slot));
  }

  /** Jumps the working slot forward (the slots between are skipped); persisted. */
  warpToSlot(slot: number): void {
    this.checkWritable();
    if (!Number.isSafeInteger(slot) || slot <= this.tip!.slot) throw new InvalidParamsError(`Invalid param: slot must be greater than the current slot ${this.tip!.slot}`);
    this.closeBlock();
    this.working = slot;
    this.journal?.append({ t: 'w', slot });
    this.emptyBlock();
    // Answered once durable (and so published): a crash never takes back a warp a caller saw.
    this.journal?.flushSync();
  }

  /** Throws once a failed fsync stopped the chain taking writes (see `stopWrites`). */
  private checkWritable(): void {
    if (this.journal?.failed) throw journalFailure(this.journal.failed);
  }

  /** Moves chain time forward by `seconds` (the Clock sysvar follows); persisted. */
  advanceTime(seconds: number): void {
    this.checkWritable();
    if (!Number.isSafeInteger(seconds) || seconds < 0) throw new InvalidParamsError('Invalid param: seconds must be a non-negative integer');
    this.closeBlock();
    this.timeOffset += seconds;
    this.journal?.append({ t: 'time', offset: this.timeOffset });
    this.journal?.flushSync(); // answered once durable
    this.updateClock();
  }

  // ---- accounts ----

  /** An account, or null. */
  account(address: string): AccountState | null {
    if (address === SLOT_HASHES_SYSVAR) this.slotHashes.writeFor([address], false, this.engine);
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

  /** The durable nonce an advance stores in the working slot (from the SVM's blockhash, see `Engine.nextBlockhash`). */
  private nextDurableNonce(): string {
    return durableNonceOf(this.engine.svm.latestBlockhash());
  }

  /**
   * Sets every durable nonce a transaction stored — and, after a failed durable-nonce transaction,
   * the nonce it used (index `used`; LiteSVM leaves that one) — to the working block's nonce.
   * LiteSVM derives a stored nonce from the transaction's own blockhash, so each nonce would follow
   * from the one before, predictable and free of any block; a validator derives it from the bank's
   * blockhash, which the SVM's blockhash stands for here (moved on per block, see `seal`).
   */
  private settleNonces(keys: string[], writable: boolean[], pre: (AccountState | null)[], used: number): void {
    const next = this.nextDurableNonce();
    for (let i = 0; i < keys.length; i++) {
      if (!writable[i]) continue;
      const a = this.engine.getAccount(keys[i]!);
      const stored = a ? storedNonce(a) : null;
      if (stored === null || stored === next) continue;
      if (i === used || stored !== (pre[i] ? storedNonce(pre[i]!) : null)) this.engine.setAccount(keys[i]!, nonceSetTo(a!, next));
    }
  }

  /**
   * Resolves a message's keys: static, then loaded writable, then loaded readonly. Throws a
   * validator's invalid-transaction error (-32602) when a lookup fails (`lookup-table.ts`).
   */
  private accountKeys(tx: WireTransaction): { keys: string[]; loaded: { writable: string[]; readonly: string[] } } {
    const loaded = { writable: [] as string[], readonly: [] as string[] };
    for (const l of tx.lookups) {
      const usable = usableAddresses(this.account(l.accountKey), this.working, (slot) => this.slotHashes.has(slot));
      loaded.writable.push(...lookedUp(usable, l.writableIndexes));
      loaded.readonly.push(...lookedUp(usable, l.readonlyIndexes));
    }
    return { keys: [...tx.staticKeys, ...loaded.writable, ...loaded.readonly], loaded };
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
    if (p.nonce && !nonceHolds(tx, (k) => this.account(k), this.nextDurableNonce())) return p.preflight ? { kind: 'rejected', error: simulationFailure(namedError('BlockhashNotFound'), []) } : { kind: 'dropped' };
    let resolved: ReturnType<Chain['accountKeys']>;
    try {
      resolved = this.accountKeys(tx);
    } catch (e) {
      // A table changed since `submit` checked it.
      return p.preflight ? { kind: 'rejected', error: e as Error } : { kind: 'dropped' };
    }
    const { keys, loaded } = resolved;
    this.slotHashes.writeFor(keys, tx.lookups.length > 0, this.engine);
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
        // Refused at preflight: what a failed transaction changes does not stay (the fee, a durable nonce's advance).
        const nonce = advancedNonce(tx);
        for (const i of nonce ? [0, nonce.index] : [0]) if (pre[i]) this.engine.setAccount(keys[i]!, pre[i]!);
        return { kind: 'rejected', error: simulationFailure(err, meta.logs(), Number(meta.computeUnitsConsumed())) };
      }
    } else {
      meta = result as TransactionMetadata;
    }
    if (keys.includes(SYSTEM_PROGRAM)) this.settleNonces(keys, writable, pre, err && p.nonce ? advancedNonce(tx)!.index : -1);
    const post = keys.map((k, i) => {
      if (!writable[i]) return pre[i]!;
      const a = this.engine.getAccount(k);
      // The block's journal line takes each written account's state after its last writer.
      written.delete(k);
      written.set(k, a);
      return a;
    });
    const rec: TxRecord = {
      signature: tx.signature,
      slot: this.working,
      blockTime: 0, // the block's, when sealed
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
    if (this.journal?.failed) return Promise.reject(journalFailure(this.journal.failed));
    const tx = parseTransaction(bytes);
    if (this.history.txs.has(tx.signature) || this.queued.has(tx.signature)) {
      if (preflight) return Promise.reject(simulationFailure(namedError('AlreadyProcessed'), []));
      return Promise.resolve(tx.signature);
    }
    if (tx.lookups.length) {
      // A validator's RPC resolves the tables before it looks at skipPreflight.
      try {
        this.accountKeys(tx);
      } catch (e) {
        return Promise.reject(e as Error);
      }
    }
    const nonce = !this.isBlockhashValid(tx.recentBlockhash);
    if (nonce && !advancedNonce(tx)) {
      if (preflight) return Promise.reject(simulationFailure(namedError('BlockhashNotFound'), []));
      return Promise.resolve(tx.signature);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ tx, preflight, nonce, resolve, reject });
      this.queued.add(tx.signature);
      this.scheduleDrain();
    });
  }

  /**
   * The pipeline. A drain executes queued transactions into the open block (the working slot).
   * When no fsync is running the block is sealed at once: its journal line is appended and
   * fsynced — on the main thread for a small block (nothing to overlap with; no thread hand-off),
   * in the background for a bigger one, while the next transactions execute into a new open block
   * that is sealed when that fsync ends (group commit: one block, journal line and fsync for
   * everything that arrived meanwhile). A block is published — history, signatures to their
   * senders, notifications — only once an fsync covering its line is done, in block order; until
   * then its signatures stay in `queued`, so a resend is still a duplicate.
   */
  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    try {
      const items = this.queue.splice(0, Math.min(MAX_CHUNK, Math.max(MIN_CHUNK, Math.ceil(this.queue.length / 2))));
      for (const p of items) {
        let o: Outcome;
        try {
          o = this.execute(p, (this.open ??= { records: [], waiting: [], written: new Map() }).written);
        } catch (e) {
          o = { kind: 'rejected', error: e as Error };
        }
        if (o.kind === 'committed') {
          this.open!.records.push(o.rec);
          this.open!.waiting.push(p);
          continue;
        }
        this.queued.delete(p.tx.signature);
        if (o.kind === 'rejected') p.reject(o.error);
        else p.resolve(p.tx.signature);
      }
      if (this.open && !this.open.records.length) this.open = null;
      if (!this.journal?.syncing) this.closeBlock();
    } finally {
      this.draining = false;
      if (this.queue.length) this.scheduleDrain();
    }
  }

  /** Seals the open block, journals it and starts (or does) the fsync that publishes it. */
  private closeBlock(): void {
    const open = this.open;
    if (!open) return;
    this.open = null;
    const { records, waiting, written } = open;
    const accounts = new Map<string, AccountState>();
    for (const [k, a] of written) {
      accounts.set(k, a ?? { lamports: 0n, data: new Uint8Array(), owner: SystemProgram.programId.toBase58(), executable: false, rentEpoch: 0n });
    }
    const block = this.seal(records.map((r) => r.signature));
    for (const r of records) r.blockTime = block.blockTime;
    const end =
      this.journal?.append({
        t: 'b',
        slot: block.slot,
        time: block.blockTime,
        txs: records.map((r) => ({ s: r.signature, w: r.wire, v: r.version, k: r.keys, m: r.meta })),
        a: [...accounts].map(([addr, a]) => [addr, a.lamports.toString(), a.owner, a.executable ? 1 : 0, a.rentEpoch.toString(), Buffer.from(a.data).toString('base64')]),
      }) ?? 0;
    this.publish({ block, end, commit: { block, records, accounts }, waiting });
    if (!this.journal) return;
    if (records.length <= INLINE_FSYNC_MAX && !this.journal.syncing) this.journal.flushSync();
    else this.journal.flush();
  }

  /** Queues a sealed block for publication and publishes what is durable. */
  private publish(u: Unpublished): void {
    this.unpublished.push(u);
    if (this.unpublished.length === 1) this.publishDurable(null);
  }

  /**
   * Publishes, in order, the sealed blocks whose journal lines an fsync has covered (a failed
   * fsync stops writes instead: `stopWrites`). Then seals the open block, if any.
   */
  private publishDurable(err: Error | null): void {
    if (err) return this.stopWrites(err);
    const durable = this.journal?.durable ?? Infinity;
    while (this.unpublished.length) {
      const u = this.unpublished[0]!;
      if (u.end > durable) break;
      this.unpublished.shift();
      this.history.addBlock(u.block);
      if (u.commit) {
        for (const r of u.commit.records) {
          this.history.addTx(r);
          this.queued.delete(r.signature);
        }
        for (const p of u.waiting) p.resolve(p.tx.signature);
      }
      for (const fn of this.slotListeners) fn(u.block);
      if (u.commit) for (const fn of this.commitListeners) fn(u.commit);
    }
    if (this.open && !this.draining && !this.journal?.syncing) this.closeBlock();
  }

  /**
   * A failed fsync stops the chain taking writes: whether the journal lines it was to cover are on
   * disk is unknown, so every transaction not yet published — sealed, open or queued — gets an
   * error saying so, nothing more is published or snapshotted, and later submissions are refused.
   * Reads go on; a restart recovers from what the journal holds.
   */
  private stopWrites(err: Error): void {
    const error = journalFailure(err);
    const waiting = [...this.unpublished.flatMap((u) => u.waiting), ...(this.open?.waiting ?? []), ...this.queue.splice(0)];
    this.unpublished.length = 0;
    this.open = null;
    for (const p of waiting) {
      this.queued.delete(p.tx.signature);
      p.reject(error);
    }
  }

  private scheduleDrain(): void {
    if (this.drainScheduled || this.draining) return;
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
    const { keys } = this.accountKeys(tx);
    const pre = keys.map((k) => this.engine.getAccount(k));
    const base = { keys, fee: messageFee(tx), preBalances: pre.map((a) => Number(a?.lamports ?? 0n)) };
    const empty = { logs: [], unitsConsumed: 0, returnData: null, innerInstructions: [], post: new Map(), postBalances: base.preBalances, ...base };
    this.slotHashes.writeFor(keys, tx.lookups.length > 0, this.engine);
    if (!opts.replaceRecentBlockhash && !this.isBlockhashValid(tx.recentBlockhash) && !nonceHolds(tx, (k) => this.account(k), this.nextDurableNonce())) {
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

/** The error a client gets once the journal failed: its transaction may or may not have landed. */
function journalFailure(err: Error): InternalError {
  return new InternalError(`the chain's journal failed (${err.message}): transactions not yet confirmed may or may not have landed, and no more are taken; restart the chain`);
}
