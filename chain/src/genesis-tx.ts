/**
 * Genesis transactions without web3.js's JS signing: messages are compiled once (by web3.js, or as
 * raw bytes for the loader's `Write`s) and signed with node:crypto's ed25519 (OpenSSL), then sent
 * to the SVM as wire bytes — the same transactions, executed and signature-checked by LiteSVM, at
 * a fraction of the cost (web3.js's `sign` + `serialize` took ~15 ms a transaction).
 */
import { createPrivateKey, type KeyObject, sign } from 'node:crypto';
import { type Keypair, PublicKey, SystemProgram, Transaction, type TransactionInstruction } from '@solana/web3.js';
import { LOADER_BUFFER_HEADER, LOADER_PROGRAM_ACCOUNT_SIZE, UPGRADEABLE_LOADER_ID, loaderInstructions, programDataAddress } from '@spicetime/sdk';
import { fromBase58 } from './base58.ts';
import type { Engine } from './engine.ts';
import { ChainConfigError } from './errors.ts';

/** A validator's largest transaction. */
const PACKET_DATA_SIZE = 1232;
/** Wire bytes of a `Write` transaction besides its chunk (signature, message, instruction header). */
const WRITE_OVERHEAD = 1 + 64 + 3 + 1 + 3 * 32 + 32 + 1 + 1 + 1 + 2 + 2 + 16;
/** Bytes of program written per `Write`: the most that fits one transaction (1,012). */
export const WRITE_CHUNK = PACKET_DATA_SIZE - WRITE_OVERHEAD;

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const keyObjects = new WeakMap<Keypair, KeyObject>();
const keyObject = (kp: Keypair): KeyObject => {
  let k = keyObjects.get(kp);
  if (!k) {
    k = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, Buffer.from(kp.secretKey.subarray(0, 32))]), format: 'der', type: 'pkcs8' });
    keyObjects.set(kp, k);
  }
  return k;
};

/** Sends signed transactions into an engine as genesis does: the payer signs first. */
export class GenesisSender {
  /** Transactions sent so far. */
  count = 0;
  constructor(
    readonly engine: Engine,
    readonly payer: Keypair,
  ) {}

  private blockhash(): Uint8Array {
    return fromBase58(this.engine.svm.latestBlockhash());
  }

  /** Signs a compiled legacy message with `signers` (in the message's signer order) and executes it. */
  sendMessage(message: Uint8Array, signers: Keypair[]): void {
    const wire = Buffer.alloc(1 + 64 * signers.length + message.length);
    wire[0] = signers.length; // < 128: one byte of compact-u16
    signers.forEach((s, i) => sign(null, message, keyObject(s)).copy(wire, 1 + 64 * i));
    Buffer.from(message.buffer, message.byteOffset, message.byteLength).copy(wire, 1 + 64 * signers.length);
    if (wire.length > PACKET_DATA_SIZE) throw new ChainConfigError(`genesis transaction of ${wire.length} bytes exceeds ${PACKET_DATA_SIZE}`);
    const r = this.engine.send(wire, 'legacy');
    this.count++;
    if ('err' in r) throw new ChainConfigError(`genesis transaction failed: ${String(r.err())}\n${r.meta().logs().join('\n')}`);
  }

  /** Compiles `ixs` into one transaction paid by the payer, signs it with the payer and `signers`, and executes it. */
  send(ixs: TransactionInstruction[], signers: Keypair[] = []): void {
    const tx = new Transaction({ feePayer: this.payer.publicKey, recentBlockhash: new PublicKey(this.blockhash()).toBase58() }).add(...ixs);
    const message = tx.compileMessage();
    const all = [this.payer, ...signers];
    const ordered = message.accountKeys.slice(0, message.header.numRequiredSignatures).map((k) => {
      const s = all.find((x) => x.publicKey.equals(k));
      if (!s) throw new ChainConfigError(`genesis transaction needs a signature of ${k.toBase58()}`);
      return s;
    });
    this.sendMessage(message.serialize(), ordered);
  }

  /**
   * Deploys an SBPF program through the BPF upgradeable loader as `solana program deploy` does:
   * `InitializeBuffer`, a `Write` per 1,012-byte chunk (each a full-size transaction), then
   * `DeployWithMaxDataLen` (which runs the runtime's ELF checks and verifier). The payer is the
   * upgrade authority. The program is callable from the next slot.
   */
  deployUpgradeable(program: Keypair, buffer: Keypair, elf: Uint8Array, maxDataLen = elf.length * 2): PublicKey {
    const authority = this.payer.publicKey;
    const rent = (bytes: number): number => Number(this.engine.rentExempt(bytes));
    this.send(
      [
        SystemProgram.createAccount({ fromPubkey: authority, newAccountPubkey: buffer.publicKey, lamports: rent(LOADER_BUFFER_HEADER + elf.length), space: LOADER_BUFFER_HEADER + elf.length, programId: UPGRADEABLE_LOADER_ID }),
        loaderInstructions.initializeBuffer(buffer.publicKey, authority),
      ],
      [buffer],
    );
    // Each Write is one message template (keys: authority — fee payer, signer —, buffer, loader),
    // patched per chunk and signed without web3.js: the instruction data is the SDK's.
    const head = Buffer.concat([Buffer.from([1, 0, 1, 3]), authority.toBuffer(), buffer.publicKey.toBuffer(), UPGRADEABLE_LOADER_ID.toBuffer()]);
    for (let offset = 0; offset < elf.length; offset += WRITE_CHUNK) {
      const { data } = loaderInstructions.write(buffer.publicKey, authority, offset, elf.subarray(offset, offset + WRITE_CHUNK));
      const ix = Buffer.concat([Buffer.from([1, 2, 2, 1, 0]), shortVec(data.length), data]);
      this.sendMessage(Buffer.concat([head, this.blockhash(), ix]), [this.payer]);
    }
    const programData = programDataAddress(program.publicKey);
    this.send(
      [
        SystemProgram.createAccount({ fromPubkey: authority, newAccountPubkey: program.publicKey, lamports: rent(LOADER_PROGRAM_ACCOUNT_SIZE), space: LOADER_PROGRAM_ACCOUNT_SIZE, programId: UPGRADEABLE_LOADER_ID }),
        loaderInstructions.deployWithMaxDataLen({ program: program.publicKey, buffer: buffer.publicKey, authority, maxDataLen }),
      ],
      [program],
    );
    if (!this.engine.getAccount(program.publicKey.toBase58())?.executable) throw new ChainConfigError(`deployment of ${program.publicKey.toBase58()} left no program account`);
    return programData;
  }
}

/** Solana's compact-u16. */
function shortVec(n: number): Buffer {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if (n === 0) {
      out.push(b);
      return Buffer.from(out);
    }
    out.push(b | 0x80);
  }
}
