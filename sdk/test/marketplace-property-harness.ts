/**
 * A fast path to the marketplace program for the property test, the compute-unit test and the
 * benchmark: instructions encoded straight from the committed IDL (account order, writable and
 * signer flags, discriminators), transactions compiled once and signed with Node's native
 * Ed25519, sent to the same LiteSVM the fixture uses. No account is fetched to build a
 * transaction: the caller knows every address. Failures throw {@link LiteSvmTransactionError}
 * with the logs, as the SDK's provider does.
 */
import { createPrivateKey, sign as nodeSign, type KeyObject } from 'node:crypto';
import { BorshCoder, type Idl } from '@coral-xyz/anchor';
import { getBase58Encoder } from '@solana/kit';
import { Ed25519Program, type Keypair, PublicKey, TransactionInstruction } from '@solana/web3.js';
import { FailedTransactionMetadata, type LiteSVM, type TransactionMetadata } from 'litesvm';
import { PROGRAM_IDS, marketplaceIdl } from '../src/index.ts';
import { LiteSvmTransactionError } from '../src/litesvm/index.ts';

interface IdlAccountItem {
  name: string;
  writable?: boolean;
  signer?: boolean;
  optional?: boolean;
  address?: string;
}
interface IdlInstruction {
  name: string;
  discriminator: number[];
  accounts: IdlAccountItem[];
}

const INSTRUCTIONS = new Map((marketplaceIdl as unknown as { instructions: IdlInstruction[] }).instructions.map((i) => [i.name, i]));

const pinnedKeys = new Map<string, PublicKey>();
const pinned = (a: string): PublicKey => {
  let k = pinnedKeys.get(a);
  if (!k) pinnedKeys.set(a, (k = new PublicKey(a)));
  return k;
};

/**
 * A marketplace instruction: `accounts` by their program names (snake_case); accounts the IDL pins
 * to an address may be left out; an absent optional account (`null`) is passed as the program id.
 */
export function marketIx(name: string, accounts: Record<string, PublicKey | null | undefined>, args: Buffer = Buffer.alloc(0)): TransactionInstruction {
  const ix = INSTRUCTIONS.get(name);
  if (!ix) throw new Error(`no marketplace instruction ${name}`);
  const known = new Set(ix.accounts.map((a) => a.name));
  for (const k of Object.keys(accounts)) if (!known.has(k)) throw new Error(`${name} has no account ${k}`);
  const keys = ix.accounts.map((a) => {
    const given = accounts[a.name];
    if (given === null || (given === undefined && a.optional)) {
      if (!a.optional) throw new Error(`${name}.${a.name} is not optional`);
      return { pubkey: PROGRAM_IDS.marketplace, isSigner: false, isWritable: false };
    }
    const pubkey = given ?? (a.address ? pinned(a.address) : undefined);
    if (!pubkey) throw new Error(`${name}.${a.name} is missing`);
    return { pubkey, isSigner: !!a.signer, isWritable: !!a.writable };
  });
  return new TransactionInstruction({ programId: PROGRAM_IDS.marketplace, keys, data: Buffer.concat([Buffer.from(ix.discriminator), args]) });
}

/** Borsh argument encoders. */
export const enc = {
  u8: (v: number) => Buffer.from([v]),
  bool: (v: boolean) => Buffer.from([v ? 1 : 0]),
  u64: (v: bigint | number) => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    return b;
  },
  bytes: (v: Uint8Array) => Buffer.from(v),
  str: (v: string) => {
    const s = Buffer.from(v);
    const len = Buffer.alloc(4);
    len.writeUInt32LE(s.length);
    return Buffer.concat([len, s]);
  },
};

/** `job_create`'s arguments, Borsh-encoded: the genome's versions and scales padded to four with zeros. */
export function jobCreateArgs(a: {
  jobId: bigint | number;
  provider?: PublicKey | null;
  requestHash: Uint8Array;
  maxTokens: bigint | number;
  maxPrice: bigint | number;
  layers: { version: number; scaleBps: number }[];
  requestCid: string;
}): Buffer {
  const choices = [0, 1, 2, 3].map((i) => {
    const b = Buffer.alloc(6);
    b.writeUInt32LE(a.layers[i]?.version ?? 0);
    b.writeUInt16LE(a.layers[i]?.scaleBps ?? 0, 4);
    return b;
  });
  return Buffer.concat([enc.u64(a.jobId), a.provider ? a.provider.toBuffer() : Buffer.alloc(32), Buffer.from(a.requestHash), enc.u64(a.maxTokens), enc.u64(a.maxPrice), ...choices, enc.str(a.requestCid)]);
}

