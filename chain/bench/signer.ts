/** Fast wire-transaction variants for the benchmark: one compiled message, amounts patched, signed with node:crypto. */
import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { type Keypair, type Transaction } from '@solana/web3.js';

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

/** An ed25519 private key object from a web3.js keypair. */
export const keyObject = (kp: Keypair): KeyObject => createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, Buffer.from(kp.secretKey.subarray(0, 32))]), format: 'der', type: 'pkcs8' });

/**
 * Variants of a single-signer transaction ending in a TransferChecked instruction: each variant
 * has a distinct amount, hence a distinct signature.
 */
export function variants(template: Transaction, signer: Keypair, count: number, firstAmount: bigint): Buffer[] {
  const message = template.serializeMessage();
  const wire = template.serialize({ requireAllSignatures: false, verifySignatures: false });
  const msgOffset = wire.length - message.length;
  // A legacy message ends with its last instruction's data; TransferChecked's is [12, amount u64, decimals].
  const amountAt = message.length - 9;
  const key = keyObject(signer);
  const out: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const m = Buffer.from(message);
    m.writeBigUInt64LE(firstAmount + BigInt(i), amountAt);
    const tx = Buffer.from(wire);
    m.copy(tx, msgOffset);
    sign(null, m, key).copy(tx, 1);
    out.push(tx);
  }
  return out;
}
