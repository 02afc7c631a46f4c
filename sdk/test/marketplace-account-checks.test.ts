import { BN } from '@coral-xyz/anchor';
import { ASSOCIATED_TOKEN_PROGRAM_ID } from '@solana/spl-token';
import { getTransactionDecoder } from '@solana/kit';
import { Keypair, PublicKey, type Signer, Transaction, type TransactionInstruction, type VersionedTransaction } from '@solana/web3.js';
import { FailedTransactionMetadata } from 'litesvm';
import { beforeAll, describe, expect, it } from 'vitest';
import { MarketplaceClient, PROGRAM_IDS, marketplaceProgram, sha256 } from '../src/index.ts';
import { LiteSvmProvider, walletOf } from '../src/litesvm/index.ts';
import { MarketFixture, layerSpec } from './market-fixture.ts';
import { requestOf } from './marketplace-job-helpers.ts';

// Every account of every marketplace instruction, checked generically: starting from a transaction
// that succeeds, each signer made a non-signer, each writable account made read-only, and each
// account swapped for another existing account of the scenario must make it fail. An account whose
// swap goes unnoticed is one the program does not check.

/** A provider that records transactions instead of sending them. */
class CapturingProvider extends LiteSvmProvider {
  captured: { tx: Transaction; signers: Signer[] } | null = null;
  override async sendAndConfirm(tx: Transaction | VersionedTransaction, signers: Signer[] = []): Promise<string> {
    this.captured = { tx: tx as Transaction, signers };
    return 'captured';
  }
}

interface Scenario {
  /** The captured transaction (its marketplace instruction is last) and who may sign it. */
  tx: Transaction;
  keypairs: Keypair[];
}

let f: MarketFixture;
let payer: Keypair;

/** Runs `call` with a client whose wallet is `actor`, capturing the transaction it would send. */
async function capture(actor: Keypair, call: (m: MarketplaceClient) => Promise<unknown>, extra: Keypair[] = []): Promise<Scenario> {
  const provider = new CapturingProvider(f.provider.svm, walletOf(actor));
  await call(new MarketplaceClient(marketplaceProgram(provider), f.market.economy));
  const { tx, signers } = provider.captured!;
  // Idempotent account creations the SDK puts first (recipients' associated accounts) run for real
  // now, so the scenario is the marketplace instruction alone (with its Ed25519 verification).
  const creations = tx.instructions.filter((i) => i.programId.equals(ASSOCIATED_TOKEN_PROGRAM_ID));
  if (creations.length > 0) f.provider.execute(new Transaction().add(...creations), [actor]);
  const rest = new Transaction().add(...tx.instructions.filter((i) => !i.programId.equals(ASSOCIATED_TOKEN_PROGRAM_ID)));
  return { tx: rest, keypairs: [actor, ...extra, ...(signers as Keypair[])] };
}

/** Simulates `instructions` paid by a separate wallet, signed by whichever of `keypairs` it needs; null when it succeeds. */
function simulate(instructions: TransactionInstruction[], keypairs: Keypair[]): string | null {
  const tx = new Transaction().add(...instructions);
  tx.feePayer = payer.publicKey;
  tx.recentBlockhash = f.provider.svm.latestBlockhash();
  const message = tx.compileMessage();
  const required = message.accountKeys.slice(0, message.header.numRequiredSignatures);
  const signers = [payer, ...keypairs].filter((k, i, all) => required.some((r) => r.equals(k.publicKey)) && all.findIndex((o) => o.publicKey.equals(k.publicKey)) === i);
  tx.sign(...signers);
  const result = f.provider.svm.simulateTransaction(getTransactionDecoder().decode(tx.serialize()) as never);
  return result instanceof FailedTransactionMetadata ? `${String(result.err())} ${result.meta().logs().slice(-2).join(' | ')}` : null;
}

