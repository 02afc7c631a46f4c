/**
 * The SVM the chain runs on: LiteSVM 1.5 through its raw byte-level API (the same native object the
 * kit-typed `LiteSVM` wraps), so the hot path passes wire bytes and 32-byte keys without re-encoding.
 */
import { Account, Clock, LiteSVM, type FailedTransactionMetadata, type TransactionMetadata } from 'litesvm';
import { fromBase58, toBase58 } from './base58.ts';

/** An account as the chain stores and serves it. */
export interface AccountState {
  lamports: bigint;
  data: Uint8Array;
  owner: string;
  executable: boolean;
  rentEpoch: bigint;
}

interface RawAccount {
  lamports(): bigint;
  data(): Uint8Array;
  owner(): Uint8Array;
  executable(): boolean;
  rentEpoch(): bigint;
}
interface RawSimulated {
  meta(): TransactionMetadata;
  postAccounts(): { address: Uint8Array; account(): RawAccount }[];
}
interface RawSvm {
  getAccount(pubkey: Uint8Array): RawAccount | null;
  setAccount(pubkey: Uint8Array, account: Account): void;
  getProgramAccounts(programId: Uint8Array): { address: Uint8Array; account(): RawAccount }[];
  sendLegacyTransaction(bytes: Uint8Array): TransactionMetadata | FailedTransactionMetadata;
  sendVersionedTransaction(bytes: Uint8Array): TransactionMetadata | FailedTransactionMetadata;
  simulateLegacyTransaction(bytes: Uint8Array): RawSimulated | FailedTransactionMetadata;
  simulateVersionedTransaction(bytes: Uint8Array): RawSimulated | FailedTransactionMetadata;
  setSigverify(on: boolean): void;
  getBalance(pubkey: Uint8Array): bigint | null;
  setSlotHashes(hashes: { slot: bigint; hash: string }[]): void;
}


const ownerText = toBase58;
/** The owner of every sysvar account. */
export const SYSVAR_OWNER = 'Sysvar1111111111111111111111111111111111111';
const CACHE_LIMIT = 100_000;

/**
 * An account read from the SVM. `data` is copied out of the native account only when first read:
 * the transaction pipeline reads every key's lamports but rarely a program's (large) ELF.
 */
class RawAccountState implements AccountState {
  readonly lamports: bigint;
  readonly owner: string;
  readonly executable: boolean;
  readonly rentEpoch: bigint;
  private raw: RawAccount | null;
  private bytes: Uint8Array | null = null;
  constructor(raw: RawAccount) {
    this.raw = raw;
    this.lamports = raw.lamports();
    this.owner = ownerText(raw.owner());
    this.executable = raw.executable();
    this.rentEpoch = raw.rentEpoch();
  }
  get data(): Uint8Array {
    if (this.bytes === null) {
      this.bytes = this.raw!.data();
      this.raw = null;
    }
    return this.bytes;
  }
}

const fromRaw = (raw: RawAccount): AccountState => new RawAccountState(raw);

/** A simulation's outcome: metadata and, on success, every account's post state. */
export type SimulationOutcome = { ok: true; meta: TransactionMetadata; post: Map<string, AccountState> } | { ok: false; failed: FailedTransactionMetadata };

/** LiteSVM behind the calls the chain makes. */
export class Engine {
  readonly raw: RawSvm;
  /**
   * Account states read since they last changed (see {@link Engine.cacheAccounts}); null when
   * caching is off. A transaction can only change the accounts its message marks writable, so
   * {@link Engine.send} forgets exactly those; sysvars (which the clock moves) are never cached.
   */
  private cache: Map<string, AccountState | null> | null = null;

  constructor(readonly svm: LiteSVM) {
    this.raw = (svm as unknown as { inner: RawSvm }).inner;
  }

  /**
   * Turns on the account cache: from now on every change to the SVM's accounts must go through
   * this object ({@link Engine.send} with its writable keys, {@link Engine.setAccount}), not `svm`.
   */
  cacheAccounts(): void {
    this.cache = new Map();
  }

