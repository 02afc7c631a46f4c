import { Ed25519Program, type Keypair, type PublicKey, type TransactionInstruction } from '@solana/web3.js';

/**
 * The messages a provider's node and a verifier sign, byte for byte as the marketplace program
 * rebuilds them to check the Ed25519 program's instruction (`programs/marketplace/src/messages.rs`).
 * Each names the cluster (the market's genesis hash) and the job instance (its address, which
 * repeats when a client re-uses a job id, and its serial, which never does); a receipt also names
 * the provider and a verdict the challenge's serial. A signature counts there and nowhere else.
 */
const RECEIPT_DOMAIN = Buffer.from('spicetime:receipt:v2');
const VERDICT_DOMAIN = Buffer.from('spicetime:verdict:v2');

/**
 * The market names a cluster (genesis hash) other than the one the connection is on: signing
 * there could make a signature that counts on that other cluster, so nothing is signed.
 */
export class ClusterMismatchError extends Error {
  override readonly name = 'ClusterMismatchError';
  readonly code = 'CLUSTER_MISMATCH';
  constructor(
    readonly market: PublicKey,
    readonly genesis: PublicKey,
  ) {
    super(`the market names cluster ${market.toBase58()} but this chain's genesis hash is ${genesis.toBase58()}: refusing to sign`);
  }
}

/** What a provider's node reports for a job. */
export interface Receipt {
  /** SHA-256 of the output (32 bytes). */
  outputHash: Uint8Array;
  tokensUsed: bigint | number;
  /** IPFS CID of the output (at most 64 characters; may be empty). */
  outputCid: string;
}

const hash32 = (bytes: Uint8Array, name: string): Buffer => {
  if (bytes.length !== 32) throw new RangeError(`${name} must be 32 bytes, got ${bytes.length}`);
  return Buffer.from(bytes);
};

const u64 = (n: bigint | number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};

/** One instance of a job, as signed messages name it. */
export interface JobInstance {
  /** The market's cluster: the genesis hash it was initialised with (`MarketAccount.cluster`; base58 as clusters show it). */
  cluster: PublicKey;
  job: PublicKey;
  /** The instance's serial (`JobAccount.serial`). */
  serial: bigint | number;
}

/** `"spicetime:receipt:v2" ‖ cluster ‖ job ‖ job_serial (u64 LE) ‖ provider ‖ output_hash ‖ tokens_used (u64 LE) ‖ output_cid`; `provider` is the wallet that claimed the job. */
export function receiptMessage(instance: JobInstance, provider: PublicKey, receipt: Receipt): Buffer {
  return Buffer.concat([
    RECEIPT_DOMAIN,
    instance.cluster.toBuffer(),
    instance.job.toBuffer(),
    u64(instance.serial),
    provider.toBuffer(),
    hash32(receipt.outputHash, 'outputHash'),
    u64(receipt.tokensUsed),
    Buffer.from(receipt.outputCid),
  ]);
}

/** What a verifier signs: its verdict on one challenge of one job instance. */
export interface Verdict {
  instance: JobInstance;
  /** The challenge's serial (`ChallengeAccount.serial`). */
  challengeSerial: bigint | number;
  /** Whether the receipt is wrong. */
  upheld: boolean;
  /** The verifier's own output hash (32 bytes). */
  resultHash: Uint8Array;
}

/** `"spicetime:verdict:v2" ‖ cluster ‖ job ‖ job_serial (u64 LE) ‖ challenge_serial (u64 LE) ‖ upheld (1 byte) ‖ result_hash`. */
export function verdictMessage(v: Verdict): Buffer {
  const i = v.instance;
  return Buffer.concat([
    VERDICT_DOMAIN,
    i.cluster.toBuffer(),
    i.job.toBuffer(),
    u64(i.serial),
    u64(v.challengeSerial),
    Buffer.from([v.upheld ? 1 : 0]),
    hash32(v.resultHash, 'resultHash'),
  ]);
}

/**
 * The Ed25519 program instruction verifying `signer`'s signature over `message`; it must come
 * right before the marketplace instruction that relies on it.
 */
export function ed25519Verification(signer: Keypair, message: Uint8Array): TransactionInstruction {
  return Ed25519Program.createInstructionWithPrivateKey({ privateKey: signer.secretKey, message });
}

/** The same, from a signature made elsewhere (a node's hardware key, a remote signer). */
export function ed25519VerificationOf(publicKey: PublicKey, message: Uint8Array, signature: Uint8Array): TransactionInstruction {
  return Ed25519Program.createInstructionWithPublicKey({ publicKey: publicKey.toBytes(), message, signature });
}
