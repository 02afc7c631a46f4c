import { Ed25519Program, type Keypair, type PublicKey, type TransactionInstruction } from '@solana/web3.js';

/**
 * The messages a provider's node and a verifier sign, byte for byte as the marketplace program
 * rebuilds them to check the Ed25519 program's instruction (`programs/marketplace/src/messages.rs`).
 */
const RECEIPT_DOMAIN = Buffer.from('spicetime:receipt:v1');
const VERDICT_DOMAIN = Buffer.from('spicetime:verdict:v1');

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

/** `"spicetime:receipt:v1" ‖ job ‖ output_hash ‖ tokens_used (u64 LE) ‖ output_cid`. */
export function receiptMessage(job: PublicKey, receipt: Receipt): Buffer {
  const tokens = Buffer.alloc(8);
  tokens.writeBigUInt64LE(BigInt(receipt.tokensUsed));
  return Buffer.concat([RECEIPT_DOMAIN, job.toBuffer(), hash32(receipt.outputHash, 'outputHash'), tokens, Buffer.from(receipt.outputCid)]);
}

/** `"spicetime:verdict:v1" ‖ job ‖ upheld (1 byte) ‖ result_hash`. */
export function verdictMessage(job: PublicKey, upheld: boolean, resultHash: Uint8Array): Buffer {
  return Buffer.concat([VERDICT_DOMAIN, job.toBuffer(), Buffer.from([upheld ? 1 : 0]), hash32(resultHash, 'resultHash')]);
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
