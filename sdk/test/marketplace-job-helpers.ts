import {
  TOKEN_2022_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  createTransferCheckedInstruction,
  getAssociatedTokenAddressSync,
} from '@solana/spl-token';
import { address } from '@solana/kit';
import { type Keypair, PublicKey, type Signer, Transaction, type TransactionInstruction } from '@solana/web3.js';
import { expect } from 'vitest';
import { type JobRequest, PROGRAM_IDS, type Receipt, buildJobRequest, decodeEvents, marketplaceIdl, marketplacePda, sha256 } from '../src/index.ts';
import type { LiteSvmProvider } from '../src/litesvm/index.ts';
import { WHOLE } from './economy-fixture.ts';
import type { MarketFixture } from './market-fixture.ts';

/** A market user: a wallet with its own marketplace and economy clients. */
export type MarketUser = ReturnType<MarketFixture['marketUser']>;
/** A registered provider, with the node key its receipts are signed with. */
export type RegisteredProvider = Awaited<ReturnType<MarketFixture['registeredProvider']>>;
/** A published layer and its creator. */
export type PublishedLayer = Awaited<ReturnType<MarketFixture['publishedLayer']>>;
/** Anything that sends transactions through its own LiteSVM provider. */
export interface Sender {
  provider: LiteSvmProvider;
}

/** The fee LiteSVM charges per signature. */
export const TX_FEE = 5_000n;

/**
 * The job most tests run: a layer with a floor of 1,000,000 per 1k and a 10% royalty, a provider
 * at 2,000,000 per 1k, a client allowing 2,000 tokens at 2,500,000 per 1k (escrow 5,000,000), a
 * receipt of 1,500 tokens (price 3,000,000).
 */
export const JOB = {
  layerPrice: 1_000_000n,
  royaltyBps: 1_000,
  providerPrice: 2_000_000n,
  maxTokens: 2_000n,
  maxPrice: 2_500_000n,
  escrow: 5_000_000n,
  tokensUsed: 1_500n,
  clientCompute: 100n * WHOLE,
} as const;

/** A bigint from a BN, number or string. */
export const big = (v: unknown): bigint => BigInt(String(v));

/** A receipt of `tokensUsed` tokens. */
export const receiptOf = (tokensUsed: bigint | number = JOB.tokensUsed, outputCid = 'bafkreiarr'): Receipt => ({
  outputHash: sha256(`output of ${tokensUsed}`),
  tokensUsed,
  outputCid,
});

/** Lamports of an account (0 once closed). */
export const lamports = (f: MarketFixture, key: PublicKey): bigint => f.provider.svm.getBalance(address(key.toBase58())) ?? 0n;

/** Whether an account exists. */
export const exists = (f: MarketFixture, key: PublicKey): boolean => f.provider.svm.getAccount(address(key.toBase58())).exists;

/** A job's vault PDA. */
export const vaultOf = (job: PublicKey): PublicKey => marketplacePda.jobVault(job, PROGRAM_IDS.marketplace);

/** The challenge PDA of a job instance (`serial`). */
export const challengeOf = (job: PublicKey, serial: bigint): PublicKey => marketplacePda.challenge(job, serial, PROGRAM_IDS.marketplace);

/** `owner`'s associated $COMPUTE account (not created). */
export const computeAta = (f: MarketFixture, owner: PublicKey): PublicKey => getAssociatedTokenAddressSync(f.computeMint, owner, true, f.tokenProgram);

/** `owner`'s associated $UBC account (not created). */
export const ubcAta = (f: MarketFixture, owner: PublicKey): PublicKey => getAssociatedTokenAddressSync(f.ubcMint, owner, true, f.tokenProgram);

/** $UBC balance of `owner`'s associated account (0 when missing). */
export async function ubcOf(f: MarketFixture, owner: PublicKey): Promise<bigint> {
  const account = ubcAta(f, owner);
  return exists(f, account) ? f.balance(account, f.tokenProgram) : 0n;
}

/** $COMPUTE balance of any token account. */
export const tokenBalance = (f: MarketFixture, account: PublicKey): Promise<bigint> => f.balance(account, f.tokenProgram);

/** The marketplace events of `sender`'s last transaction. */
export const eventsOf = (f: MarketFixture, sender: Sender) => decodeEvents(f.market.program, sender.provider.last!.logs);