const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');
const keyObjects = new WeakMap<Keypair, KeyObject>();

/** An Ed25519 signature by `keypair` with Node's native implementation (same bytes as tweetnacl's). */
export function signWith(keypair: Keypair, message: Uint8Array): Buffer {
  let key = keyObjects.get(keypair);
  if (!key) {
    key = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, Buffer.from(keypair.secretKey.subarray(0, 32))]), format: 'der', type: 'pkcs8' });
    keyObjects.set(keypair, key);
  }
  return nodeSign(null, message, key);
}

/** The Ed25519 program's verification of `signer`'s signature over `message`. */
export function ed25519Ix(signer: Keypair, message: Uint8Array): TransactionInstruction {
  return Ed25519Program.createInstructionWithPublicKey({ publicKey: signer.publicKey.toBytes(), message, signature: signWith(signer, message) });
}

const shortvec = (n: number): number[] => {
  const out: number[] = [];
  let v = n;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if (v === 0) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
};

/** What a sent transaction did. */
export interface Sent {
  logs: string[];
  /** Compute units of the whole transaction. */
  computeUnits: bigint;
  /** Signatures the transaction carried (the fee is 5,000 lamports each). */
  signatures: number;
}

const keyBytes = new WeakMap<PublicKey, Buffer>();
/** A public key's 32 bytes, cached per `PublicKey` object (web3.js recomputes them from a BN each time). */
export function bytesOf(key: PublicKey): Buffer {
  let b = keyBytes.get(key);
  if (!b) {
    b = key.toBuffer();
    keyBytes.set(key, b);
  }
  return b;
}

const base58 = getBase58Encoder();

const names = new WeakMap<PublicKey, string>();
/** A public key's base58, cached per `PublicKey` object. */
export function b58(key: PublicKey): string {
  let s = names.get(key);
  if (!s) {
    s = key.toBase58();
    names.set(key, s);
  }
  return s;
}

interface InternalSvm {
  sendLegacyTransaction(wire: Uint8Array): TransactionMetadata | FailedTransactionMetadata;
  getAccount(address: Uint8Array): { lamports(): bigint; data(): Uint8Array; owner(): Uint8Array } | null;
  getBalance(address: Uint8Array): bigint | null;
  latestBlockhash(): string;
  expireBlockhash(): void;
}

/**
 * LiteSVM's native object behind its `@solana/kit` wrapper. The wrapper re-encodes every
 * transaction and base58-converts every address; the tests send tens of thousands of
 * transactions and read hundreds of thousands of accounts, so they call the same engine directly
 * with bytes. Same engine, same semantics: only the JavaScript conversions are skipped.
 */
export function nativeSvm(svm: LiteSVM): InternalSvm {
  const inner = (svm as unknown as { inner?: InternalSvm }).inner;
  if (!inner || typeof inner.sendLegacyTransaction !== 'function') throw new Error('this LiteSVM version has no native sendLegacyTransaction');
  return inner;
}

/**
 * Compiles a legacy message from `instructions` (payer first, then writable signers, read-only
 * signers, writable and read-only accounts), signs it (Node's native Ed25519) and sends it to
 * `svm`; a fresh blockhash for each, as the SDK's LiteSVM provider does. Throws
 * {@link LiteSvmTransactionError} on failure.
 */
