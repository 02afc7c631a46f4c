import { BN } from '@coral-xyz/anchor';
import { PublicKey } from '@solana/web3.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { type GenomeLayer, PROGRAM_IDS, buildJobRequest, canonicalJobRequest, requestCid, sha256 } from '../src/index.ts';
import { expectAnchorError } from './anchor-errors.ts';
import { WHOLE } from './economy-fixture.ts';
import { MarketFixture } from './market-fixture.ts';
import { type MarketUser, type PublishedLayer, eventOf, exists, plain, receiptOf, tokenBalance, transferLayerToken } from './marketplace-job-helpers.ts';

const CHALLENGE_WINDOW = 300n;
const FLOOR = 100_000n;

/** A request running `layers` at `scales` over qwen2-0.5b, at most 2,000 tokens. */
const requestFor = (layers: PublicKey[], scales: number[] = layers.map(() => 10_000), baseModel = 'qwen2-0.5b') =>
  buildJobRequest({
    baseModel,
    layers: layers.map((layer, i) => ({ layer, version: 1, scale: scales[i]! })),
    input: { messages: [{ role: 'user', content: 'Sing me a sea shanty' }] },
    sampling: { seed: 7, temperature: 0.8, topK: 40, topP: 0.95, repeatPenalty: 1.1, maxTokens: 2_000 },
  });