/** The one `name` event of `sender`'s last transaction. */
export function eventOf(f: MarketFixture, sender: Sender, name: string): Record<string, unknown> {
  const matching = eventsOf(f, sender).filter((e) => e.name === name);
  expect(matching.map((e) => e.name), `one ${name} event`).toEqual([name]);
  return matching[0]!.data;
}

/**
 * Plain values of a decoded account or event, for `toEqual`: keys as base58, integers (BN) as
 * bigint, byte arrays as number arrays, enums as `{ name: {} }`.
 */
export function plain(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string, unknown> & { toBase58?: () => string; toArrayLike?: unknown };
  if (typeof o.toBase58 === 'function') return o.toBase58();
  if (typeof o.toArrayLike === 'function') return BigInt(String(v));
  if (v instanceof Uint8Array || Array.isArray(v)) return Array.from(v as ArrayLike<unknown>, plain);
  return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, plain(x)]));
}

/** The job's layer and its creator: a fresh one unless given. */
async function layerFor(f: MarketFixture, layer?: PublishedLayer): Promise<PublishedLayer> {
  return layer ?? f.publishedLayer({ pricePerThousand: JOB.layerPrice, royaltyBps: JOB.royaltyBps });
}

export interface JobOptions {
  layer?: PublishedLayer;
  client?: MarketUser;
  jobId?: number;
  requested?: PublicKey;
  maxTokens?: bigint;
  maxPrice?: bigint;
  provider?: RegisteredProvider;
  receipt?: Receipt;
  prompt?: string;
}

/**
 * A request document running `layers` (each at version 1 and scale 1.0) over `qwen2-0.5b` unless
 * said, on `prompt`, for at most `maxTokens` tokens, with fixed sampling.
 */
export function requestOf(layers: PublicKey[], o: { prompt?: string; maxTokens?: bigint | number; baseModel?: string } = {}): JobRequest {
  return buildJobRequest({
    baseModel: o.baseModel ?? 'qwen2-0.5b',
    layers: layers.map((layer) => ({ layer, version: 1, scale: 10_000 })),
    input: o.prompt ?? 'Tell me a pirate story',
    sampling: { seed: 42, temperature: 0.7, topK: 40, topP: 0.9, repeatPenalty: 1.1, maxTokens: Number(o.maxTokens ?? JOB.maxTokens) },
  });
}

/** An open job of a fresh client (100 $COMPUTE) on a fresh layer unless given. */
export async function openJob(f: MarketFixture, o: JobOptions = {}) {
  const published = await layerFor(f, o.layer);
  const client = o.client ?? f.marketUser(JOB.clientCompute);
  const jobId = o.jobId ?? 1;
  const { job } = await client.market.createJob({
    client: client.publicKey,
    jobId,
    request: requestOf([published.layer], { maxTokens: o.maxTokens ?? JOB.maxTokens, prompt: o.prompt }),
    maxPricePerThousand: o.maxPrice ?? JOB.maxPrice,
    provider: o.requested,
  });
  const serial = big((await f.market.fetchJob(job))!.serial);
  return { ...published, published, client, job, jobId, serial, vault: vaultOf(job), challenge: challengeOf(job, serial) };
}

/** An open job claimed by a fresh provider at 2,000,000 per 1k unless given. */
export async function claimedJob(f: MarketFixture, o: JobOptions = {}) {
  const provider = o.provider ?? (await f.registeredProvider({ pricePerThousand: JOB.providerPrice }));
  const opened = await openJob(f, o);
  await provider.market.jobClaim({ authority: provider.publicKey, job: opened.job });
  return { ...opened, provider };
}

/** A claimed job with its receipt in (1,500 tokens unless given). */
export async function submittedJob(f: MarketFixture, o: JobOptions = {}) {
  const claimed = await claimedJob(f, o);
  const receipt = o.receipt ?? receiptOf();
  await claimed.provider.market.submitReceipt({ job: claimed.job, nodeKey: claimed.provider.nodeKey, receipt });
  return { ...claimed, receipt };
}

/** The settlement of a job by a fresh settler: the layer's royalty accrues on it. */
export async function settle(f: MarketFixture, job: PublicKey) {
  const settler = f.marketUser();
  await settler.market.jobSettle({ job });
  return settler;
}