export function sendFast(svm: LiteSVM, instructions: TransactionInstruction[], payer: Keypair, signers: Keypair[] = []): Sent {
  const native = nativeSvm(svm);
  type Meta = { key: Buffer; signer: boolean; writable: boolean; order: number };
  const metas = new Map<string, Meta>();
  let order = 0;
  const add = (key: Buffer, signer: boolean, writable: boolean) => {
    const id = key.toString('latin1');
    const m = metas.get(id);
    if (m) {
      m.signer ||= signer;
      m.writable ||= writable;
    } else metas.set(id, { key, signer, writable, order: order++ });
  };
  add(bytesOf(payer.publicKey), true, true);
  for (const ix of instructions) {
    for (const k of ix.keys) add(bytesOf(k.pubkey), k.isSigner, k.isWritable);
    add(bytesOf(ix.programId), false, false);
  }
  const rank = (m: Meta) => (m.order === 0 ? 0 : m.signer ? (m.writable ? 1 : 2) : m.writable ? 3 : 4);
  const keys = [...metas.values()].sort((a, b) => rank(a) - rank(b) || a.order - b.order);
  const index = new Map(keys.map((m, i) => [m.key.toString('latin1'), i]));
  const required = keys.filter((m) => m.signer).length;
  const readonlySigned = keys.filter((m) => m.signer && !m.writable).length;
  const readonlyUnsigned = keys.filter((m) => !m.signer && !m.writable).length;
  const parts: (Buffer | number[])[] = [[required, readonlySigned, readonlyUnsigned], shortvec(keys.length), ...keys.map((m) => m.key)];
  parts.push(Buffer.from(base58.encode(native.latestBlockhash())), shortvec(instructions.length));
  for (const ix of instructions) {
    parts.push([index.get(bytesOf(ix.programId).toString('latin1'))!], shortvec(ix.keys.length), ix.keys.map((k) => index.get(bytesOf(k.pubkey).toString('latin1'))!));
    parts.push(shortvec(ix.data.length), ix.data);
  }
  const message = Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p))));
  const byKey = new Map([payer, ...signers].map((k) => [bytesOf(k.publicKey).toString('latin1'), k]));
  const sigs: Buffer[] = [];
  for (let i = 0; i < required; i++) {
    const kp = byKey.get(keys[i]!.key.toString('latin1'));
    if (!kp) throw new Error(`no signer for ${new PublicKey(keys[i]!.key).toBase58()}`);
    sigs.push(signWith(kp, message));
  }
  const result = native.sendLegacyTransaction(Buffer.concat([Buffer.from(shortvec(required)), ...sigs, message]));
  native.expireBlockhash();
  if (result instanceof FailedTransactionMetadata) {
    const logs = result.meta().logs();
    throw new LiteSvmTransactionError(`transaction failed: ${String(result.err())}\n${logs.join('\n')}`, logs);
  }
  return { logs: result.logs(), computeUnits: result.computeUnitsConsumed(), signatures: required };
}

/** The custom error code a failed transaction's logs report (`custom program error: 0x…`), if any. */
export function errorCode(e: unknown): number | undefined {
  if (!(e instanceof LiteSvmTransactionError)) throw e;
  for (const l of e.logs) {
    const m = /custom program error: 0x([0-9a-f]+)/.exec(l);
    if (m) return parseInt(m[1]!, 16);
  }
  return undefined;
}

const INVOKE = /^Program ([1-9A-HJ-NP-Za-km-z]+) invoke \[(\d+)\]$/;
const EXIT = /^Program ([1-9A-HJ-NP-Za-km-z]+) (success|failed)/;
const CONSUMED = /^Program ([1-9A-HJ-NP-Za-km-z]+) consumed (\d+) of/;
const DATA = 'Program data: ';

/** Decodes the events `programId` emitted (also inside CPIs), with one cached coder. */
export class EventReader {
  private readonly coder: BorshCoder;
  private readonly id: string;
  constructor(idl: Idl, programId: PublicKey) {
    this.coder = new BorshCoder(idl);
    this.id = programId.toBase58();
  }
  read(logs: string[]): { name: string; data: Record<string, unknown> }[] {
    const stack: string[] = [];
    const out: { name: string; data: Record<string, unknown> }[] = [];
    for (const log of logs) {
      const invoked = INVOKE.exec(log);
      if (invoked) stack.push(invoked[1]!);
      else if (EXIT.test(log)) stack.pop();
      else if (log.startsWith(DATA) && stack.at(-1) === this.id) {
        const e = this.coder.events.decode(log.slice(DATA.length));
        if (e) out.push({ name: e.name, data: e.data as Record<string, unknown> });
      }
    }
    return out;
  }
  /** The one event named `name` (throws when there is not exactly one). */
  one(logs: string[], name: string): Record<string, unknown> {
    const all = this.read(logs).filter((e) => e.name === name);
    if (all.length !== 1) throw new Error(`expected one ${name} event, found ${all.length}`);
    return all[0]!.data;
  }
}

