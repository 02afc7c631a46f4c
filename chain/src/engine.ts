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
}


const ownerText = toBase58;

/**
 * An account read from the SVM. `data` is copied out of the native account only when first read:
 * the transaction pipeline reads every key's lamports but rarely a program's (large) ELF.
 */
const fromRaw = (raw: RawAccount): AccountState => {
  let data: Uint8Array | undefined;
  return {
    lamports: raw.lamports(),
    get data(): Uint8Array {
      return (data ??= raw.data());
    },
    set data(v: Uint8Array) {
      data = v;
    },
    owner: ownerText(raw.owner()),
    executable: raw.executable(),
    rentEpoch: raw.rentEpoch(),
  };
};

/** A simulation's outcome: metadata and, on success, every account's post state. */
export type SimulationOutcome = { ok: true; meta: TransactionMetadata; post: Map<string, AccountState> } | { ok: false; failed: FailedTransactionMetadata };

/** LiteSVM behind the calls the chain makes. */
export class Engine {
  readonly raw: RawSvm;
  constructor(readonly svm: LiteSVM) {
    this.raw = (svm as unknown as { inner: RawSvm }).inner;
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
    const raw = this.raw.getAccount(fromBase58(address));
    return raw ? fromRaw(raw) : null;
  }

  /** Writes an account (or, with zero lamports, empties it). */
  setAccount(address: string, a: AccountState): void {
    this.raw.setAccount(fromBase58(address), new Account(a.lamports, a.data, fromBase58(a.owner), a.executable, a.rentEpoch));
  }

  /** Every account owned by `program`. */
  programAccounts(program: string): { pubkey: string; account: AccountState }[] {
    return this.raw.getProgramAccounts(fromBase58(program)).map((x) => ({ pubkey: toBase58(x.address), account: fromRaw(x.account()) }));
  }

  /** Executes wire bytes and commits the outcome (including a failed transaction's fee). */
  send(bytes: Uint8Array, version: 'legacy' | 0): TransactionMetadata | FailedTransactionMetadata {
    return version === 'legacy' ? this.raw.sendLegacyTransaction(bytes) : this.raw.sendVersionedTransaction(bytes);
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

  /** Sets the Clock sysvar. */
  setClock(slot: bigint, epoch: bigint, epochStartTimestamp: bigint, unixTimestamp: bigint): void {
    this.svm.setClock(new Clock(slot, epochStartTimestamp, epoch, epoch + 1n, unixTimestamp));
  }

  /** Lamports for rent exemption of `bytes` of data. */
  rentExempt(bytes: number): bigint {
    return this.svm.minimumBalanceForRentExemption(BigInt(bytes));
  }
}
