/**
 * {@link measureComputeUnits}: the compute units the marketplace program consumed (at invoke
 * depth 1, its CPIs included) in a representative run of every instruction, worst cases where
 * they differ: a settlement with every part non-zero and a parent layer, an upheld challenge with
 * a slash.
 */
import anchor from '@coral-xyz/anchor';
import { Keypair, type PublicKey } from '@solana/web3.js';
import { PROGRAM_IDS, decodeEvents, defaultMarketParams, sha256 } from '../src/index.ts';
import { WHOLE } from './economy-fixture.ts';
import { type Invocation, invocations, marketplaceUnits } from './marketplace-property-harness.ts';

const { BN } = anchor;

import { MarketFixture, type MintMode, layerSpec } from './market-fixture.ts';
import { requestOf } from './marketplace-job-helpers.ts';

/** What {@link measureComputeUnits} found. */
export interface ComputeUnits {
  /** Units of each instruction (snake_case). */
  units: Record<string, number>;
  /** The worst-case settlement's invocations (the marketplace at the root). */
  settle: Invocation;
  /** Its payments, from the JobSettled event. */
  settleParts: Record<string, bigint>;
  /** Units of other settlements, to price what each part adds. */
  settleVariants: Record<string, number>;
}

/**
 * Runs every marketplace instruction once (twice where the worst case differs) on a fresh chain
 * in `mode` and returns the units the marketplace program consumed at depth 1 in each. Every
 * wallet and layer mint comes from a fixed seed: instructions that derive a PDA on chain
 * (`job_create`, `challenge_open`, `layer_publish`, `provider_register`, `verifier_register`)
 * pay 1,500 CU per step of the bump search, which depends on the addresses in the seeds, so
 * random keys would make their units vary from run to run.
 */