  /** A fresh SVM as the chain configures it: the chain checks blockhashes itself, no LiteSVM history. */
  static fresh(): Engine {
    return new Engine(new LiteSVM().withLamports(500_000_000n * 1_000_000_000n).withBlockhashCheck(false).withTransactionHistory(0n));
  }

  /** Restores an SVM from {@link Engine.toBytes}. */
  static fromBytes(bytes: Uint8Array): Engine {
    return new Engine(LiteSVM.fromBytes(bytes));
  }

  /** The whole SVM state (accounts, sysvars, settings). */
  toBytes(): Uint8Array {
    return this.svm.toBytes();
  }

  /** An account, or null when it does not exist. */
  getAccount(address: string): AccountState | null {
    const cache = this.cache;
    if (cache) {
      const hit = cache.get(address);
      if (hit !== undefined) return hit;
    }
    const raw = this.raw.getAccount(fromBase58(address));
    const a = raw ? fromRaw(raw) : null;
    if (cache && a?.owner !== SYSVAR_OWNER) {
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(address, a);
    }
    return a;
  }

  /** Writes an account (or, with zero lamports, empties it). */
  setAccount(address: string, a: AccountState): void {
    this.cache?.delete(address);
    this.raw.setAccount(fromBase58(address), new Account(a.lamports, a.data, fromBase58(a.owner), a.executable, a.rentEpoch));
  }

  /** Every account owned by `program`. */
  programAccounts(program: string): { pubkey: string; account: AccountState }[] {
    return this.raw.getProgramAccounts(fromBase58(program)).map((x) => ({ pubkey: toBase58(x.address), account: fromRaw(x.account()) }));
  }

  /**
   * Executes wire bytes and commits the outcome (including a failed transaction's fee).
   * `writable` (the message's writable keys, static and loaded) are the only accounts it can
   * change; without it the whole account cache is dropped.
   */
  send(bytes: Uint8Array, version: 'legacy' | 0, writable?: readonly string[]): TransactionMetadata | FailedTransactionMetadata {
    try {
      return version === 'legacy' ? this.raw.sendLegacyTransaction(bytes) : this.raw.sendVersionedTransaction(bytes);
    } finally {
      if (this.cache) {
        if (writable) for (const k of writable) this.cache.delete(k);
        else this.cache.clear();
      }
    }
  }

  /** Executes wire bytes without committing anything. */
  simulate(bytes: Uint8Array, version: 'legacy' | 0, sigVerify: boolean): SimulationOutcome {
    if (!sigVerify) this.raw.setSigverify(false);
    try {
      const r = version === 'legacy' ? this.raw.simulateLegacyTransaction(bytes) : this.raw.simulateVersionedTransaction(bytes);
      if ('err' in r) return { ok: false, failed: r };
      const post = new Map<string, AccountState>();
      for (const x of r.postAccounts()) post.set(toBase58(x.address), fromRaw(x.account()));
      return { ok: true, meta: r.meta(), post };
    } finally {
      if (!sigVerify) this.raw.setSigverify(true);
    }
  }

  /**
   * Moves the SVM's own blockhash on, once per block. The chain's blockhashes are its own; this
   * one only feeds durable nonces, which the chain derives from it (see `Chain.settleNonces`).
   */
  nextBlockhash(): void {
    this.svm.expireBlockhash();
  }

  /** Sets the SlotHashes sysvar (newest first). */
  setSlotHashes(entries: { slot: bigint; hash: string }[]): void {
    this.raw.setSlotHashes(entries);
  }

  /** Sets the Clock sysvar. */
  setClock(slot: bigint, epoch: bigint, epochStartTimestamp: bigint, unixTimestamp: bigint): void {
    this.svm.setClock(new Clock(slot, epochStartTimestamp, epoch, epoch + 1n, unixTimestamp));
  }

  /** Lamports for rent exemption of `bytes` of data. */
  rentExempt(bytes: number): bigint {
    return this.svm.minimumBalanceForRentExemption(BigInt(bytes));
  }
}
