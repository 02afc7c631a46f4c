import type { Provider, Wallet } from '@coral-xyz/anchor';
import { address, getBase58Decoder, getTransactionDecoder } from '@solana/kit';
import {
  type AccountInfo,
  type Connection,
  Keypair,
  PublicKey,
  type Signer,
  Transaction,
  VersionedTransaction,
} from '@solana/web3.js';
import { FailedTransactionMetadata, type LiteSVM, type TransactionMetadata } from 'litesvm';

/** A transaction LiteSVM rejected; `logs` lets Anchor turn it into an `AnchorError`. */
export class LiteSvmTransactionError extends Error {
  readonly code = 'TRANSACTION_FAILED';
  constructor(
    message: string,
    readonly logs: string[],
  ) {
    super(message);
    this.name = 'LiteSvmTransactionError';
  }
}

/** What the last successful transaction did. */
export interface TransactionOutcome {
  signature: string;
  logs: string[];
  computeUnits: bigint;
}

const toAccountInfo = (svm: LiteSVM, key: PublicKey): AccountInfo<Buffer> | null => {
  const a = svm.getAccount(address(key.toBase58()));
  if (!a.exists) return null;
  return {
    data: Buffer.from(a.data),
    owner: new PublicKey(a.programAddress),
    lamports: Number(a.lamports),
    executable: a.executable,
    rentEpoch: 0,
  };
};

/**
 * An Anchor `Provider` over an in-process LiteSVM 1.5, for fast tests: `Program.methods…rpc()`,
 * `account.fetch()` and errors as `AnchorError` work as against a validator. Each transaction
 * gets a fresh blockhash, so identical transactions can be sent twice.
 */
/** Token accounts of both token programs; an account's mint is its first 32 bytes, its amount the u64 at 64. */
const TOKEN_PROGRAMS = ['TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA', 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb'];

/** `getTokenLargestAccounts` as a validator answers it: the 20 largest accounts of `mint`, by a scan. */
function largestTokenAccounts(svm: LiteSVM, mint: PublicKey) {
  const mintBytes = mint.toBuffer();
  const held = TOKEN_PROGRAMS.flatMap((program) => svm.getProgramAccounts(address(program)))
    .filter((a) => a.data.length >= 165 && Buffer.from(a.data.subarray(0, 32)).equals(mintBytes))
    .map((a) => ({ address: new PublicKey(a.address), amount: Buffer.from(a.data.subarray(64, 72)).readBigUInt64LE() }))
    .sort((x, y) => (x.amount < y.amount ? 1 : x.amount > y.amount ? -1 : 0))
    .slice(0, 20);
  return held.map((a) => ({ address: a.address, amount: a.amount.toString(), decimals: 0, uiAmount: null, uiAmountString: a.amount.toString() }));
}

const genesisHashes = new WeakMap<LiteSVM, string>();
/** LiteSVM has no genesis: an SVM's first blockhash asked for stands in for it, the same for every provider over it. */
function genesisHashOf(svm: LiteSVM): string {
  if (!genesisHashes.has(svm)) genesisHashes.set(svm, svm.latestBlockhash());
  return genesisHashes.get(svm)!;
}

export class LiteSvmProvider implements Provider {
  readonly connection: Connection;
  readonly publicKey: PublicKey;
  /** The outcome of the last successful transaction (logs, compute units). */
  last: TransactionOutcome | null = null;

  constructor(
    readonly svm: LiteSVM,
    readonly wallet: Wallet,
  ) {
    this.publicKey = wallet.publicKey;
    const connection = {
      getAccountInfo: async (key: PublicKey) => toAccountInfo(svm, key),
      getAccountInfoAndContext: async (key: PublicKey) => ({
        context: { slot: Number(svm.getClock().slot) },
        value: toAccountInfo(svm, key),
      }),
      getMultipleAccountsInfo: async (keys: PublicKey[]) => keys.map((k) => toAccountInfo(svm, k)),
      getMultipleAccountsInfoAndContext: async (keys: PublicKey[]) => ({ context: { slot: Number(svm.getClock().slot) }, value: keys.map((k) => toAccountInfo(svm, k)) }),
      getMinimumBalanceForRentExemption: async (bytes: number) => Number(svm.minimumBalanceForRentExemption(BigInt(bytes))),
      getLatestBlockhash: async () => ({ blockhash: svm.latestBlockhash(), lastValidBlockHeight: 0 }),
      getGenesisHash: async () => genesisHashOf(svm),
      getTokenLargestAccounts: async (mint: PublicKey) => ({ context: { slot: Number(svm.getClock().slot) }, value: largestTokenAccounts(svm, mint) }),
    };
    this.connection = connection as unknown as Connection;
  }

  /** A provider with a freshly funded keypair as its wallet. */
  static withFundedWallet(svm: LiteSVM, lamports = 100_000_000_000n): LiteSvmProvider {
    const payer = Keypair.generate();
    svm.airdrop(address(payer.publicKey.toBase58()), lamports as never);
    return new LiteSvmProvider(svm, walletOf(payer));
  }

  /** Anchor's entry point for `.rpc()`: signs, sends, and returns the signature (base58). */
  async sendAndConfirm(tx: Transaction | VersionedTransaction, signers: Signer[] = []): Promise<string> {
    return this.execute(tx, signers).signature;
  }

  /** Signs (wallet first), sends and returns the outcome; throws {@link LiteSvmTransactionError}. */
  execute(tx: Transaction | VersionedTransaction, signers: Signer[] = []): TransactionOutcome {
    const blockhash = this.svm.latestBlockhash();
    let wire: Uint8Array;
    if (tx instanceof VersionedTransaction) {
      tx.message.recentBlockhash = blockhash;
      tx.sign([...signers, (this.wallet as Wallet & { payer: Keypair }).payer]);
      wire = tx.serialize();
    } else {
      tx.feePayer ??= this.publicKey;
      tx.recentBlockhash = blockhash;
      tx.sign((this.wallet as Wallet & { payer: Keypair }).payer, ...signers);
      wire = tx.serialize();
    }
    const result = this.svm.sendTransaction(getTransactionDecoder().decode(wire));
    this.svm.expireBlockhash();
    if (result instanceof FailedTransactionMetadata) {
      const logs = result.meta().logs();
      throw new LiteSvmTransactionError(`transaction failed: ${String(result.err())}\n${logs.join('\n')}`, logs);
    }
    this.last = outcome(result);
    return this.last;
  }
}

const outcome = (meta: TransactionMetadata): TransactionOutcome => ({
  signature: getBase58Decoder().decode(meta.signature()),
  logs: meta.logs(),
  computeUnits: meta.computeUnitsConsumed(),
});

/** An Anchor `Wallet` for a keypair. */
export function walletOf(payer: Keypair): Wallet {
  return {
    payer,
    publicKey: payer.publicKey,
    signTransaction: async <T extends Transaction | VersionedTransaction>(tx: T): Promise<T> => {
      if (tx instanceof VersionedTransaction) tx.sign([payer]);
      else tx.partialSign(payer);
      return tx;
    },
    signAllTransactions: async <T extends Transaction | VersionedTransaction>(txs: T[]): Promise<T[]> => {
      for (const tx of txs) {
        if (tx instanceof VersionedTransaction) tx.sign([payer]);
        else tx.partialSign(payer);
      }
      return txs;
    },
  };
}