export async function measureComputeUnits(mode: MintMode): Promise<ComputeUnits> {
  const units: Record<string, number> = {};
  const record = (name: string, provider: { last: { logs: string[] } | null }) => {
    const cu = marketplaceUnits(provider.last!.logs);
    units[name] = Math.max(units[name] ?? 0, cu);
  };
  const f = await new MarketFixture(mode).setup({ challengeWindow: new BN(60), slashAmount: new BN((10n * WHOLE).toString()) });
  record('market_init', f.provider);
  await f.market.marketUpdate({ admin: f.admin, params: defaultMarketParams({ challengeWindow: new BN(60), slashAmount: new BN((10n * WHOLE).toString()) }) });
  record('market_update', f.provider);

  // Layers: a root, and a child with a parent share (the settlement's worst case)
  const root = await f.publishedLayer({ pricePerThousand: 500_000n, royaltyBps: 800 }, { creator: 1, mint: 101 });
  record('layer_publish', root.creator.provider);
  const childCreator = f.marketUser(0n, 2);
  const child = await childCreator.market.publishLayer({
    creator: childCreator.publicKey,
    layer: layerSpec({ name: 'Pirate poet', pricePerThousand: 1_000_000n, royaltyBps: 1_000, parent: root.layer, parentShareBps: 2_500 }),
    mint: Keypair.fromSeed(new Uint8Array(32).fill(102)),
  });
  record('layer_publish', childCreator.provider);
  await childCreator.market.layerVersionPublish({ holder: childCreator.publicKey, layer: child.layer, version: 2, uri: 'ipfs://bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvykv', sha256: sha256('weights v2'), size: 8_192 });
  record('layer_version_publish', childCreator.provider);
  await childCreator.market.layerUpdate({ holder: childCreator.publicKey, layer: child.layer, pricePerThousand: 1_000_000n });
  record('layer_update', childCreator.provider);
  // Two more layers of the same base model: with root and child, the four-layer genome (the worst case)
  const extras = [await f.publishedLayer({ pricePerThousand: 100_000n, royaltyBps: 300 }, { creator: 10, mint: 103 }), await f.publishedLayer({ pricePerThousand: 100_000n, royaltyBps: 200 }, { creator: 11, mint: 104 })];
  const genome4 = [child.layer, extras[0]!.layer, extras[1]!.layer, root.layer];

  // Providers and verifiers
  const provider = await f.registeredProvider({ pricePerThousand: 2_000_000n, seed: 3 });
  record('provider_register', provider.provider);
  await provider.market.providerUpdate({
    authority: provider.publicKey,
    spec: { nodeKey: provider.nodeKey.publicKey, pricePerThousand: new BN(2_000_000), endpoint: 'http://127.0.0.1:7778', baseModels: 'qwen2-0.5b, llama-3-8b, mistral-7b' },
  });
  record('provider_update', provider.provider);
  await provider.market.providerHeartbeat({ signer: provider.publicKey, authority: provider.publicKey });
  record('provider_heartbeat', provider.provider);
  const verifiers = [await f.registeredVerifier(4), await f.registeredVerifier(5)];
  record('verifier_register', verifiers[1]!.provider);

  const client = f.marketUser(100n * WHOLE, 6);
  f.ata(f.treasury, f.computeMint);
  f.ata(f.treasury, f.ubcMint);
  for (const owner of [root.creator.publicKey, childCreator.publicKey, provider.publicKey]) f.ata(owner, f.computeMint);
  let jobId = 0;
  const newJob = async (layers = genome4) => {
    const { job } = await client.market.createJob({ client: client.publicKey, jobId: jobId++, request: requestOf(layers, { prompt: 'Tell me a pirate story', maxTokens: 2_000 }), maxPricePerThousand: 2_500_000 });
    record('job_create', client.provider);
    return job;
  };
  const claimed = async (layers = genome4) => {
    const job = await newJob(layers);
    await provider.market.jobClaim({ authority: provider.publicKey, job });
    record('job_claim', provider.provider);
    return job;
  };
  const submitted = async (layers = genome4, tokensUsed = 1_500) => {
    const job = await claimed(layers);
    await provider.market.submitReceipt({ job, nodeKey: provider.nodeKey, receipt: { outputHash: sha256('Arr'), tokensUsed, outputCid: 'bafkreiarrbafkreiarrbafkreiarrbafkreiarrbafkreiarrbafkreiarrbafk' } });
    record('job_receipt', provider.provider);
    return job;
  };

  // Settlement, worst case: every part non-zero (burn, fee, royalty, provider, refund, reward)
  const settler = f.marketUser(0n, 7);
  const job1 = await submitted();
  f.warp(61);
  await settler.market.jobSettle({ job: job1 });
  record('job_settle', settler.provider);
  const settleLogs = settler.provider.last!.logs;
  const settled = decodeEvents(f.market.program, settleLogs).find((e) => e.name === 'jobSettled')!.data;
  const settleParts = Object.fromEntries(['providerPayment', 'royalty', 'burned', 'fee', 'refund', 'reward'].map((k) => [k, BigInt(String(settled[k]))]));
  for (const [k, v] of Object.entries(settleParts)) if (v === 0n) throw new Error(`the worst-case settlement paid no ${k}`);
  const settle = invocations(settleLogs).find((i) => i.program === f.market.program.programId.toBase58())!;
  await client.market.jobRate({ client: client.publicKey, job: job1, rating: 5 });
  record('job_rate', client.provider);
  // Royalty claims: the child's (passing a share up to its parent), then the parent's (a root)
  for (const layer of [child.layer, root.layer]) {
    await settler.market.claimRoyalty({ layer });
    record('layer_royalty_claim', settler.provider);
  }

  const job2 = await submitted();
  f.warp(61);
  await settler.market.jobSettle({ job: job2 });
  await client.market.jobClose({ client: client.publicKey, job: job2 });
  record('job_close', client.provider);

  // Settlements that do less, to price each part
  const settleVariants: Record<string, number> = { 'four layers, every part non-zero (worst case)': units.job_settle! };
  const variant = async (name: string, layers: PublicKey[], tokens: number) => {
    const job = await submitted(layers, tokens);
    f.warp(61);
    await settler.market.jobSettle({ job });
    settleVariants[name] = marketplaceUnits(settler.provider.last!.logs);
    await client.market.jobClose({ client: client.publicKey, job });
  };
  await variant('two layers, every part non-zero', [child.layer, root.layer], 1_500);
  await variant('one layer, every part non-zero', [root.layer], 1_500);
  await variant('four layers, no tokens used (refund only)', genome4, 0);

  const job3 = await newJob();
  await client.market.jobCancel({ client: client.publicKey, job: job3 });
  record('job_cancel', client.provider);

  const job4 = await claimed();
  f.warp(601);
  await settler.market.jobExpire({ job: job4 });
  record('job_expire', settler.provider);

  // Challenges: rejected by a quorum, then upheld (a slash, after which the provider is below the minimum)
  const challenger = f.marketUser(10n * WHOLE, 8);
  f.ata(challenger.publicKey, f.ubcMint);
  for (const upheld of [false, true]) {
    const job = await submitted();
    await challenger.market.challengeOpen({ challenger: challenger.publicKey, job, bond: 1_000_000n });
    record('challenge_open', challenger.provider);
    for (const v of verifiers) {
      await v.market.challengeVote({ job, verifier: v.keypair, upheld, resultHash: sha256('verdict') });
      record('challenge_vote', v.provider);
    }
    const { challenge } = await settler.market.challengeOf(job);
    await settler.market.challengeResolve({ job });
    record('challenge_resolve', settler.provider);
    for (const v of verifiers) {
      await settler.market.challengeVoteRelease({ challenge, verifier: v.publicKey });
      record('challenge_vote_release', settler.provider);
    }
  }

  // Leaving: a provider with no job, a retired layer
  const idle = await f.registeredProvider({ seed: 9 });
  await idle.market.providerDeregister({ authority: idle.publicKey });
  record('provider_deregister', idle.provider);
  // (registering again reactivates the record)
  await idle.market.providerRegister({ authority: idle.publicKey, spec: { nodeKey: idle.nodeKey.publicKey, pricePerThousand: new BN(1), endpoint: 'http://127.0.0.1:7779', baseModels: 'qwen2-0.5b' } });
  record('provider_register', idle.provider);
  await root.creator.market.layerRetire({ holder: root.creator.publicKey, layer: root.layer });
  record('layer_retire', root.creator.provider);
  return { units, settle, settleParts, settleVariants };
}