/**
 * Runs an SDK call with `sender`'s provider recording the transaction instead of sending it, and
 * returns it and its extra signers.
 */
export async function capture(sender: Sender, call: () => Promise<unknown>): Promise<{ tx: Transaction; signers: Signer[] }> {
  const p = sender.provider as Omit<LiteSvmProvider, 'sendAndConfirm'> & { sendAndConfirm?: LiteSvmProvider['sendAndConfirm'] };
  let captured: { tx: Transaction; signers: Signer[] } | undefined;
  p.sendAndConfirm = async (tx: Transaction, signers: Signer[] = []) => {
    captured = { tx, signers };
    return 'captured';
  };
  try {
    await call();
  } finally {
    delete p.sendAndConfirm;
  }
  if (!captured) throw new Error('the call sent nothing');
  return captured;
}

const camel = (snake: string) => snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

interface IdlInstruction {
  name: string;
  discriminator: number[];
  accounts: { name: string }[];
}

/** The marketplace instruction `instruction` (camelCase) in `tx`, with its IDL entry. */
export function findInstruction(tx: Transaction, instruction: string): { ix: TransactionInstruction; idl: IdlInstruction } {
  const idl = (marketplaceIdl.instructions as unknown as IdlInstruction[]).find((i) => camel(i.name) === instruction);
  if (!idl) throw new Error(`no instruction ${instruction} in the IDL`);
  const ix = tx.instructions.find((i) => i.programId.equals(PROGRAM_IDS.marketplace) && Buffer.from(i.data.subarray(0, 8)).equals(Buffer.from(idl.discriminator)));
  if (!ix) throw new Error(`no ${instruction} instruction in the transaction`);
  return { ix, idl };
}

/** Replaces accounts of the marketplace instruction `instruction` in `tx`, by their IDL (camelCase) names. */
export function replaceAccounts(tx: Transaction, instruction: string, accounts: Record<string, PublicKey>): Transaction {
  const { ix, idl } = findInstruction(tx, instruction);
  for (const [name, key] of Object.entries(accounts)) {
    const index = idl.accounts.findIndex((a) => camel(a.name) === name);
    if (index < 0) throw new Error(`${instruction} has no account ${name}`);
    // The program's own id stands for an absent optional account, never writable.
    const absent = key.equals(PROGRAM_IDS.marketplace);
    ix.keys[index] = { ...ix.keys[index]!, pubkey: key, ...(absent ? { isWritable: false } : {}) };
  }
  return tx;
}

/**
 * Sends what an SDK call would, with some of the marketplace instruction's accounts replaced:
 * the way to pass a wrong account through the SDK's own account resolution.
 */
export async function sendWith(sender: Sender, call: () => Promise<unknown>, instruction: string, accounts: Record<string, PublicKey>): Promise<string> {
  const { tx, signers } = await capture(sender, call);
  replaceAccounts(tx, instruction, accounts);
  return sender.provider.sendAndConfirm(tx, signers);
}

/** Sends instructions as one transaction from `sender`. */
export const sendIxs = (sender: Sender, ixs: TransactionInstruction[], signers: Keypair[] = []) => sender.provider.sendAndConfirm(new Transaction().add(...ixs), signers);

/**
 * Moves a layer token (Token-2022, amount 1, decimals 0) from `from`'s associated account to
 * `to`'s, created first. Returns the new holding.
 */
export function transferLayerToken(from: MarketUser, mint: PublicKey, to: PublicKey): PublicKey {
  const source = getAssociatedTokenAddressSync(mint, from.publicKey, true, TOKEN_2022_PROGRAM_ID);
  const destination = getAssociatedTokenAddressSync(mint, to, true, TOKEN_2022_PROGRAM_ID);
  from.provider.execute(
    new Transaction().add(
      createAssociatedTokenAccountIdempotentInstruction(from.publicKey, destination, to, mint, TOKEN_2022_PROGRAM_ID),
      createTransferCheckedInstruction(source, mint, destination, from.publicKey, 1n, 0, [], TOKEN_2022_PROGRAM_ID),
    ),
  );
  return destination;
}

/** A fresh key nobody holds. */
export const nobody = (): PublicKey => PublicKey.unique();
