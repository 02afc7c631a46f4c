import { BN } from '@coral-xyz/anchor';
import { TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID, createTransferCheckedInstruction, getAccount } from '@solana/spl-token';
import { ComputeBudgetProgram, PublicKey, Transaction } from '@solana/web3.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { type GenomeLayer, MARKETPLACE_CALLER, PROGRAM_IDS, canonicalJobRequest, collateralAddress, ed25519Verification, ed25519VerificationOf, jobStatusName, receiptMessage, requestCid, sha256 } from '../src/index.ts';
import { LiteSvmTransactionError } from '../src/litesvm/index.ts';
import { expectAnchorError } from './anchor-errors.ts';
import { DECIMALS, WHOLE } from './economy-fixture.ts';
import { MarketFixture, layerSpec } from './market-fixture.ts';
import {
  JOB,
  type MarketUser,
  type RegisteredProvider,
  TX_FEE,
  big,
  claimedJob,
  computeAta,
  eventOf,
  exists,
  lamports,
  nobody,
  openJob,
  plain,
  receiptOf,
  replaceAccounts,
  sendIxs,
  sendWith,
  settle,
  submittedJob,
  tokenBalance,
  ubcAta,
  requestOf,
} from './marketplace-job-helpers.ts';

const DEFAULT_KEY = PublicKey.default.toBase58();
const ZERO_HASH = Array<number>(32).fill(0);
/** The request most tests' jobs name (one placeholder layer: the chain never sees the document). */
const REQUEST = (() => {
  const bytes = canonicalJobRequest(requestOf([PublicKey.default]));
  return { cid: requestCid(bytes), hash: sha256(bytes) };
})();
/** The default market: a 10-minute receipt deadline and a 5-minute challenge window. */
const JOB_TIMEOUT = 600n;
const CHALLENGE_WINDOW = 300n;

const jobBump = (client: PublicKey, jobId: number) => {
  const id = Buffer.alloc(8);
  id.writeBigUInt64LE(BigInt(jobId));
  return PublicKey.findProgramAddressSync([Buffer.from('job'), client.toBuffer(), id], PROGRAM_IDS.marketplace)[1];
};