// One chain for the file; every test makes its own layers, providers, clients and jobs.
describe('genome jobs: 1–4 layers stacked with scales, royalties accrued per layer and cascading up the lineage (existing mints)', () => {
  let f: MarketFixture;

  beforeAll(async () => {
    f = await new MarketFixture('existing mints').setup();
  });

  const layer = (o: { royaltyBps?: number; parent?: PublishedLayer; parentShareBps?: number; baseModel?: string } = {}) =>
    f.publishedLayer({ pricePerThousand: FLOOR, royaltyBps: o.royaltyBps ?? 1_000, parent: o.parent?.layer, parentShareBps: o.parentShareBps ?? 0, baseModel: o.baseModel ?? 'qwen2-0.5b' });
  const accrued = (l: PublishedLayer) => f.market.accruedRoyalty(l.layer);

  it('runs a four-layer genome create → claim → receipt → settle over the SDK; each layer accrues its royalty, each holder claims it (one after buying the token) and the lineage gets its shares', async () => {
    // Given a lineage A ← B (half of B's royalty up) ← D (a quarter of D's up), and an unrelated C
    const a = await layer({ royaltyBps: 500 });
    const b = await layer({ royaltyBps: 1_000, parent: a, parentShareBps: 5_000 });
    const c = await layer({ royaltyBps: 300 });
    const d = await layer({ royaltyBps: 200, parent: b, parentShareBps: 2_500 });
    const provider = await f.registeredProvider({ pricePerThousand: 2_000_000n });
    const client = f.marketUser(100n * WHOLE);
    const vault0 = await tokenBalance(f, f.market.royaltyVaultAddress());
    // When a client runs D, B, C and A stacked at 0.5, 1.0, 2.0 and 0.0001
    const request = requestFor([d, b, c, a].map((l) => l.layer), [5_000, 10_000, 20_000, 1]);
    const created = await client.market.createJob({ client: client.publicKey, jobId: 1, request, maxPricePerThousand: 2_500_000 });
    // Then the job and its event carry the genome, the floors' sum, the request's hash and CID
    const genome = [d, b, c, a].map((l, i) => ({ layer: l.layer.toBase58(), version: 1, scaleBps: [5_000, 10_000, 20_000, 1][i], royaltyBps: [200, 1_000, 300, 500][i] }));
    expect(plain(await f.market.fetchJob(created.job))).toMatchObject({ layerCount: 4, layers: genome, floorPerThousand: 4n * FLOOR, requestHash: [...sha256(canonicalJobRequest(request))], requestCid: created.request.cid });
    expect(plain(eventOf(f, client, 'jobCreated'))).toMatchObject({ layerCount: 4, layers: genome, requestCid: requestCid(canonicalJobRequest(request)) });
    // And it is claimed, answered (1,500 tokens: a price of 3,000,000) and settled
    await provider.market.jobClaim({ authority: provider.publicKey, job: created.job });
    await provider.market.submitReceipt({ job: created.job, nodeKey: provider.nodeKey, receipt: receiptOf(1_500n) });
    f.warp(CHALLENGE_WINDOW);
    const settler = f.marketUser();
    await settler.market.jobSettle({ job: created.job });
    // Then each layer accrues its bps of the price (D 2%, B 10%, C 3%, A 5%) and counts the job
    expect(plain(eventOf(f, settler, 'jobSettled'))).toMatchObject({
      price: 3_000_000n,
      royalty: 600_000n,
      royalties: [60_000n, 300_000n, 90_000n, 150_000n],
      accruedRoyalties: [60_000n, 300_000n, 90_000n, 150_000n],
      burned: 15_000n,
      fee: 30_000n,
      providerPayment: 2_355_000n,
      layerJobsCompleted: [1n, 1n, 1n, 1n],
    });
    for (const l of [a, b, c, d]) expect(plain(await f.market.fetchLayer(l.layer))).toMatchObject({ jobsCompleted: 1n, tokensServed: 1_500n });
    // When C's token is sold and every layer's royalty is claimed, leaves first
    const buyer = f.marketUser();
    transferLayerToken(c.creator, c.mint, buyer.publicKey);
    const cranker: MarketUser = f.marketUser();
    for (const l of [d, b, a, c]) await cranker.market.claimRoyalty({ layer: l.layer });
    // Then D keeps 45,000 and passes 15,000 to B; B keeps 157,500 of 315,000 and passes the rest to A
    expect(await f.computeOf(d.creator.publicKey)).toBe(45_000n);
    expect(await f.computeOf(b.creator.publicKey)).toBe(157_500n);
    expect(await f.computeOf(a.creator.publicKey)).toBe(307_500n);
    // And C's royalty went to its buyer, not its creator
    expect(await f.computeOf(buyer.publicKey)).toBe(90_000n);
    expect(await f.computeOf(c.creator.publicKey)).toBe(0n);
    // And nothing is left accrued; the vault is back where it was
    for (const l of [a, b, c, d]) expect(await accrued(l)).toBe(0n);
    expect(await tokenBalance(f, f.market.royaltyVaultAddress())).toBe(vault0);
  });

  describe('job_create refuses a bad genome or request, creating nothing', () => {
    /** `job_create` with explicit terms by a fresh client; the job it would create. */
    const create = async (layers: GenomeLayer[], o: { requestCid?: string; maxPrice?: bigint } = {}) => {
      const client = f.marketUser(100n * WHOLE);
      const job = f.market.jobAddress(client.publicKey, 1);
      const bytes = canonicalJobRequest(requestFor([PublicKey.default]));
      const call = () =>
        client.market.createJobWith({
          client: client.publicKey,
          jobId: 1,
          layers,
          requestCid: o.requestCid ?? requestCid(bytes),
          requestHash: sha256(bytes),
          maxTokens: 2_000,
          maxPricePerThousand: o.maxPrice ?? 2_500_000n,
        });
      return { call, job };
    };
    const refused = async (layers: GenomeLayer[], name: string, code: number, o: { requestCid?: string; maxPrice?: bigint } = {}) => {
      const { call, job } = await create(layers, o);
      await expectAnchorError(call, name, code);
      expect(exists(f, job)).toBe(false);
    };
    const at = (l: PublishedLayer, version = 1, scaleBps = 10_000): GenomeLayer => ({ layer: l.layer, version, scaleBps });

    it('a layer listed twice (LayerRepeated)', async () => {
      const x = await layer();
      const y = await layer();
      await refused([at(x), at(y), at(x)], 'LayerRepeated', 6047);
    });

    it("several layers whose royalties with the burn and fee exceed the price (RoyaltyBpsExceeded), accepted at 100%", async () => {
      // 0.5% burn + 1% fee: two layers of 60% each ask 121.5% (a stack that would dilute an honest
      // layer); 60% + 38.5% is exactly 100%, and one layer alone is never refused for it
      const [greedy, alsoGreedy] = [await layer({ royaltyBps: 6_000 }), await layer({ royaltyBps: 6_000 })];
      await refused([at(greedy), at(alsoGreedy)], 'RoyaltyBpsExceeded', 6005);
      const { call } = await create([at(greedy), at(await layer({ royaltyBps: 3_850 }))]);
      await call();
    });

    it('layers of different base models (BaseModelMismatch)', async () => {
      await refused([at(await layer()), at(await layer({ baseModel: 'llama-3-8b' }))], 'BaseModelMismatch', 6048);
    });

    it('a retired layer (LayerRetired)', async () => {
      const retired = await layer();
      await retired.creator.market.layerRetire({ holder: retired.creator.publicKey, layer: retired.layer });
      await refused([at(await layer()), at(retired)], 'LayerRetired', 6010);
    });

    it('a version that does not exist, or version 0 (VersionNotFound)', async () => {
      const x = await layer();
      await refused([at(x, 2)], 'VersionNotFound', 6049);
      await refused([at(x, 0)], 'VersionNotFound', 6049);
    });

    it('a scale of 0 or above 20,000 basis points (ScaleOutOfRange), and accepts 1 and 20,000', async () => {
      const x = await layer();
      const y = await layer();
      await refused([at(x, 1, 0)], 'ScaleOutOfRange', 6050);
      await refused([at(x, 1, 20_001)], 'ScaleOutOfRange', 6050);
      const { call, job } = await create([at(x, 1, 1), at(y, 1, 20_000)]);
      await call();
      expect(plain(await f.market.fetchJob(job))).toMatchObject({ layerCount: 2 });
    });

    it('no layer, or a choice for a layer that is not there (LayerCountMismatch)', async () => {
      // No first layer: the program's own id stands in its slot
      await refused([{ layer: PROGRAM_IDS.marketplace, version: 1, scaleBps: 10_000 }], 'AccountOwnedByWrongProgram', 3007);
      // A version and scale given past the last layer account (a fifth layer cannot even be named),
      // and a gap: a third layer without a second
      const [x, y] = [await layer(), await layer()];
      const client = f.marketUser(100n * WHOLE);
      const bytes = canonicalJobRequest(requestFor([x.layer]));
      const config = (await f.client.fetchConfig())!;
      const one = { version: 1, scaleBps: 10_000 };
      const none = { version: 0, scaleBps: 0 };
      const send = (choices: { version: number; scaleBps: number }[], layers: { layer: PublicKey; layer2: PublicKey | null; layer3: PublicKey | null; layer4: PublicKey | null }) =>
        client.market.program.methods
          .jobCreate(new BN(1), PublicKey.default, [...sha256(bytes)], new BN(2_000), new BN(2_500_000), choices, requestCid(bytes))
          .accountsPartial({ client: client.publicKey, ...layers, economyConfig: f.client.addresses.config, computeMint: config.computeMint, clientToken: client.market.computeAccount(config, client.publicKey), tokenProgram: config.computeTokenProgram })
          .rpc();
      await expectAnchorError(() => send([one, one, none, none], client.market.genomeAccounts([x.layer])), 'LayerCountMismatch', 6051);
      await expectAnchorError(() => send([one, none, one, none], { layer: x.layer, layer2: null, layer3: y.layer, layer4: null }), 'LayerCountMismatch', 6051);
      expect(exists(f, f.market.jobAddress(client.publicKey, 1))).toBe(false);
    });

    it('a maximum price below the sum of the layers\' floors (PriceExceeded), accepted at it', async () => {
      const [x, y, z] = [await layer(), await layer(), await layer()];
      await refused([at(x), at(y), at(z)], 'PriceExceeded', 6015, { maxPrice: 3n * FLOOR - 1n });
      const { call } = await create([at(x), at(y), at(z)], { maxPrice: 3n * FLOOR });
      await call();
    });

    it.each([
      ['a CIDv0', 'QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG'],
      ['upper case', 'BAFKREIHDWDCEFGH4DQKJV67UZCMW7OJEE6XEDZDETOJUZJEVTENXQUVYKU'],
      ['base58btc', 'zb2rhe5P4gXftAwvA4eXQ5HJwsER2owDyS9sKaQRRVQPn93bA'],
      ['too short', 'bafkrei'],
      ['not base32', 'bafkrei0dwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku'],
    ])('a request CID that is not a CIDv1 in base32: %s (InvalidRequestCid)', async (_, cid) => {
      await refused([at(await layer())], 'InvalidRequestCid', 6045, { requestCid: cid });
    });

    it('a request CID over 64 characters', async () => {
      const { call, job } = await create([at(await layer())], { requestCid: `ba${'a'.repeat(63)}` });
      await expect(call()).rejects.toThrow();
      expect(exists(f, job)).toBe(false);
    });
  });

  it("the SDK refuses a request whose base model is not its layers'", async () => {
    const x = await layer();
    const client = f.marketUser(100n * WHOLE);
    await expect(client.market.createJob({ client: client.publicKey, jobId: 1, request: requestFor([x.layer], undefined, 'llama-3-8b'), maxPricePerThousand: 2_500_000 })).rejects.toThrow(/applies to qwen2-0.5b, the request to llama-3-8b/);
  });
});