/** Every mutation of the scenario's marketplace instruction that the program must refuse, and whether each was refused. */
function mutations(s: Scenario): { what: string; refused: boolean }[] {
  const all = s.tx.instructions;
  const at = all.length - 1;
  const ix = all[at]!;
  expect(ix.programId.equals(PROGRAM_IDS.marketplace)).toBe(true);
  const others = [...new Set(all.flatMap((i) => i.keys.map((k) => k.pubkey.toBase58())))].map((k) => new PublicKey(k));
  const run = (keys: TransactionInstruction['keys']) => simulate([...all.slice(0, at), { ...ix, keys }], s.keypairs) !== null;
  const results: { what: string; refused: boolean }[] = [];
  ix.keys.forEach((k, i) => {
    const name = `#${i} ${k.pubkey.toBase58().slice(0, 6)}`;
    const swap = (pubkey: PublicKey) => ix.keys.map((o, j) => (j === i ? { ...o, pubkey } : o));
    if (k.isSigner) results.push({ what: `${name} not a signer`, refused: run(ix.keys.map((o, j) => (j === i ? { ...o, isSigner: false } : o))) });
    if (k.isWritable) results.push({ what: `${name} read-only`, refused: run(ix.keys.map((o, j) => (j === i ? { ...o, isWritable: false } : o))) });
    if (k.isSigner || k.pubkey.equals(PROGRAM_IDS.marketplace)) return; // a swapped signer cannot sign; an absent optional account is the program id
    for (const other of others) {
      if (other.equals(k.pubkey) || other.equals(PROGRAM_IDS.marketplace)) continue;
      results.push({ what: `${name} swapped for ${other.toBase58().slice(0, 6)}`, refused: run(swap(other)) });
    }
    results.push({ what: `${name} swapped for a fresh address`, refused: run(swap(Keypair.generate().publicKey)) });
  });
  return results;
}

function expectEveryMutationRefused(s: Scenario) {
  expect(simulate(s.tx.instructions, s.keypairs), 'the unmodified transaction succeeds').toBeNull();
  const accepted = mutations(s).filter((m) => !m.refused).map((m) => m.what);
  expect(accepted).toEqual([]);
}