// One chain for the file (deploying the programs is the slow part); every test makes its own
// layers, providers, clients and jobs, and time only moves forward.
describe('marketplace jobs (existing mints)', () => {
  let f: MarketFixture;

  beforeAll(async () => {
    f = await new MarketFixture('existing mints').setup();
  });

  const status = async (job: PublicKey) => jobStatusName((await f.market.fetchJob(job))!.status);
  const fetchProvider = async (p: { publicKey: PublicKey }) => plain(await f.market.fetchProvider(p.publicKey)) as Record<string, unknown>;
  const fetchLayer = async (layer: PublicKey) => plain(await f.market.fetchLayer(layer)) as Record<string, unknown>;
  const collateralJobs = async (p: { publicKey: PublicKey }) => big((await f.client.fetchCollateral(p.publicKey))!.openJobs);
  const marketCounters = async () => {
    const m = (await f.market.fetchMarket())!;
    return { jobsCreated: big(m.jobsCreated), jobsSettled: big(m.jobsSettled), royalties: big(m.totalRoyalties), providerPayments: big(m.totalProviderPayments) };
  };
  const paused = async (body: () => Promise<void>) => {
    await f.client.pauseSet({ admin: f.admin, paused: true });
    try {
      await body();
    } finally {
      await f.client.pauseSet({ admin: f.admin, paused: false });
    }
  };
  const donate = (vault: PublicKey, amount: bigint) => {
    const donor = f.marketUser(amount);
    donor.provider.execute(new Transaction().add(createTransferCheckedInstruction(computeAta(f, donor.publicKey), f.computeMint, vault, donor.publicKey, amount, DECIMALS, [], f.tokenProgram)));
  };

  // ---------------------------------------------------------------- job_create
  describe('job_create', () => {
    /** `job_create` with explicit terms: one layer at version 1 and scale 1.0 unless given, the standard request. */
    const create = (client: MarketUser, layer: PublicKey, o: { jobId?: number; maxTokens?: bigint; maxPrice?: bigint; clientToken?: PublicKey; layers?: GenomeLayer[]; requestCid?: string } = {}) =>
      client.market.createJobWith({
        client: client.publicKey,
        jobId: o.jobId ?? 1,
        layers: o.layers ?? [{ layer, version: 1, scaleBps: 10_000 }],
        requestCid: o.requestCid ?? REQUEST.cid,
        requestHash: REQUEST.hash,
        maxTokens: o.maxTokens ?? JOB.maxTokens,
        maxPricePerThousand: o.maxPrice ?? JOB.maxPrice,
        clientToken: o.clientToken,
      });

    it('records the job, escrows its most expensive outcome in its vault, counts it and emits JobCreated', async () => {
      // Given a client with 100 $COMPUTE and a layer with a floor of 1,000,000 per 1k
      const { layer } = await f.publishedLayer({ pricePerThousand: JOB.layerPrice });
      const client = f.marketUser(JOB.clientCompute);
      const requested = nobody();
      const before = { market: await marketCounters(), lamports: lamports(f, client.publicKey) };

      // When it asks a given provider for at most 2,000 tokens at 2,500,000 per 1k, as its job 7
      const { job, request } = await client.market.createJob({ client: client.publicKey, jobId: 7, request: requestOf([layer], { prompt: 'Tell me a pirate story', maxTokens: 2_000 }), maxPricePerThousand: 2_500_000, provider: requested });
      // (the request's canonical bytes, their SHA-256 and their raw CIDv1, whose digest is that hash)
      expect(request.cid).toBe(requestCid(request.bytes));
      expect(request.cid.startsWith('bafkrei')).toBe(true);
      const genome = [{ layer: layer.toBase58(), version: 1, scaleBps: 10_000, royaltyBps: 1_000 }, ...Array.from({ length: 3 }, () => ({ layer: DEFAULT_KEY, version: 0, scaleBps: 0, royaltyBps: 0 }))];

      // Then the job holds every term, open, at its PDA
      const vault = new PublicKey((await f.market.fetchJob(job))!.vault);
      expect(job.toBase58()).toBe(f.market.jobAddress(client.publicKey, 7).toBase58());
      const serial = before.market.jobsCreated + 1n;
      expect(plain(await f.market.fetchJob(job))).toEqual({
        client: client.publicKey.toBase58(),
        jobId: 7n,
        serial,
        layerCount: 1,
        layers: genome,
        floorPerThousand: JOB.layerPrice,
        requestedProvider: requested.toBase58(),
        status: { open: {} },
        provider: DEFAULT_KEY,
        requestHash: [...request.hash],
        maxTokens: 2_000n,
        maxPricePerThousand: 2_500_000n,
        escrow: 5_000_000n,
        ratePerThousand: 0n,
        createdTs: f.now(),
        deadlineTs: 0n,
        settleAfterTs: 0n,
        outputHash: ZERO_HASH,
        tokensUsed: 0n,
        bond: 0n,
        challenged: false,
        vault: PublicKey.findProgramAddressSync([Buffer.from('job_vault'), job.toBuffer()], PROGRAM_IDS.marketplace)[0].toBase58(),
        bump: jobBump(client.publicKey, 7),
        requestCid: request.cid,
        outputCid: '',
      });
      // And ceil(2,000 × 2,500,000 / 1,000) = 5,000,000 moved into the vault the marketplace authority owns
      const account = await getAccount(f.provider.connection, vault, 'confirmed', f.tokenProgram);
      expect({ amount: account.amount, owner: account.owner.toBase58(), mint: account.mint.toBase58() }).toEqual({
        amount: 5_000_000n,
        owner: MARKETPLACE_CALLER.toBase58(),
        mint: f.computeMint.toBase58(),
      });
      expect(await f.computeOf(client.publicKey)).toBe(JOB.clientCompute - 5_000_000n);
      // And the client paid both rents and the fee
      expect(before.lamports - lamports(f, client.publicKey)).toBe(lamports(f, job) + lamports(f, vault) + TX_FEE);
      // And the market counts one more job
      expect((await marketCounters()).jobsCreated).toBe(before.market.jobsCreated + 1n);
      // And the event says it all
      expect(plain(eventOf(f, client, 'jobCreated'))).toEqual({
        job: job.toBase58(),
        client: client.publicKey.toBase58(),
        jobId: 7n,
        serial,
        layerCount: 1,
        layers: genome,
        floorPerThousand: JOB.layerPrice,
        provider: requested.toBase58(),
        requestHash: [...request.hash],
        maxTokens: 2_000n,
        maxPricePerThousand: 2_500_000n,
        escrow: 5_000_000n,
        createdTs: f.now(),
        requestCid: request.cid,
      });
    });

    it('rounds the escrow up to the base unit', async () => {
      // Given a layer and a client
      const { layer } = await f.publishedLayer({ pricePerThousand: JOB.layerPrice });
      const client = f.marketUser(JOB.clientCompute);
      // When it allows 3 tokens at 1,000,001 per 1k (3,000.003)
      const { job } = await create(client, layer, { maxTokens: 3n, maxPrice: 1_000_001n });
      // Then 3,001 is escrowed
      expect(big((await f.market.fetchJob(job))!.escrow)).toBe(3_001n);
      expect(await f.computeOf(client.publicKey)).toBe(JOB.clientCompute - 3_001n);
    });

    it('is refused while the economy is paused, and nothing moves', async () => {
      // Given a layer and a client, and the economy paused
      const { layer } = await f.publishedLayer();
      const client = f.marketUser(JOB.clientCompute);
      await paused(async () => {
        // When the client creates a job
        // Then it is refused
        await expectAnchorError(() => create(client, layer), 'CannotWhilePaused', 6036);
      });
      expect(await f.computeOf(client.publicKey)).toBe(JOB.clientCompute);
      expect(exists(f, f.market.jobAddress(client.publicKey, 1))).toBe(false);
    });

    it('is refused for a retired layer', async () => {
      const { layer, creator } = await f.publishedLayer();
      await creator.market.layerRetire({ holder: creator.publicKey, layer });
      await expectAnchorError(() => create(f.marketUser(JOB.clientCompute), layer), 'LayerRetired', 6010);
    });

    it("is refused when the client's maximum price is below the layer's floor", async () => {
      const { layer } = await f.publishedLayer({ pricePerThousand: JOB.layerPrice });
      await expectAnchorError(() => create(f.marketUser(JOB.clientCompute), layer, { maxPrice: JOB.layerPrice - 1n }), 'PriceExceeded', 6015);
    });

    it('is refused when nothing would be escrowed', async () => {
      const { layer } = await f.publishedLayer();
      await expectAnchorError(() => create(f.marketUser(JOB.clientCompute), layer, { maxTokens: 0n }), 'InvalidAmount', 6014);
    });

    it('is refused when the escrow is below the minimum job price (2 base units), accepted at it', async () => {
      const layer = await f.publishedLayer({ pricePerThousand: 0n });
      const client = f.marketUser(JOB.clientCompute);
      // 1,000 tokens at 1 per 1k escrow 1; 1,001 escrow 2
      await expectAnchorError(() => create(client, layer.layer, { maxTokens: 1_000n, maxPrice: 1n }), 'InvalidAmount', 6014);
      const { job } = await create(client, layer.layer, { maxTokens: 1_001n, maxPrice: 1n });
      expect(big((await f.market.fetchJob(job))!.escrow)).toBe(2n);
    });

    it('is refused when the escrow would not fit in 64 bits', async () => {
      const { layer } = await f.publishedLayer();
      const max = 2n ** 64n - 1n;
      await expectAnchorError(() => create(f.marketUser(JOB.clientCompute), layer, { maxTokens: max, maxPrice: max }), 'ArithmeticOverflow', 6002);
    });

    it('is refused for a job id the client already used', async () => {
      const { layer } = await f.publishedLayer();
      const client = f.marketUser(JOB.clientCompute);
      await create(client, layer);
      await expectAnchorError(() => create(client, layer), 'AccountDiscriminatorAlreadySet', 3000);
      expect(await f.computeOf(client.publicKey)).toBe(JOB.clientCompute - JOB.escrow);
    });

    it("is refused from someone else's $COMPUTE account", async () => {
      const { layer } = await f.publishedLayer();
      const victim = f.marketUser(JOB.clientCompute);
      const thief = f.marketUser(JOB.clientCompute);
      await expectAnchorError(() => create(thief, layer, { clientToken: computeAta(f, victim.publicKey) }), 'ConstraintTokenOwner', 2015);
      expect(await f.computeOf(victim.publicKey)).toBe(JOB.clientCompute);
    });

    it('is refused from a token account of another mint', async () => {
      const { layer } = await f.publishedLayer();
      const client = f.marketUser(JOB.clientCompute);
      const ubc = f.fundUbc(client.publicKey, 10n * WHOLE);
      await expectAnchorError(() => create(client, layer, { clientToken: ubc }), 'ConstraintTokenMint', 2014);
    });

    it('is refused with a mint other than $COMPUTE', async () => {
      const { layer } = await f.publishedLayer();
      const client = f.marketUser(JOB.clientCompute);
      await expectAnchorError(() => sendWith(client, () => create(client, layer), 'jobCreate', { computeMint: f.ubcMint }), 'MintMismatch', 6034);
    });

    it("is refused with a token program other than $COMPUTE's", async () => {
      const { layer } = await f.publishedLayer();
      const client = f.marketUser(JOB.clientCompute);
      await expectAnchorError(() => sendWith(client, () => create(client, layer), 'jobCreate', { tokenProgram: TOKEN_2022_PROGRAM_ID }), 'MintMismatch', 6034);
    });

    it('is refused with an economy config the economy program does not own', async () => {
      const { layer } = await f.publishedLayer();
      const client = f.marketUser(JOB.clientCompute);
      await expectAnchorError(() => sendWith(client, () => create(client, layer), 'jobCreate', { economyConfig: layer }), 'AccountOwnedByWrongProgram', 3007);
    });

    it('is refused with an account that is not a layer', async () => {
      const { layer } = await f.publishedLayer();
      const client = f.marketUser(JOB.clientCompute);
      const market = PublicKey.findProgramAddressSync([Buffer.from('market')], PROGRAM_IDS.marketplace)[0];
      await expectAnchorError(() => sendWith(client, () => create(client, layer), 'jobCreate', { layer: market }), 'AccountDiscriminatorMismatch', 3002);
    });

    it("is refused when the job is not at the PDA of the client's job id", async () => {
      const { layer } = await f.publishedLayer();
      const client = f.marketUser(JOB.clientCompute);
      await expectAnchorError(() => sendWith(client, () => create(client, layer), 'jobCreate', { job: f.market.jobAddress(client.publicKey, 2) }), 'ConstraintSeeds', 2006);
    });

    it("is refused when the vault is not at the job's vault PDA", async () => {
      const { layer } = await f.publishedLayer();
      const client = f.marketUser(JOB.clientCompute);
      const other = PublicKey.findProgramAddressSync([Buffer.from('job_vault'), f.market.jobAddress(client.publicKey, 2).toBuffer()], PROGRAM_IDS.marketplace)[0];
      await expectAnchorError(() => sendWith(client, () => create(client, layer), 'jobCreate', { jobVault: other }), 'ConstraintSeeds', 2006);
    });

    it('is refused with a vault authority other than the marketplace authority', async () => {
      const { layer } = await f.publishedLayer();
      const client = f.marketUser(JOB.clientCompute);
      await expectAnchorError(() => sendWith(client, () => create(client, layer), 'jobCreate', { authority: client.publicKey }), 'ConstraintAddress', 2012);
    });
  });

  // ---------------------------------------------------------------- job_claim
  describe('job_claim', () => {
    const claim = (p: { publicKey: PublicKey; market: MarketUser['market'] }, job: PublicKey) => p.market.jobClaim({ authority: p.publicKey, job });

    it("fixes the rate at the provider's price, starts the deadline, locks the collateral and emits JobClaimed", async () => {
      // Given an open job (max 2,500,000 per 1k) on a layer with a floor of 1,000,000
      const o = await openJob(f);
      const provider = await f.registeredProvider({ pricePerThousand: JOB.providerPrice });
      // When a provider at 2,000,000 per 1k claims it
      await claim(provider, o.job);
      // Then the job is claimed at 2,000,000 with a deadline 600 s away
      const deadline = f.now() + JOB_TIMEOUT;
      expect(plain(await f.market.fetchJob(o.job))).toMatchObject({
        status: { claimed: {} },
        provider: provider.publicKey.toBase58(),
        ratePerThousand: JOB.providerPrice,
        deadlineTs: deadline,
        escrow: JOB.escrow,
      });
      // And the provider and its collateral each count one open job
      expect((await fetchProvider(provider)).openJobs).toBe(1n);
      expect(await collateralJobs(provider)).toBe(1n);
      expect(plain(eventOf(f, provider, 'jobClaimed'))).toEqual({
        job: o.job.toBase58(),
        jobSerial: o.serial,
        provider: provider.publicKey.toBase58(),
        ratePerThousand: JOB.providerPrice,
        deadlineTs: deadline,
        openJobs: 1n,
      });
      // And the escrow did not move
      expect(await tokenBalance(f, o.vault)).toBe(JOB.escrow);
    });

    it("never fixes the rate below the layer's floor", async () => {
      const o = await openJob(f);
      const cheap = await f.registeredProvider({ pricePerThousand: 500_000n });
      await claim(cheap, o.job);
      expect(big((await f.market.fetchJob(o.job))!.ratePerThousand)).toBe(JOB.layerPrice);
    });

    it('lets the provider a job was asked of claim it', async () => {
      const provider = await f.registeredProvider({ pricePerThousand: JOB.providerPrice });
      const o = await openJob(f, { requested: provider.publicKey });
      await claim(provider, o.job);
      expect(await status(o.job)).toBe('claimed');
    });

    it('is refused to an unregistered provider', async () => {
      const o = await openJob(f);
      const stranger = f.marketUser();
      await expectAnchorError(() => claim(stranger, o.job), 'AccountNotInitialized', 3012);
      expect(await status(o.job)).toBe('open');
    });

    it("is refused with another provider's account", async () => {
      const o = await openJob(f);
      const provider = await f.registeredProvider();
      const other = await f.registeredProvider();
      await expectAnchorError(() => sendWith(provider, () => claim(provider, o.job), 'jobClaim', { provider: f.market.providerAddress(other.publicKey) }), 'ProviderMismatch', 6017);
    });

    it('is refused for a job asked of another provider', async () => {
      const asked = await f.registeredProvider();
      const o = await openJob(f, { requested: asked.publicKey });
      const other = await f.registeredProvider();
      await expectAnchorError(() => claim(other, o.job), 'ProviderMismatch', 6017);
      expect(await status(o.job)).toBe('open');
    });

    it('is refused for a job already claimed', async () => {
      const c = await claimedJob(f);
      const late = await f.registeredProvider();
      await expectAnchorError(() => claim(late, c.job), 'JobStatusMismatch', 6016);
      expect((await f.market.fetchJob(c.job))!.provider.toBase58()).toBe(c.provider.publicKey.toBase58());
    });

    it("is refused with a layer other than the job's", async () => {
      const o = await openJob(f);
      const provider = await f.registeredProvider();
      const { layer: other } = await f.publishedLayer();
      await expectAnchorError(() => sendWith(provider, () => claim(provider, o.job), 'jobClaim', { layer: other }), 'LayerMismatch', 6046);
    });

    it("is refused to a provider not serving the layer's base model", async () => {
      const o = await openJob(f);
      const provider = await f.registeredProvider({ baseModels: 'llama-3-8b, qwen2-0.5b-instruct' });
      await expectAnchorError(() => claim(provider, o.job), 'BaseModelUnsupported', 6018);
    });

    it("is refused when the provider's price is above the job's maximum", async () => {
      const o = await openJob(f);
      const dear = await f.registeredProvider({ pricePerThousand: JOB.maxPrice + 1n });
      await expectAnchorError(() => claim(dear, o.job), 'PriceExceeded', 6015);
    });

    it('keeps the floors the job was created with: a floor raised after creation does not reprice it', async () => {
      // Given an open job, then its layer's floor raised above the job's maximum
      const o = await openJob(f);
      await o.creator.market.layerUpdate({ holder: o.creator.publicKey, layer: o.layer, pricePerThousand: JOB.maxPrice + 1n });
      // When a provider claims it, Then the rate is its own price over the floor of creation
      const provider = await f.registeredProvider({ pricePerThousand: JOB.providerPrice });
      await claim(provider, o.job);
      expect(plain(await f.market.fetchJob(o.job))).toMatchObject({ ratePerThousand: JOB.providerPrice, floorPerThousand: JOB.layerPrice });
    });

    it("is refused once the provider's collateral fell below the economy's minimum", async () => {
      // Given a provider that withdrew one base unit of its collateral after the cooldown
      const provider = await f.registeredProvider();
      await provider.client.collateralUnlock({ provider: provider.publicKey });
      f.warp(86_400);
      await provider.client.collateralWithdraw({ provider: provider.publicKey, destination: ubcAta(f, provider.publicKey), amount: 1n });
      const o = await openJob(f);
      await expectAnchorError(() => claim(provider, o.job), 'CollateralInsufficient', 6012);
    });

    it("is refused with another provider's collateral", async () => {
      const o = await openJob(f);
      const provider = await f.registeredProvider();
      const other = await f.registeredProvider();
      await expectAnchorError(() => sendWith(provider, () => claim(provider, o.job), 'jobClaim', { collateral: collateralAddress(other.publicKey) }), 'CollateralProviderMismatch', 6028);
    });

    it('is refused with a fake economy program', async () => {
      const o = await openJob(f);
      const provider = await f.registeredProvider();
      await expectAnchorError(() => sendWith(provider, () => claim(provider, o.job), 'jobClaim', { economyProgram: TOKEN_PROGRAM_ID }), 'ConstraintAddress', 2012);
    });

    it('is refused with another marketplace authority', async () => {
      const o = await openJob(f);
      const provider = await f.registeredProvider();
      await expectAnchorError(() => sendWith(provider, () => claim(provider, o.job), 'jobClaim', { marketplaceAuthority: nobody() }), 'ConstraintAddress', 2012);
    });
  });

  // ---------------------------------------------------------------- job_receipt
  describe('job_receipt', () => {
    type Claimed = Awaited<ReturnType<typeof claimedJob>>;
    const receiptIxs = (c: Claimed, receipt = receiptOf(), signer = c.provider.nodeKey) =>
      c.provider.market.receiptInstructions({ job: c.job, receipt, nodeKey: signer, provider: c.provider.publicKey });

    it('records a receipt any relayer submits, signed by the node key, starts the challenge window and emits ReceiptSubmitted', async () => {
      // Given a claimed job
      const c = await claimedJob(f);
      // When a relayer submits the node's signed receipt for 1,500 tokens
      const relayer = f.marketUser();
      const receipt = receiptOf(1_500n, 'bafkreioutput');
      await sendIxs(relayer, await receiptIxs(c, receipt));
      // Then the job holds it, with a challenge window of 300 s
      const settleAfter = f.now() + CHALLENGE_WINDOW;
      expect(plain(await f.market.fetchJob(c.job))).toMatchObject({
        status: { submitted: {} },
        outputHash: [...receipt.outputHash],
        tokensUsed: 1_500n,
        outputCid: 'bafkreioutput',
        settleAfterTs: settleAfter,
      });
      expect(plain(eventOf(f, relayer, 'receiptSubmitted'))).toEqual({
        job: c.job.toBase58(),
        jobSerial: c.serial,
        provider: c.provider.publicKey.toBase58(),
        outputHash: [...receipt.outputHash],
        tokensUsed: 1_500n,
        settleAfterTs: settleAfter,
        outputCid: 'bafkreioutput',
      });
      // And no token moved
      expect(await tokenBalance(f, c.vault)).toBe(JOB.escrow);
    });

    it('is accepted at the deadline itself', async () => {
      const c = await claimedJob(f);
      f.warp(JOB_TIMEOUT);
      await c.provider.market.submitReceipt({ job: c.job, nodeKey: c.provider.nodeKey, receipt: receiptOf() });
      expect(await status(c.job)).toBe('submitted');
    });

    it('is refused after the deadline', async () => {
      const c = await claimedJob(f);
      f.warp(JOB_TIMEOUT + 1n);
      await expectAnchorError(() => c.provider.market.submitReceipt({ job: c.job, nodeKey: c.provider.nodeKey, receipt: receiptOf() }), 'DeadlinePassed', 6019);
    });

    it("is refused for more tokens than the job's maximum", async () => {
      const c = await claimedJob(f);
      await expectAnchorError(() => c.provider.market.submitReceipt({ job: c.job, nodeKey: c.provider.nodeKey, receipt: receiptOf(JOB.maxTokens + 1n) }), 'TokensExceeded', 6021);
    });

    it('is refused without an Ed25519 verification before it', async () => {
      const c = await claimedJob(f);
      const [, ix] = await receiptIxs(c);
      await expectAnchorError(() => sendIxs(c.provider, [ix!]), 'SignatureMissing', 6022);
    });

    it('is refused when the Ed25519 verification is not right before it', async () => {
      const c = await claimedJob(f);
      const [verify, ix] = await receiptIxs(c);
      await expectAnchorError(() => sendIxs(c.provider, [verify!, ComputeBudgetProgram.setComputeUnitPrice({ microLamports: 1 }), ix!]), 'SignatureMissing', 6022);
    });

    it("is refused when signed by another provider's node key", async () => {
      const c = await claimedJob(f);
      const other = await f.registeredProvider();
      await expectAnchorError(async () => sendIxs(c.provider, await receiptIxs(c, receiptOf(), other.nodeKey)), 'SignerMismatch', 6023);
    });

    it("is refused when signed by the provider's wallet instead of its node key", async () => {
      const c = await claimedJob(f);
      await expectAnchorError(async () => sendIxs(c.provider, await receiptIxs(c, receiptOf(), c.provider.keypair)), 'SignerMismatch', 6023);
    });

    it('is refused when forged: the Ed25519 program rejects a tampered signature and the transaction fails', async () => {
      // Given the node's real signature over the receipt, one bit flipped
      const c = await claimedJob(f);
      const receipt = receiptOf();
      const message = receiptMessage(await f.market.jobInstance(c.job), c.provider.publicKey, receipt);
      // (web3.js lays the verification out as: 16-byte header, public key, signature, message)
      const signature = Uint8Array.from(ed25519Verification(c.provider.nodeKey, message).data.subarray(48, 112));
      signature[0]! ^= 1;
      const [, ix] = await receiptIxs(c, receipt);
      // When it is submitted
      const error = await sendIxs(c.provider, [ed25519VerificationOf(c.provider.nodeKey.publicKey, message, signature), ix!]).then(
        () => null,
        (e: unknown) => e,
      );
      // Then the Ed25519 instruction (index 0) fails the transaction before the marketplace runs
      expect(error).toBeInstanceOf(LiteSvmTransactionError);
      expect((error as Error).message).toMatch(/index: 0/);
      expect(await status(c.job)).toBe('claimed');
    });

    it('is refused when the valid signature is over other bytes than the receipt submitted', async () => {
      // Given the node signed a receipt for 1,000 tokens
      const c = await claimedJob(f);
      const [signedFor1000] = await receiptIxs(c, receiptOf(1_000n));
      // When the receipt submitted claims 1,500
      const [, claims1500] = await receiptIxs(c, receiptOf(1_500n));
      await expectAnchorError(() => sendIxs(c.provider, [signedFor1000!, claims1500!]), 'SignedMessageMismatch', 6024);
    });

    it('is refused when a receipt signed for one job is replayed onto another', async () => {
      // Given one provider claimed two jobs and signed a receipt for the first
      const provider = await f.registeredProvider({ pricePerThousand: JOB.providerPrice });
      const first = await claimedJob(f, { provider });
      const second = await claimedJob(f, { provider });
      const receipt = receiptOf();
      const [signedForFirst] = await receiptIxs(first, receipt);
      const [, forSecond] = await receiptIxs(second, receipt);
      // When its verification is put before the second job's receipt
      await expectAnchorError(() => sendIxs(provider, [signedForFirst!, forSecond!]), 'SignedMessageMismatch', 6024);
      expect(await status(second.job)).toBe('claimed');
    });

    it('is refused when replayed on the same job', async () => {
      const c = await claimedJob(f);
      const ixs = await receiptIxs(c);
      await sendIxs(c.provider, ixs);
      const settleAfter = (await f.market.fetchJob(c.job))!.settleAfterTs.toString();
      f.warp(10);
      await expectAnchorError(() => sendIxs(c.provider, ixs), 'JobStatusMismatch', 6016);
      expect((await f.market.fetchJob(c.job))!.settleAfterTs.toString()).toBe(settleAfter);
    });

    it('is refused for a job nobody claimed', async () => {
      const o = await openJob(f);
      const provider = await f.registeredProvider();
      const ixs = await provider.market.receiptInstructions({ job: o.job, receipt: receiptOf(), nodeKey: provider.nodeKey, provider: provider.publicKey });
      await expectAnchorError(() => sendIxs(provider, ixs), 'JobStatusMismatch', 6016);
    });

    it("is refused with a provider other than the job's, even with that provider's own signature", async () => {
      const c = await claimedJob(f);
      const other = await f.registeredProvider();
      const ixs = await other.market.receiptInstructions({ job: c.job, receipt: receiptOf(), nodeKey: other.nodeKey, provider: other.publicKey });
      await expectAnchorError(() => sendIxs(other, ixs), 'ProviderMismatch', 6017);
    });

    it('is refused without the instructions sysvar', async () => {
      const c = await claimedJob(f);
      const ixs = await receiptIxs(c);
      const tx = replaceAccounts(new Transaction().add(...ixs), 'jobReceipt', { instructions: nobody() });
      await expectAnchorError(() => c.provider.provider.sendAndConfirm(tx), 'ConstraintAddress', 2012);
    });

    it('is refused with an output CID over 64 characters', async () => {
      const c = await claimedJob(f);
      await expectAnchorError(async () => sendIxs(c.provider, await receiptIxs(c, receiptOf(1_500n, 'b'.repeat(65)))), 'InstructionDidNotDeserialize', 102);
      expect(await status(c.job)).toBe('claimed');
    });
  });

  // ---------------------------------------------------------------- job_settle
  describe('job_settle', () => {
    type Submitted = Awaited<ReturnType<typeof submittedJob>>;
    const settleCall = (s: MarketUser, c: Submitted) => () => s.market.jobSettle({ job: c.job });
    /** Settles `c` with some accounts replaced. */
    const settleWith = async (c: Submitted, accounts: Record<string, PublicKey>) => {
      const settler = f.marketUser();
      return sendWith(settler, settleCall(settler, c), 'jobSettle', accounts);
    };
    const sumOfParts = (e: Record<string, unknown>) =>
      ['providerPayment', 'royalty', 'burned', 'fee', 'refund'].reduce((sum, k) => sum + big(e[k]), 0n);
    const royaltyVault = () => f.market.royaltyVaultAddress();

    it("pays the provider, accrues the layer's royalty, burns, pays the treasury and refunds the client to the base unit when the window ends, and emits JobSettled", async () => {
      // Given a receipt for 1,500 tokens at 2,000,000 per 1k on an escrow of 5,000,000 (10% royalty)
      const c = await submittedJob(f);
      const before = {
        royaltyVault: await tokenBalance(f, royaltyVault()),
        client: await f.computeOf(c.client.publicKey),
        treasury: await f.computeOf(f.treasury),
        supply: await f.supply(f.computeMint, f.tokenProgram),
        market: await marketCounters(),
        clientLamports: lamports(f, c.client.publicKey),
        vaultRent: lamports(f, c.vault),
      };
      // When anyone settles it the moment the 300 s window ends
      f.warp(CHALLENGE_WINDOW);
      const settler = await settle(f, c.job);

      // Then the price is 3,000,000: 15,000 burned (0.5%), 30,000 fee (1%), 300,000 royalty (10%),
      // 2,655,000 to the provider plus a 30,000 reward (1%), and 2,000,000 back to the client
      const event = plain(eventOf(f, settler, 'jobSettled')) as Record<string, unknown>;
      expect(event).toEqual({
        job: c.job.toBase58(),
        jobSerial: c.serial,
        provider: c.provider.publicKey.toBase58(),
        client: c.client.publicKey.toBase58(),
        tokensUsed: 1_500n,
        price: 3_000_000n,
        providerPayment: 2_655_000n,
        royalty: 300_000n,
        royalties: [300_000n, 0n, 0n, 0n],
        accruedRoyalties: [300_000n, 0n, 0n, 0n],
        burned: 15_000n,
        fee: 30_000n,
        refund: 2_000_000n,
        reward: 30_000n,
        providerJobsCompleted: 1n,
        layerJobsCompleted: [1n, 0n, 0n, 0n],
      });
      expect(sumOfParts(event)).toBe(JOB.escrow);
      expect(await f.computeOf(c.provider.publicKey)).toBe(2_655_000n + 30_000n);
      // (the royalty waits in the royalty vault, accrued on the layer, for its holder to claim)
      expect(await f.computeOf(c.creator.publicKey)).toBe(0n);
      expect((await tokenBalance(f, royaltyVault())) - before.royaltyVault).toBe(300_000n);
      expect(await f.computeOf(c.client.publicKey)).toBe(before.client + 2_000_000n);
      expect((await f.computeOf(f.treasury)) - before.treasury).toBe(30_000n);
      expect(before.supply - (await f.supply(f.computeMint, f.tokenProgram))).toBe(15_000n);
      // And the vault is closed, its rent to the client; the job stays, settled, for the rating
      expect(exists(f, c.vault)).toBe(false);
      expect(lamports(f, c.client.publicKey) - before.clientLamports).toBe(before.vaultRent);
      expect(await status(c.job)).toBe('settled');
      // And the collateral lock is released and the reputations count the job
      expect(await collateralJobs(c.provider)).toBe(0n);
      expect(await fetchProvider(c.provider)).toMatchObject({ openJobs: 0n, jobsCompleted: 1n, tokensServed: 1_500n, earned: 2_655_000n });
      expect(await fetchLayer(c.layer)).toMatchObject({ jobsCompleted: 1n, tokensServed: 1_500n, royaltiesEarned: 300_000n, accruedRoyalty: 300_000n });
      const after = await marketCounters();
      expect({ settled: after.jobsSettled - before.market.jobsSettled, royalties: after.royalties - before.market.royalties, payments: after.providerPayments - before.market.providerPayments }).toEqual({
        settled: 1n,
        royalties: 300_000n,
        payments: 2_655_000n,
      });
    });

    it("accrues a child layer's whole royalty on the child (the parent's share passes up when it is claimed), rounding the burn and fee up, the royalty down and the price up; the parts add up to the escrow", async () => {
      // Given a child layer (10% royalty, a quarter of it to the parent) run by a provider at
      // 2,000,003 per 1k for 777 tokens: price ceil(1,554,002.331) = 1,554,003
      const parent = await f.publishedLayer({ pricePerThousand: JOB.layerPrice, royaltyBps: 1_000 });
      const child = await f.publishedLayer({ pricePerThousand: JOB.layerPrice, royaltyBps: 1_000, parent: parent.layer, parentShareBps: 2_500 });
      const provider = await f.registeredProvider({ pricePerThousand: 2_000_003n });
      const c = await submittedJob(f, { layer: child, provider, receipt: receiptOf(777n) });
      const clientBefore = await f.computeOf(c.client.publicKey);
      const vaultBefore = await tokenBalance(f, c.vault);
      f.warp(CHALLENGE_WINDOW);
      // When it is settled
      const settler = f.marketUser();
      await settler.market.jobSettle({ job: c.job });
      // Then burn 7,771 (7,770.015 up), fee 15,541 (15,540.03 up), royalty 155,400 (down),
      // provider 1,375,291, refund 3,445,997
      const event = plain(eventOf(f, settler, 'jobSettled')) as Record<string, unknown>;
      expect(event).toMatchObject({
        price: 1_554_003n,
        burned: 7_771n,
        fee: 15_541n,
        royalty: 155_400n,
        accruedRoyalties: [155_400n, 0n, 0n, 0n],
        providerPayment: 1_375_291n,
        refund: 3_445_997n,
        reward: 15_540n,
      });
      expect(vaultBefore).toBe(JOB.escrow);
      expect(sumOfParts(event)).toBe(JOB.escrow);
      expect(await f.computeOf(provider.publicKey)).toBe(1_375_291n + 15_540n);
      expect(await f.computeOf(c.client.publicKey)).toBe(clientBefore + 3_445_997n);
      // And the child layer accrues the whole royalty, the parent nothing yet; no holder is paid
      expect(await fetchLayer(child.layer)).toMatchObject({ royaltiesEarned: 155_400n, accruedRoyalty: 155_400n });
      expect(await fetchLayer(parent.layer)).toMatchObject({ royaltiesEarned: 0n, accruedRoyalty: 0n });
      expect(await f.computeOf(child.creator.publicKey)).toBe(0n);
      expect(await f.computeOf(parent.creator.publicKey)).toBe(0n);
    });

    it('pays one wallet that is client, provider and layer holder at once into its one account', async () => {
      // Given a provider that published the layer and runs its own job
      const provider = await f.registeredProvider({ pricePerThousand: JOB.providerPrice });
      const own = await provider.market.publishLayer({ creator: provider.publicKey, layer: layerSpec({ pricePerThousand: JOB.layerPrice, royaltyBps: JOB.royaltyBps }) });
      f.fundCompute(provider.publicKey, JOB.clientCompute);
      const c = await submittedJob(f, { provider, client: provider, layer: { ...own, creator: provider } });
      f.warp(CHALLENGE_WINDOW);
      // When it is settled and it claims the royalty
      await settle(f, c.job);
      await provider.market.claimRoyalty({ layer: own.layer });
      // Then only the 15,000 burn and the 30,000 fee left, and the 30,000 reward came in
      expect(await f.computeOf(provider.publicKey)).toBe(JOB.clientCompute - 15_000n - 30_000n + 30_000n);
    });

    it("keeps the rate fixed at claim when the provider's price or the layer's floor changes after", async () => {
      // Given a job claimed at 2,000,000 per 1k
      const c = await claimedJob(f);
      // When the provider doubles its price and the layer raises its floor before the receipt
      await c.provider.market.providerUpdate({
        authority: c.provider.publicKey,
        spec: { nodeKey: c.provider.nodeKey.publicKey, pricePerThousand: new BN(4_000_000), endpoint: 'http://127.0.0.1:7777', baseModels: 'qwen2-0.5b' },
      });
      await c.creator.market.layerUpdate({ holder: c.creator.publicKey, layer: c.layer, pricePerThousand: 2_400_000n });
      await c.provider.market.submitReceipt({ job: c.job, nodeKey: c.provider.nodeKey, receipt: receiptOf() });
      f.warp(CHALLENGE_WINDOW);
      const settler = await settle(f, c.job);
      // Then the job is priced at the claimed rate
      expect(plain(eventOf(f, settler, 'jobSettled'))).toMatchObject({ price: 3_000_000n, refund: 2_000_000n });
    });

    it('is not held up by a paused economy, nor by the layer retiring', async () => {
      const c = await submittedJob(f);
      await c.creator.market.layerRetire({ holder: c.creator.publicKey, layer: c.layer });
      f.warp(CHALLENGE_WINDOW);
      await paused(async () => {
        await settle(f, c.job);
      });
      expect(await status(c.job)).toBe('settled');
      expect(await f.market.accruedRoyalty(c.layer)).toBe(300_000n);
    });

    it('caps the provider reward at the burn and fee, so self-dealing never pays', async () => {
      // Given the admin set the provider reward to 100% of the price
      const params = (await f.market.fetchMarket())!.params;
      await f.market.marketUpdate({ admin: f.admin, params: { ...params, rewardBps: 10_000 } });
      try {
        // When a provider settles a job it bought on its own layer (client, provider and holder at once)
        const self = await f.registeredProvider({ pricePerThousand: JOB.providerPrice });
        f.fundCompute(self.publicKey, JOB.clientCompute);
        const layer = await self.market.publishLayer({ creator: self.publicKey, layer: layerSpec({ pricePerThousand: JOB.layerPrice, royaltyBps: JOB.royaltyBps }) });
        const c = await submittedJob(f, { layer: { ...layer, creator: self }, provider: self, client: self });
        const before = await f.computeOf(self.publicKey);
        f.warp(CHALLENGE_WINDOW);
        const settler = await settle(f, c.job);
        await self.market.claimRoyalty({ layer: layer.layer });
        // Then its reward is the 15,000 burned plus the 30,000 fee, not 3,000,000: it ends exactly where it began
        expect(plain(eventOf(f, settler, 'jobSettled'))).toMatchObject({ price: 3_000_000n, burned: 15_000n, fee: 30_000n, reward: 45_000n });
        expect((await f.computeOf(self.publicKey)) - before).toBe(JOB.escrow);
      } finally {
        await f.market.marketUpdate({ admin: f.admin, params });
      }
    });

    it('refunds the whole escrow for a receipt of zero tokens, burning and paying nothing', async () => {
      const c = await submittedJob(f, { receipt: receiptOf(0n) });
      const clientBefore = await f.computeOf(c.client.publicKey);
      f.warp(CHALLENGE_WINDOW);
      const settler = await settle(f, c.job);
      expect(plain(eventOf(f, settler, 'jobSettled'))).toMatchObject({ price: 0n, providerPayment: 0n, royalty: 0n, burned: 0n, fee: 0n, refund: JOB.escrow, reward: 0n, providerJobsCompleted: 1n });
      expect(await f.computeOf(c.client.publicKey)).toBe(clientBefore + JOB.escrow);
      expect(await f.computeOf(c.provider.publicKey)).toBe(0n);
      expect(exists(f, c.vault)).toBe(false);
    });

    it.each([
      // 1 token at 1 per 1k is 0.001, rounded up to 1, raised to the minimum job price of 2: both protocol parts get 1
      ['1 token at 1 per 1k', 1n, 1n, { price: 2n, burned: 1n, fee: 1n, providerPayment: 0n }],
      // 199 tokens at 1,000 per 1k: 0.5% is 0.995 (burned 0 before), 1% is 1.99 (fee 1 before)
      ['199 tokens at 1,000 per 1k', 199n, 1_000n, { price: 199n, burned: 1n, fee: 2n, providerPayment: 196n }],
    ] as const)('a small job (%s) still pays a base unit of burn and fee, never escaping the protocol share', async (_, tokens, rate, parts) => {
      // Given a provider at `rate` on a free layer without royalty
      const provider = await f.registeredProvider({ pricePerThousand: rate });
      const layer = await f.publishedLayer({ pricePerThousand: 0n, royaltyBps: 0 });
      const c = await submittedJob(f, { layer, provider, maxTokens: 2_000n, maxPrice: rate, receipt: receiptOf(tokens) });
      f.warp(CHALLENGE_WINDOW);
      // When it settles
      const settler = await settle(f, c.job);
      // Then the burn and the fee are rounded up, and the parts still add up to the escrow
      const event = plain(eventOf(f, settler, 'jobSettled')) as Record<string, unknown>;
      expect(event).toMatchObject(parts);
      expect(sumOfParts(event)).toBe((2_000n * rate + 999n) / 1_000n);
    });

    it('is refused a second time', async () => {
      const c = await submittedJob(f);
      f.warp(CHALLENGE_WINDOW);
      await settle(f, c.job);
      const providerBalance = await f.computeOf(c.provider.publicKey);
      await expectAnchorError(() => settle(f, c.job), 'JobStatusMismatch', 6016);
      expect(await f.computeOf(c.provider.publicKey)).toBe(providerBalance);
    });

    it('is refused before the challenge window ends', async () => {
      const c = await submittedJob(f);
      f.warp(CHALLENGE_WINDOW - 1n);
      await expectAnchorError(() => settle(f, c.job), 'ChallengeWindowOpen', 6025);
      expect(await tokenBalance(f, c.vault)).toBe(JOB.escrow);
    });

    it('is refused for a job without a receipt', async () => {
      const c = await claimedJob(f);
      f.warp(CHALLENGE_WINDOW);
      await expectAnchorError(() => settle(f, c.job), 'JobStatusMismatch', 6016);
    });

    it("is refused with another job's vault", async () => {
      const c = await submittedJob(f);
      const other = await openJob(f);
      f.warp(CHALLENGE_WINDOW);
      await expectAnchorError(() => settleWith(c, { jobVault: other.vault }), 'ConstraintAddress', 2012);
      expect(await tokenBalance(f, other.vault)).toBe(JOB.escrow);
    });

    it("is refused with a client other than the job's", async () => {
      const c = await submittedJob(f);
      f.warp(CHALLENGE_WINDOW);
      await expectAnchorError(() => settleWith(c, { client: nobody() }), 'ClientMismatch', 6032);
    });

    it("is refused with a layer other than the job's", async () => {
      const c = await submittedJob(f);
      const { layer: other } = await f.publishedLayer();
      f.warp(CHALLENGE_WINDOW);
      await expectAnchorError(() => settleWith(c, { layer: other }), 'LayerMismatch', 6046);
    });

    it("is refused with another provider's account", async () => {
      const c = await submittedJob(f);
      const other = await f.registeredProvider();
      f.warp(CHALLENGE_WINDOW);
      await expectAnchorError(() => settleWith(c, { provider: f.market.providerAddress(other.publicKey) }), 'ProviderMismatch', 6017);
    });

    it("is refused with a provider wallet other than the job's", async () => {
      const c = await submittedJob(f);
      const other = await f.registeredProvider();
      f.warp(CHALLENGE_WINDOW);
      await expectAnchorError(() => settleWith(c, { providerAuthority: other.publicKey }), 'ConstraintAddress', 2012);
    });

    it("is refused when the provider's account is someone else's", async () => {
      const c = await submittedJob(f);
      f.warp(CHALLENGE_WINDOW);
      await expectAnchorError(() => settleWith(c, { providerToken: computeAta(f, c.client.publicKey) }), 'ConstraintTokenOwner', 2015);
    });

    it("is refused when the treasury's account is someone else's", async () => {
      const c = await submittedJob(f);
      f.warp(CHALLENGE_WINDOW);
      await expectAnchorError(() => settleWith(c, { treasuryToken: computeAta(f, c.provider.publicKey) }), 'ConstraintTokenOwner', 2015);
    });

    it("is refused when the client's account is someone else's", async () => {
      const c = await submittedJob(f);
      f.warp(CHALLENGE_WINDOW);
      await expectAnchorError(() => settleWith(c, { clientToken: computeAta(f, c.creator.publicKey) }), 'ConstraintTokenOwner', 2015);
    });


    it('is refused with a fake economy program', async () => {
      const c = await submittedJob(f);
      f.warp(CHALLENGE_WINDOW);
      await expectAnchorError(() => settleWith(c, { economyProgram: TOKEN_PROGRAM_ID }), 'ConstraintAddress', 2012);
    });

    it("is refused with a token program other than $COMPUTE's", async () => {
      const c = await submittedJob(f);
      f.warp(CHALLENGE_WINDOW);
      await expectAnchorError(() => settleWith(c, { tokenProgram: TOKEN_2022_PROGRAM_ID }), 'MintMismatch', 6034);
    });

    it("is refused with a royalty vault other than the market's", async () => {
      const c = await submittedJob(f);
      f.warp(CHALLENGE_WINDOW);
      // (another job's vault: the marketplace authority's, of the same mint)
      const other = await submittedJob(f);
      await expectAnchorError(() => settleWith(c, { royaltyVault: other.vault }), 'ConstraintAddress', 2012);
    });

    it("is refused with another provider's collateral (the economy program checks it)", async () => {
      const c = await submittedJob(f);
      const other = await f.registeredProvider();
      f.warp(CHALLENGE_WINDOW);
      await expectAnchorError(() => settleWith(c, { collateral: collateralAddress(other.publicKey) }), 'CollateralProviderMismatch', 6028);
      expect(await collateralJobs(c.provider)).toBe(1n);
    });
  });

  // ---------------------------------------------------------------- job_cancel
  describe('job_cancel', () => {
    const cancel = (client: MarketUser, job: PublicKey, clientToken?: PublicKey) => client.market.jobCancel({ client: client.publicKey, job, clientToken });

    it('refunds the whole escrow, closes the job and its vault with their rent to the client, and emits JobClosed', async () => {
      // Given an open job
      const o = await openJob(f);
      const rent = lamports(f, o.job) + lamports(f, o.vault);
      const before = lamports(f, o.client.publicKey);
      // When its client cancels it
      await cancel(o.client, o.job);
      // Then the escrow and both rents come back
      expect(await f.computeOf(o.client.publicKey)).toBe(JOB.clientCompute);
      expect(exists(f, o.job)).toBe(false);
      expect(exists(f, o.vault)).toBe(false);
      expect(lamports(f, o.client.publicKey) - before).toBe(rent - TX_FEE);
      expect(plain(eventOf(f, o.client, 'jobClosed'))).toEqual({ job: o.job.toBase58(), jobSerial: o.serial, client: o.client.publicKey.toBase58(), provider: DEFAULT_KEY, refund: JOB.escrow, expired: false });
    });

    it('works while the economy is paused', async () => {
      const o = await openJob(f);
      await paused(async () => {
        await cancel(o.client, o.job);
      });
      expect(await f.computeOf(o.client.publicKey)).toBe(JOB.clientCompute);
      expect(exists(f, o.job)).toBe(false);
    });

    it('returns anything sent to the vault on top of the escrow with the refund', async () => {
      const o = await openJob(f);
      donate(o.vault, 7n);
      await cancel(o.client, o.job);
      expect(await f.computeOf(o.client.publicKey)).toBe(JOB.clientCompute + 7n);
      expect(plain(eventOf(f, o.client, 'jobClosed'))).toMatchObject({ refund: JOB.escrow + 7n });
      expect(exists(f, o.vault)).toBe(false);
    });

    it('is refused to anyone but the client', async () => {
      const o = await openJob(f);
      const stranger = f.marketUser();
      await expectAnchorError(() => cancel(stranger, o.job), 'ClientMismatch', 6032);
      expect(await tokenBalance(f, o.vault)).toBe(JOB.escrow);
    });

    it('is refused once a provider claimed the job', async () => {
      const c = await claimedJob(f);
      await expectAnchorError(() => cancel(c.client, c.job), 'JobStatusMismatch', 6016);
      expect(await tokenBalance(f, c.vault)).toBe(JOB.escrow);
    });

    it("is refused with another job's vault", async () => {
      const o = await openJob(f);
      const other = await openJob(f);
      await expectAnchorError(() => sendWith(o.client, () => cancel(o.client, o.job), 'jobCancel', { jobVault: other.vault }), 'ConstraintAddress', 2012);
      expect(await tokenBalance(f, other.vault)).toBe(JOB.escrow);
    });

    it("is refused to refund into someone else's account", async () => {
      const o = await openJob(f);
      const other = f.marketUser(1n);
      await expectAnchorError(() => cancel(o.client, o.job, computeAta(f, other.publicKey)), 'ConstraintTokenOwner', 2015);
    });

    it("is refused with a token program other than $COMPUTE's", async () => {
      const o = await openJob(f);
      await expectAnchorError(() => sendWith(o.client, () => cancel(o.client, o.job), 'jobCancel', { tokenProgram: TOKEN_2022_PROGRAM_ID }), 'MintMismatch', 6034);
    });
  });

  // ---------------------------------------------------------------- job_expire
  describe('job_expire', () => {
    const expire = (by: MarketUser, job: PublicKey) => by.market.jobExpire({ job });
    const expireWith = (job: PublicKey, accounts: Record<string, PublicKey>) => {
      const by = f.marketUser();
      return sendWith(by, () => expire(by, job), 'jobExpire', accounts);
    };
    const expiredClaim = async () => {
      const c = await claimedJob(f);
      f.warp(JOB_TIMEOUT + 1n);
      return c;
    };

    it('lets anyone refund a job without a receipt after its deadline, closing it and releasing the lock, and emits JobClosed', async () => {
      // Given a claimed job past its deadline
      const c = await expiredClaim();
      const rent = lamports(f, c.job) + lamports(f, c.vault);
      const before = { compute: await f.computeOf(c.client.publicKey), lamports: lamports(f, c.client.publicKey) };
      // When a stranger expires it
      const stranger = f.marketUser();
      await expire(stranger, c.job);
      // Then the client gets the whole escrow and both rents
      expect(await f.computeOf(c.client.publicKey)).toBe(before.compute + JOB.escrow);
      expect(lamports(f, c.client.publicKey) - before.lamports).toBe(rent);
      expect(exists(f, c.job)).toBe(false);
      expect(exists(f, c.vault)).toBe(false);
      // And the provider has no open job, nor its collateral a lock
      expect((await fetchProvider(c.provider)).openJobs).toBe(0n);
      expect(await collateralJobs(c.provider)).toBe(0n);
      expect(await f.computeOf(c.provider.publicKey)).toBe(0n);
      expect(plain(eventOf(f, stranger, 'jobClosed'))).toEqual({
        job: c.job.toBase58(),
        jobSerial: c.serial,
        client: c.client.publicKey.toBase58(),
        provider: c.provider.publicKey.toBase58(),
        refund: JOB.escrow,
        expired: true,
      });
    });

    it('works while the economy is paused', async () => {
      const c = await expiredClaim();
      const before = await f.computeOf(c.client.publicKey);
      await paused(async () => {
        await expire(f.marketUser(), c.job);
      });
      expect(await f.computeOf(c.client.publicKey)).toBe(before + JOB.escrow);
    });

    it('is refused at the deadline itself', async () => {
      const c = await claimedJob(f);
      f.warp(JOB_TIMEOUT);
      await expectAnchorError(() => expire(f.marketUser(), c.job), 'DeadlineNotPassed', 6020);
      expect(await status(c.job)).toBe('claimed');
    });

    it('is refused for a job nobody claimed (its client cancels it instead)', async () => {
      const o = await openJob(f);
      f.warp(JOB_TIMEOUT + 1n);
      await expectAnchorError(() => expire(f.marketUser(), o.job), 'JobStatusMismatch', 6016);
    });

    it('is refused once the receipt is in', async () => {
      const c = await submittedJob(f);
      f.warp(JOB_TIMEOUT + 1n);
      await expectAnchorError(() => expire(f.marketUser(), c.job), 'JobStatusMismatch', 6016);
      expect(await tokenBalance(f, c.vault)).toBe(JOB.escrow);
    });

    it("is refused with another job's vault", async () => {
      const c = await expiredClaim();
      const other = await openJob(f);
      await expectAnchorError(() => expireWith(c.job, { jobVault: other.vault }), 'ConstraintAddress', 2012);
    });

    it("is refused with a client other than the job's", async () => {
      const c = await expiredClaim();
      await expectAnchorError(() => expireWith(c.job, { client: nobody() }), 'ClientMismatch', 6032);
    });

    it("is refused with another provider's account", async () => {
      const c = await expiredClaim();
      const other = await f.registeredProvider();
      await expectAnchorError(() => expireWith(c.job, { provider: f.market.providerAddress(other.publicKey) }), 'ProviderMismatch', 6017);
    });

    it("is refused with a provider wallet other than the job's", async () => {
      const c = await expiredClaim();
      const other = await f.registeredProvider();
      await expectAnchorError(() => expireWith(c.job, { providerAuthority: other.publicKey }), 'ConstraintAddress', 2012);
    });

    it("is refused to refund into someone else's account", async () => {
      const c = await expiredClaim();
      await expectAnchorError(() => expireWith(c.job, { clientToken: computeAta(f, c.creator.publicKey) }), 'ConstraintTokenOwner', 2015);
    });

    it('is refused with a fake economy program', async () => {
      const c = await expiredClaim();
      await expectAnchorError(() => expireWith(c.job, { economyProgram: TOKEN_PROGRAM_ID }), 'ConstraintAddress', 2012);
    });

    it("is refused with another provider's collateral (the economy program checks it)", async () => {
      const c = await expiredClaim();
      const other = await f.registeredProvider();
      await expectAnchorError(() => expireWith(c.job, { collateral: collateralAddress(other.publicKey) }), 'CollateralProviderMismatch', 6028);
    });
  });

  // ---------------------------------------------------------------- job_rate and job_close
  describe('job_rate', () => {
    const settledJob = async (o: { provider?: RegisteredProvider; layer?: Awaited<ReturnType<MarketFixture['publishedLayer']>> } = {}) => {
      const c = await submittedJob(f, o);
      f.warp(CHALLENGE_WINDOW);
      await settle(f, c.job);
      return c;
    };
    const rate = (client: MarketUser, job: PublicKey, rating: number) => client.market.jobRate({ client: client.publicKey, job, rating });

    it("adds the rating to the provider's and the layer's, closes the job with its rent to the client, and emits JobRated", async () => {
      // Given a settled job
      const c = await settledJob();
      const rent = lamports(f, c.job);
      const before = lamports(f, c.client.publicKey);
      // When the client rates it 4
      await rate(c.client, c.job, 4);
      // Then both reputations hold it beside the job counts
      expect(await fetchProvider(c.provider)).toMatchObject({ ratingSum: 4n, ratingCount: 1n, jobsCompleted: 1n, tokensServed: JOB.tokensUsed });
      expect(await fetchLayer(c.layer)).toMatchObject({ ratingSum: 4n, ratingCount: 1n, jobsCompleted: 1n, tokensServed: JOB.tokensUsed });
      // And the job is closed, its rent back to the client
      expect(exists(f, c.job)).toBe(false);
      expect(lamports(f, c.client.publicKey) - before).toBe(rent - TX_FEE);
      expect(plain(eventOf(f, c.client, 'jobRated'))).toEqual({
        job: c.job.toBase58(),
        jobSerial: c.serial,
        provider: c.provider.publicKey.toBase58(),
        rating: 4,
        providerRatingSum: 4n,
        providerRatingCount: 1n,
        layerRatingSums: [4n, 0n, 0n, 0n],
        layerRatingCounts: [1n, 0n, 0n, 0n],
      });
    });

    it('adds up over jobs', async () => {
      // Given one provider and one layer served two jobs of 1,500 and 500 tokens
      const provider = await f.registeredProvider({ pricePerThousand: JOB.providerPrice });
      const layer = await f.publishedLayer({ pricePerThousand: JOB.layerPrice });
      const first = await settledJob({ provider, layer });
      const second = await submittedJob(f, { provider, layer, receipt: receiptOf(500n) });
      f.warp(CHALLENGE_WINDOW);
      await settle(f, second.job);
      // When they are rated 5 and 2
      await rate(first.client, first.job, 5);
      await rate(second.client, second.job, 2);
      // Then
      const expected = { jobsCompleted: 2n, tokensServed: 2_000n, ratingSum: 7n, ratingCount: 2n };
      expect(await fetchProvider(provider)).toMatchObject(expected);
      expect(await fetchLayer(layer.layer)).toMatchObject(expected);
    });

    it('is refused for a rating outside 1 to 5', async () => {
      const c = await settledJob();
      await expectAnchorError(() => rate(c.client, c.job, 0), 'InvalidRating', 6033);
      await expectAnchorError(() => rate(c.client, c.job, 6), 'InvalidRating', 6033);
      expect((await fetchProvider(c.provider)).ratingCount).toBe(0n);
    });

    it('is refused to anyone but the client', async () => {
      const c = await settledJob();
      const stranger = f.marketUser();
      await expectAnchorError(() => rate(stranger, c.job, 1), 'ClientMismatch', 6032);
    });

    it('is refused before the job is settled', async () => {
      const c = await submittedJob(f);
      await expectAnchorError(() => rate(c.client, c.job, 5), 'JobStatusMismatch', 6016);
    });

    it('is refused a second time (the job is closed)', async () => {
      const c = await settledJob();
      await rate(c.client, c.job, 5);
      await expectAnchorError(
        () => c.client.market.program.methods.jobRate(5).accountsPartial({ client: c.client.publicKey, job: c.job, provider: f.market.providerAddress(c.provider.publicKey), ...f.market.genomeAccounts([c.layer]) }).rpc(),
        'AccountNotInitialized',
        3012,
      );
      expect((await fetchProvider(c.provider)).ratingCount).toBe(1n);
    });

    it("is refused with another provider's account", async () => {
      const c = await settledJob();
      const other = await f.registeredProvider();
      await expectAnchorError(() => sendWith(c.client, () => rate(c.client, c.job, 1), 'jobRate', { provider: f.market.providerAddress(other.publicKey) }), 'ProviderMismatch', 6017);
    });

    it("is refused with a layer other than the job's", async () => {
      const c = await settledJob();
      const { layer: other } = await f.publishedLayer();
      await expectAnchorError(() => sendWith(c.client, () => rate(c.client, c.job, 1), 'jobRate', { layer: other }), 'LayerMismatch', 6046);
    });
  });

  describe('job_close', () => {
    const close = (client: MarketUser, job: PublicKey) => client.market.jobClose({ client: client.publicKey, job });

    it('closes a settled job unrated, its rent to the client, and emits JobClosed', async () => {
      const c = await submittedJob(f);
      f.warp(CHALLENGE_WINDOW);
      await settle(f, c.job);
      const rent = lamports(f, c.job);
      const before = lamports(f, c.client.publicKey);
      await close(c.client, c.job);
      expect(exists(f, c.job)).toBe(false);
      expect(lamports(f, c.client.publicKey) - before).toBe(rent - TX_FEE);
      expect((await fetchProvider(c.provider)).ratingCount).toBe(0n);
      expect(plain(eventOf(f, c.client, 'jobClosed'))).toEqual({
        job: c.job.toBase58(),
        jobSerial: c.serial,
        client: c.client.publicKey.toBase58(),
        provider: c.provider.publicKey.toBase58(),
        refund: 0n,
        expired: false,
      });
    });

    it('is refused to anyone but the client', async () => {
      const c = await submittedJob(f);
      f.warp(CHALLENGE_WINDOW);
      await settle(f, c.job);
      await expectAnchorError(() => close(f.marketUser(), c.job), 'ClientMismatch', 6032);
    });

    it('is refused before the job is settled', async () => {
      const c = await submittedJob(f);
      await expectAnchorError(() => close(c.client, c.job), 'JobStatusMismatch', 6016);
      expect(await tokenBalance(f, c.vault)).toBe(JOB.escrow);
    });
  });
});