/** A program's name, for printing invocation trees. */
export function programName(id: string): string {
  const known: Record<string, string> = {
    [PROGRAM_IDS.marketplace.toBase58()]: 'marketplace',
    [PROGRAM_IDS.economy.toBase58()]: 'economy',
    TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA: 'spl-token',
    TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb: 'token-2022',
    '11111111111111111111111111111111': 'system',
  };
  return known[id] ?? id;
}

/** What each CPI of `job_settle` is, in the order job_settle.rs makes them (every part non-zero). */
const SETTLE_CPIS = [
  'transfer: provider payment',
  'transfer: royalty into the royalty vault',
  'transfer: treasury fee',
  'settlement_finish (burn, reward, lock release)',
  'transfer: refund (the rest)',
  'close_account: the vault',
];

/**
 * One row per invocation under `root` (depth-first): its units and its own units (minus its CPIs).
 * A worst-case settlement's direct CPIs are named after job_settle.rs when their number matches.
 */
export function breakdown(root: Invocation): { call: string; units: number; own: number }[] {
  const rows: { call: string; units: number; own: number }[] = [];
  const named = root.children.length === SETTLE_CPIS.length;
  const walk = (n: Invocation, indent: string, what: string) => {
    const children = n.children.reduce((s, c) => s + c.units, 0);
    rows.push({ call: `${indent}${programName(n.program)}${what ? ` (${what})` : n.label ? ` (${n.label})` : ''}`, units: n.units, own: n.units - children });
    n.children.forEach((c) => walk(c, `${indent}  `, ''));
  };
  const children = root.children.reduce((s, c) => s + c.units, 0);
  rows.push({ call: programName(root.program), units: root.units, own: root.units - children });
  root.children.forEach((c, i) => walk(c, '  ', named ? SETTLE_CPIS[i]! : ''));
  return rows;
}