/** One program invocation in a transaction's logs, with the units it consumed (its CPIs included). */
export interface Invocation {
  program: string;
  depth: number;
  units: number;
  /** Its first `Program log:` line (the token program names its instruction there). */
  label: string;
  /** Its `Program data:` lines (events), base64. */
  data: string[];
  children: Invocation[];
}

/** The invocation tree of a transaction's logs. */
export function invocations(logs: string[]): Invocation[] {
  const roots: Invocation[] = [];
  const stack: Invocation[] = [];
  for (const log of logs) {
    const invoked = INVOKE.exec(log);
    if (invoked) {
      const node: Invocation = { program: invoked[1]!, depth: Number(invoked[2]), units: 0, label: '', data: [], children: [] };
      (stack.at(-1)?.children ?? roots).push(node);
      stack.push(node);
      continue;
    }
    if (log.startsWith('Program data: ') && stack.length) stack.at(-1)!.data.push(log.slice('Program data: '.length));
    if (log.startsWith('Program log: ') && stack.length && !stack.at(-1)!.label) stack.at(-1)!.label = log.slice('Program log: '.length).replace(/^Instruction: /, '');
    const consumed = CONSUMED.exec(log);
    if (consumed && stack.at(-1)?.program === consumed[1]) stack.at(-1)!.units = Number(consumed[2]);
    if (EXIT.test(log)) stack.pop();
  }
  return roots;
}

/** Compute units the marketplace program consumed at invoke depth 1 (its CPIs included); fails unless it ran exactly once. */
export function marketplaceUnits(logs: string[]): number {
  const runs = invocations(logs).filter((i) => i.program === PROGRAM_IDS.marketplace.toBase58());
  if (runs.length !== 1) throw new Error(`the marketplace program ran ${runs.length} times at depth 1`);
  return runs[0]!.units;
}

const BPS = 10_000n;

/** The least a job that used tokens at a non-zero rate pays (`MIN_JOB_PRICE` in `split.rs`). */
export const MIN_JOB_PRICE = 2n;

const ceilBps = (amount: bigint, bps: number) => (amount * BigInt(bps) + BPS - 1n) / BPS;
const least = (a: bigint, b: bigint) => (a < b ? a : b);

/**
 * How the program splits a settled job's escrow (`programs/marketplace/src/split.rs`), in
 * TypeScript: the price rounded up and at least {@link MIN_JOB_PRICE} unless zero (never above the
 * escrow), burn and fee rounded up, each layer's royalty (accrued to it) down, the reward at most
 * burn + fee.
 */
export function splitOf(escrow: bigint, tokens: bigint, rate: bigint, r: { burnBps: number; feeBps: number; royaltyBps: number[]; rewardBps: number }) {
  const exact = (tokens * rate + 999n) / 1000n;
  const price = least(exact === 0n ? 0n : exact > MIN_JOB_PRICE ? exact : MIN_JOB_PRICE, escrow);
  const refund = escrow - price;
  const burn = least(ceilBps(price, r.burnBps), price);
  const fee = least(ceilBps(price, r.feeBps), price - burn);
  const afterProtocol = price - burn - fee;
  // Each layer's royalty; shared pro rata (rounded down, the dust to the provider) when they ask
  // more than the burn and fee leave.
  let royalties = r.royaltyBps.map((bps) => (price * BigInt(bps)) / BPS);
  const wanted = royalties.reduce((a, b) => a + b, 0n);
  if (wanted > afterProtocol) royalties = royalties.map((x) => (x * afterProtocol) / wanted);
  const royalty = royalties.reduce((a, b) => a + b, 0n);
  const provider = afterProtocol - royalty;
  const reward = least((price * BigInt(r.rewardBps)) / BPS, burn + fee);
  return { price, burn, fee, royalties, royalty, provider, refund, reward };
}

export { Random } from './random.ts';

/** The `amount` of an SPL token account's raw data (bytes 64-72). */
export function tokenAmount(data: Uint8Array): bigint {
  return Buffer.from(data.buffer, data.byteOffset + 64, 8).readBigUInt64LE();
}

/** The `supply` of an SPL mint's raw data (bytes 36-44). */
export function mintSupply(data: Uint8Array): bigint {
  return Buffer.from(data.buffer, data.byteOffset + 36, 8).readBigUInt64LE();
}