describe('every account of every marketplace instruction is checked', () => {
  let creator: Awaited<ReturnType<MarketFixture['publishedLayer']>>;
  let provider: Awaited<ReturnType<MarketFixture['registeredProvider']>>;
  let client: ReturnType<MarketFixture['marketUser']>;
  let jobs = 0;

  beforeAll(async () => {
    f = await new MarketFixture().setup({ challengeWindow: new BN(60), slashAmount: new BN(1_000) });
    payer = f.user().keypair;
    creator = await f.publishedLayer({ pricePerThousand: 0n, royaltyBps: 500 });
    provider = await f.registeredProvider({ pricePerThousand: 1_000n });
    client = f.marketUser(1_000_000_000n);
  }, 120_000);

  const newJob = async () => (await client.market.createJob({ client: client.publicKey, jobId: ++jobs, request: requestOf([creator.layer], { prompt: `p${jobs}`, maxTokens: 1_000 }), maxPricePerThousand: 1_000 })).job;
  const claimed = async () => {
    const job = await newJob();
    await provider.market.jobClaim({ authority: provider.publicKey, job });
    return job;
  };
  const receipt = { outputHash: sha256('o'), tokensUsed: 500, outputCid: 'bafyout' };
  const submitted = async () => {
    const job = await claimed();
    await provider.market.submitReceipt({ job, nodeKey: provider.nodeKey, receipt });
    return job;
  };

  it('market_update', async () => {
    const admin = (f.provider.wallet as unknown as { payer: Keypair }).payer;
    const params = (await f.market.fetchMarket())!.params;
    expectEveryMutationRefused(await capture(admin, (m) => m.marketUpdate({ admin: admin.publicKey, params })));
  });

  it('layer_publish', async () => {
    const mint = Keypair.generate();
    expectEveryMutationRefused(await capture(creator.creator.keypair, (m) => m.publishLayer({ creator: creator.creator.publicKey, layer: layerSpec({ parent: creator.layer, parentShareBps: 100 }), mint }), [mint]));
  });

  it('layer_version_publish, layer_update, layer_retire', async () => {
    const who = creator.creator;
    expectEveryMutationRefused(await capture(who.keypair, (m) => m.layerVersionPublish({ holder: who.publicKey, layer: creator.layer, version: 2, uri: 'ipfs://bafyv2', sha256: sha256('v2'), size: 9 })));
    expectEveryMutationRefused(await capture(who.keypair, (m) => m.layerUpdate({ holder: who.publicKey, layer: creator.layer, pricePerThousand: 5 })));
    expectEveryMutationRefused(await capture(who.keypair, (m) => m.layerRetire({ holder: who.publicKey, layer: creator.layer })));
  });

  it('provider_register, verifier_register, provider_update, provider_heartbeat, provider_deregister', async () => {
    const u = f.marketUser();
    const source = f.fundUbc(u.publicKey, 1_000n * 10n ** 9n);
    await u.client.collateralDeposit({ provider: u.publicKey, source, amount: 1_000n * 10n ** 9n });
    const spec = { nodeKey: u.publicKey, pricePerThousand: new BN(1), endpoint: 'http://127.0.0.1:1', baseModels: 'qwen2-0.5b' };
    expectEveryMutationRefused(await capture(u.keypair, (m) => m.providerRegister({ authority: u.publicKey, spec })));
    expectEveryMutationRefused(await capture(u.keypair, (m) => m.verifierRegister({ authority: u.publicKey })));
    const p = provider;
    expectEveryMutationRefused(await capture(p.keypair, (m) => m.providerUpdate({ authority: p.publicKey, spec: { ...spec, nodeKey: p.nodeKey.publicKey } })));
    expectEveryMutationRefused(await capture(p.keypair, (m) => m.providerHeartbeat({ signer: p.publicKey, authority: p.publicKey })));
    expectEveryMutationRefused(await capture(p.keypair, (m) => m.providerDeregister({ authority: p.publicKey })));
  });

  it('job_create, job_cancel, job_claim', async () => {
    expectEveryMutationRefused(await capture(client.keypair, (m) => m.createJob({ client: client.publicKey, jobId: 999, request: requestOf([creator.layer], { prompt: 'x', maxTokens: 10 }), maxPricePerThousand: 1_000 })));
    const job = await newJob();
    expectEveryMutationRefused(await capture(client.keypair, (m) => m.jobCancel({ client: client.publicKey, job })));
    expectEveryMutationRefused(await capture(provider.keypair, (m) => m.jobClaim({ authority: provider.publicKey, job })));
  });

  it('job_receipt, job_expire', async () => {
    const job = await claimed();
    expectEveryMutationRefused(await capture(provider.keypair, (m) => m.submitReceipt({ job, nodeKey: provider.nodeKey, receipt })));
    f.warp(601);
    expectEveryMutationRefused(await capture(payer, (m) => m.jobExpire({ job })));
  });

  it('job_settle, job_rate, job_close', async () => {
    const job = await submitted();
    f.warp(61);
    expectEveryMutationRefused(await capture(payer, (m) => m.jobSettle({ job })));
    await client.market.jobSettle({ job });
    expectEveryMutationRefused(await capture(client.keypair, (m) => m.jobRate({ client: client.publicKey, job, rating: 5 })));
    expectEveryMutationRefused(await capture(client.keypair, (m) => m.jobClose({ client: client.publicKey, job })));
  });

  it('challenge_open, challenge_vote, challenge_resolve', async () => {
    const [v1, v2] = [await f.registeredVerifier(), await f.registeredVerifier()];
    const challenger = f.marketUser(1_000n);
    const job = await submitted();
    expectEveryMutationRefused(await capture(challenger.keypair, (m) => m.challengeOpen({ challenger: challenger.publicKey, job, bond: 10 })));
    await challenger.market.challengeOpen({ challenger: challenger.publicKey, job, bond: 10 });
    expectEveryMutationRefused(await capture(payer, (m) => m.challengeVote({ job, verifier: v1.keypair, upheld: true, resultHash: sha256('r') })));
    await f.market.challengeVote({ job, verifier: v1.keypair, upheld: true, resultHash: sha256('r') });
    await f.market.challengeVote({ job, verifier: v2.keypair, upheld: true, resultHash: sha256('r') });
    f.fundUbc(challenger.publicKey, 0n);
    expectEveryMutationRefused(await capture(payer, (m) => m.challengeResolve({ job })));
  });
});
