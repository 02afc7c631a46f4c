import { BN, type Program } from '@coral-xyz/anchor';
import { TOKEN_2022_PROGRAM_ID, getAccount, getMetadataPointerState, getMint, getTokenMetadata } from '@solana/spl-token';
import { Keypair, PublicKey, SystemProgram, Transaction, type TransactionInstruction } from '@solana/web3.js';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type LayerPublication,
  MARKETPLACE_CALLER,
  type Marketplace,
  MarketplaceClient,
  type MarketParams,
  PROGRAM_IDS,
  collateralAddress,
  decodeEvents,
  defaultMarketParams,
  marketplacePda,
  marketplaceProgram,
  sha256,
} from '../src/index.ts';
import { expectAnchorError } from './anchor-errors.ts';
import { MarketFixture, layerSpec } from './market-fixture.ts';
import { b58, emptyLayerHolding, hex, layerHolding, rawAccount, sendRaw, slot, str, transferLayerToken, unsign, withPlanted } from './marketplace-layer-helpers.ts';

const MAX_WINDOW = 7 * 86_400;
const URI = layerSpec().uri;
const CID = URI.slice('ipfs://'.length);
const URI2 = 'ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi';
const CID2 = URI2.slice('ipfs://'.length);

type User = ReturnType<MarketFixture['marketUser']>;

/** The instruction argument Anchor encodes for a publication. */
const specOf = (l: LayerPublication) => ({
  name: l.name,
  uri: l.uri,
  sha256: [...l.sha256],
  size: new BN(l.size.toString()),
  baseModel: l.baseModel,
  license: l.license,
  pricePerThousand: new BN(l.pricePerThousand.toString()),
  royaltyBps: l.royaltyBps,
  parentShareBps: l.parentShareBps ?? 0,
});

/** A `layer_publish` instruction for `creator`, built by Anchor, for tampering with. */
async function publishIx(f: MarketFixture, creator: PublicKey, overrides: Partial<LayerPublication> = {}, mint = Keypair.generate()) {
  const l = layerSpec(overrides);
  const ix = await f.market.program.methods
    .layerPublish(specOf(l))
    .accountsPartial({
      economyConfig: f.client.addresses.config,
      creator,
      mint: mint.publicKey,
      creatorHolding: layerHolding(mint.publicKey, creator),
      parentLayer: l.parent ?? null,
    })
    .instruction();
  return { ix, mint };
}


// ---------------------------------------------------------------------------------------------

describe('market_init', () => {
  let f: MarketFixture;
  const market = marketplacePda.market();

  beforeAll(async () => {
    // Given a chain with both programs deployed, the economy configured and no market yet
    f = await new MarketFixture().setupEconomy();
  });
  /** What `market_init` takes besides the admin. */
  const initAccounts = () => ({ admin: f.admin, economyConfig: f.client.addresses.config, computeMint: f.computeMint, tokenProgram: f.tokenProgram });

  const init = (params: MarketParams, m: MarketplaceClient = f.market, admin = f.admin) => m.marketInit({ admin, params });

  const badParams: [string, Partial<MarketParams>][] = [
    ['job_timeout below 60 s', { jobTimeout: new BN(59) }],
    ['job_timeout above 7 days', { jobTimeout: new BN(MAX_WINDOW + 1) }],
    ['challenge_window negative', { challengeWindow: new BN(-1) }],
    ['challenge_window above 7 days', { challengeWindow: new BN(MAX_WINDOW + 1) }],
    ['vote_window below 60 s', { voteWindow: new BN(59) }],
    ['vote_window above 7 days', { voteWindow: new BN(MAX_WINDOW + 1) }],
    ['quorum below 2', { quorum: 1 }],
    ['quorum above 4', { quorum: 5 }],
    ['challenger_bps above 10,000', { challengerBps: 10_001 }],
    ['reward_bps above 10,000', { rewardBps: 10_001 }],
    ['min_bond zero', { minBond: new BN(0) }],
  ];

  // These run first, while the market does not exist.
  it.each(badParams)('rejects %s with ParamsOutOfBounds, creating nothing', async (_, overrides) => {
    await expectAnchorError(() => init(defaultMarketParams(overrides)), 'ParamsOutOfBounds', 6000);
    expect(rawAccount(f, market)).toBeNull();
  });

  it('rejects an admin that did not sign with AccountNotSigner', async () => {
    const ix = await f.market.program.methods.marketInit(defaultMarketParams(), Keypair.generate().publicKey).accountsPartial(initAccounts()).instruction();
    await expectAnchorError(() => sendRaw(f.provider, unsign(ix, 'market_init', 'admin')), 'AccountNotSigner', 3010);
    expect(rawAccount(f, market)).toBeNull();
  });

  it('rejects an address other than the market PDA with ConstraintSeeds', async () => {
    const ix = await f.market.program.methods.marketInit(defaultMarketParams(), Keypair.generate().publicKey).accountsPartial(initAccounts()).instruction();
    ix.keys[slot('market_init', 'market')]!.pubkey = Keypair.generate().publicKey;
    await expectAnchorError(() => sendRaw(f.provider, ix), 'ConstraintSeeds', 2006);
  });

  it('creates the market with the signer as admin and emits MarketInitialized', async () => {
    // When the admin initialises with non-default parameters
    const params = defaultMarketParams({ jobTimeout: new BN(900), challengeWindow: new BN(120), voteWindow: new BN(1_200), quorum: 3, slashAmount: new BN(77), challengerBps: 2_500, rewardBps: 250, minBond: new BN(5) });
    await init(params);
    // Then the market holds them, its counters at zero
    const m = (await f.market.fetchMarket())!;
    expect(m.admin.toBase58()).toBe(f.admin.toBase58());
    expect([m.params.jobTimeout, m.params.challengeWindow, m.params.voteWindow, m.params.slashAmount, m.params.minBond].map(str)).toEqual(['900', '120', '1200', '77', '5']);
    expect([m.params.quorum, m.params.challengerBps, m.params.rewardBps]).toEqual([3, 2_500, 250]);
    expect([m.layersPublished, m.jobsCreated, m.challengesOpened, m.jobsSettled, m.totalRoyalties, m.totalProviderPayments].map(str)).toEqual(['0', '0', '0', '0', '0', '0']);
    // And it names the cluster it runs on: the chain's genesis hash, which every signed message binds
    const genesis = new PublicKey(await f.provider.connection.getGenesisHash()).toBase58();
    expect(m.cluster.toBase58()).toBe(genesis);
    expect(m.bump).toBe(PublicKey.findProgramAddressSync([Buffer.from('market')], PROGRAM_IDS.marketplace)[1]);
    expect(rawAccount(f, market)!.data.length).toBe(f.market.program.account.market.size);
    // And the event carries the admin and the parameters
    const events = decodeEvents(f.market.program, f.provider.last!.logs);
    expect(events.map((e) => e.name)).toEqual(['marketInitialized']);
    expect(b58(events[0]!.data.admin)).toBe(f.admin.toBase58());
    expect(b58(events[0]!.data.cluster)).toBe(genesis);
    const p = events[0]!.data.params as MarketParams;
    expect([str(p.jobTimeout), p.quorum, str(p.slashAmount), p.challengerBps, p.rewardBps, str(p.minBond)]).toEqual(['900', 3, '77', 2_500, 250, '5']);
  });

  it('cannot be initialised again, by the admin or anyone else (AccountDiscriminatorAlreadySet)', async () => {
    // Given the market exists (the previous test made it)
    expect(rawAccount(f, market)).not.toBeNull();
    // When the admin or a stranger initialises again, Then both fail and the admin stays
    await expectAnchorError(() => init(defaultMarketParams()), 'AccountDiscriminatorAlreadySet', 3000);
    const stranger = f.user();
    const strangerMarket = new MarketplaceClient(marketplaceProgram(stranger.provider), stranger.client);
    await expectAnchorError(() => init(defaultMarketParams(), strangerMarket, stranger.publicKey), 'AccountDiscriminatorAlreadySet', 3000);
    const m = (await f.market.fetchMarket())!;
    expect(m.admin.toBase58()).toBe(f.admin.toBase58());
    expect(m.params.quorum).toBe(3);
  });
});

// ---------------------------------------------------------------------------------------------

describe('with a configured economy and market (existing mints)', () => {
  let f: MarketFixture;

  beforeAll(async () => {
    f = await new MarketFixture('existing mints').setup();
  });

  describe('market_update', () => {
    const market = () => marketplacePda.market();
    const update = (params: MarketParams, m: MarketplaceClient = f.market, admin = f.admin) => m.marketUpdate({ admin, params });

    it('replaces the parameters for the admin and emits MarketUpdated', async () => {
      const before = (await f.market.fetchMarket())!;
      // When the admin sets every bound to its edge, lows then highs
      await update(defaultMarketParams({ jobTimeout: new BN(60), challengeWindow: new BN(0), voteWindow: new BN(60), quorum: 2, challengerBps: 0, rewardBps: 0, minBond: new BN(1) }));
      expect(str((await f.market.fetchMarket())!.params.challengeWindow)).toBe('0');
      const high = defaultMarketParams({ jobTimeout: new BN(MAX_WINDOW), challengeWindow: new BN(MAX_WINDOW), voteWindow: new BN(MAX_WINDOW), quorum: 4, slashAmount: new BN(9), challengerBps: 10_000, rewardBps: 10_000, minBond: new BN(3) });
      await update(high);
      // Then the market holds them, and nothing else changed
      const m = (await f.market.fetchMarket())!;
      expect([m.params.jobTimeout, m.params.challengeWindow, m.params.voteWindow, m.params.slashAmount, m.params.minBond].map(str)).toEqual([String(MAX_WINDOW), String(MAX_WINDOW), String(MAX_WINDOW), '9', '3']);
      expect([m.params.quorum, m.params.challengerBps, m.params.rewardBps]).toEqual([4, 10_000, 10_000]);
      expect(m.admin.toBase58()).toBe(before.admin.toBase58());
      expect(str(m.layersPublished)).toBe(str(before.layersPublished));
      expect(m.bump).toBe(before.bump);
      // And the event carries the new parameters
      const [event, ...rest] = decodeEvents(f.market.program, f.provider.last!.logs);
      expect(rest).toEqual([]);
      expect(event!.name).toBe('marketUpdated');
      expect(b58(event!.data.admin)).toBe(f.admin.toBase58());
      const p = event!.data.params as MarketParams;
      expect([str(p.jobTimeout), p.quorum, str(p.slashAmount), p.challengerBps, p.rewardBps, str(p.minBond)]).toEqual([String(MAX_WINDOW), 4, '9', 10_000, 10_000, '3']);
      await update(defaultMarketParams());
    });

    it('refuses anyone but the admin with AdminMismatch', async () => {
      const before = rawAccount(f, market())!.data;
      const stranger = f.marketUser();
      await expectAnchorError(() => update(defaultMarketParams({ quorum: 4 }), stranger.market, stranger.publicKey), 'AdminMismatch', 6001);
      expect(rawAccount(f, market())!.data).toEqual(before);
    });

    it('rejects an admin that did not sign with AccountNotSigner', async () => {
      const ix = await f.market.program.methods.marketUpdate(defaultMarketParams({ quorum: 4 })).accounts({ admin: f.admin }).instruction();
      const i = slot('market_update', 'admin');
      ix.keys[i] = { pubkey: f.admin, isSigner: false, isWritable: false };
      // The admin is the fee payer here, so another wallet pays and the admin does not sign.
      const payer = f.marketUser();
      const before = rawAccount(f, market())!.data;
      await expectAnchorError(() => sendRaw(payer.provider, ix), 'AccountNotSigner', 3010);
      expect(rawAccount(f, market())!.data).toEqual(before);
    });

    it.each([
      ['job_timeout 59', { jobTimeout: new BN(59) }],
      ['job_timeout 7 days + 1', { jobTimeout: new BN(MAX_WINDOW + 1) }],
      ['challenge_window -1', { challengeWindow: new BN(-1) }],
      ['challenge_window 7 days + 1', { challengeWindow: new BN(MAX_WINDOW + 1) }],
      ['vote_window 59', { voteWindow: new BN(59) }],
      ['vote_window 7 days + 1', { voteWindow: new BN(MAX_WINDOW + 1) }],
      ['quorum 1', { quorum: 1 }],
      ['quorum 5', { quorum: 5 }],
      ['challenger_bps 10,001', { challengerBps: 10_001 }],
      ['reward_bps 10,001', { rewardBps: 10_001 }],
      ['min_bond 0', { minBond: new BN(0) }],
    ] as [string, Partial<MarketParams>][])('rejects %s with ParamsOutOfBounds, changing nothing', async (_, overrides) => {
      const before = rawAccount(f, market())!.data;
      await expectAnchorError(() => update(defaultMarketParams(overrides)), 'ParamsOutOfBounds', 6000);
      expect(rawAccount(f, market())!.data).toEqual(before);
    });

    it('rejects a market account owned by another program with AccountOwnedByWrongProgram', async () => {
      const real = rawAccount(f, market())!;
      await withPlanted(f, market(), real.data, PROGRAM_IDS.economy, () =>
        expectAnchorError(() => update(defaultMarketParams({ quorum: 4 })), 'AccountOwnedByWrongProgram', 3007),
      );
    });

    it('rejects a Provider account at the market address with AccountDiscriminatorMismatch', async () => {
      const provider = await f.registeredProvider();
      const providerData = rawAccount(f, f.market.providerAddress(provider.publicKey))!.data;
      await withPlanted(f, market(), providerData, PROGRAM_IDS.marketplace, () =>
        expectAnchorError(() => update(defaultMarketParams({ quorum: 4 })), 'AccountDiscriminatorMismatch', 3002),
      );
    });
  });

  // -------------------------------------------------------------------------------------------

  describe('layer_publish', () => {
    it('creates the layer, its version 1, counts it in the market and emits LayerPublished', async () => {
      const before = (await f.market.fetchMarket())!;
      const creator = f.marketUser();
      // When a creator publishes
      const spec = layerSpec({ name: 'Pirate speak', pricePerThousand: 1_234_567n, royaltyBps: 777, size: 9_999 });
      const { layer, mint } = await creator.market.publishLayer({ creator: creator.publicKey, layer: spec });
      // Then the layer account describes it
      expect(layer.toBase58()).toBe(marketplacePda.layer(mint).toBase58());
      const l = (await f.market.fetchLayer(layer))!;
      expect(l.mint.toBase58()).toBe(mint.toBase58());
      expect(l.creator.toBase58()).toBe(creator.publicKey.toBase58());
      expect(l.parent.toBase58()).toBe(PublicKey.default.toBase58());
      expect(l.parentMint.toBase58()).toBe(PublicKey.default.toBase58());
      expect(l.version).toBe(1);
      expect([l.pricePerThousand, l.size, l.publishedTs].map(str)).toEqual(['1234567', '9999', str(f.now())]);
      expect([l.royaltyBps, l.parentShareBps, l.retired]).toEqual([777, 0, false]);
      expect(hex(l.sha256)).toBe(hex(spec.sha256));
      expect([l.name, l.baseModel, l.license, l.cid]).toEqual(['Pirate speak', 'qwen2-0.5b', 'Apache-2.0', CID]);
      expect([l.jobsCompleted, l.jobsChallenged, l.jobsSlashed, l.tokensServed, l.ratingSum, l.ratingCount, l.royaltiesEarned].map(str)).toEqual(['0', '0', '0', '0', '0', '0', '0']);
      expect(l.bump).toBe(PublicKey.findProgramAddressSync([Buffer.from('layer'), mint.toBuffer()], PROGRAM_IDS.marketplace)[1]);
      // And its version 1
      const v = (await f.market.fetchLayerVersion(layer, 1))!;
      expect(v.layer.toBase58()).toBe(layer.toBase58());
      expect([v.version, v.cid, hex(v.sha256), str(v.size), str(v.publishedTs)]).toEqual([1, CID, hex(spec.sha256), '9999', str(f.now())]);
      // And the market counted it
      expect(str((await f.market.fetchMarket())!.layersPublished)).toBe(str(before.layersPublished.addn(1)));
      // And the event says all of it
      const events = decodeEvents(f.market.program, creator.provider.last!.logs);
      expect(events.map((e) => e.name)).toEqual(['layerPublished']);
      const e = events[0]!.data;
      expect([e.layer, e.mint, e.creator, e.parent].map(b58)).toEqual([layer, mint, creator.publicKey, PublicKey.default].map((k) => k.toBase58()));
      expect([e.version, e.royaltyBps, e.parentShareBps, e.name, e.baseModel, e.license, e.cid]).toEqual([1, 777, 0, 'Pirate speak', 'qwen2-0.5b', 'Apache-2.0', CID]);
      expect([e.size, e.pricePerThousand, e.publishedTs].map(str)).toEqual(['9999', '1234567', str(f.now())]);
      expect(hex(e.sha256 as number[])).toBe(hex(spec.sha256));
    });

    it('records a parent: its layer and mint, in the account, the event and the token metadata', async () => {
      const parent = await f.publishedLayer();
      const creator = f.marketUser();
      const { layer, mint } = await creator.market.publishLayer({ creator: creator.publicKey, layer: layerSpec({ parent: parent.layer, parentShareBps: 10_000 }) });
      const l = (await f.market.fetchLayer(layer))!;
      expect([l.parent.toBase58(), l.parentMint.toBase58(), l.parentShareBps]).toEqual([parent.layer.toBase58(), parent.mint.toBase58(), 10_000]);
      const [event] = decodeEvents(f.market.program, creator.provider.last!.logs);
      expect(b58(event!.data.parent)).toBe(parent.layer.toBase58());
      expect(event!.data.parentShareBps).toBe(10_000);
      const md = (await getTokenMetadata(f.provider.connection, mint, 'confirmed', TOKEN_2022_PROGRAM_ID))!;
      expect(new Map(md.additionalMetadata).get('parent')).toBe(parent.layer.toBase58());
    });

    it('accepts a royalty that takes the total to exactly 100% (9,850 + 50 burn + 100 fee)', async () => {
      const { layer } = await f.publishedLayer({ royaltyBps: 9_850 });
      expect((await f.market.fetchLayer(layer))!.royaltyBps).toBe(9_850);
    });

    it('rejects a royalty taking royalty + burn + fee over 100% with RoyaltyBpsExceeded', async () => {
      await expectAnchorError(() => f.publishedLayer({ royaltyBps: 9_851 }), 'RoyaltyBpsExceeded', 6005);
    });

    it('rejects a parent share over 10,000 bps with ParentShareBpsExceeded', async () => {
      const parent = await f.publishedLayer();
      await expectAnchorError(() => f.publishedLayer({ parent: parent.layer, parentShareBps: 10_001 }), 'ParentShareBpsExceeded', 6006);
    });

    it('rejects the layer itself as its parent with ParentCycle', async () => {
      const creator = f.marketUser();
      const mint = Keypair.generate();
      const self = marketplacePda.layer(mint.publicKey);
      await expectAnchorError(
        () => creator.market.publishLayer({ creator: creator.publicKey, mint, layer: layerSpec({ parent: self, parentShareBps: 100 }) }),
        'ParentCycle',
        6007,
      );
      expect(rawAccount(f, self)).toBeNull();
      expect(rawAccount(f, mint.publicKey)).toBeNull();
    });

    it('rejects a parent share without a parent with ParentMismatch', async () => {
      await expectAnchorError(() => f.publishedLayer({ parentShareBps: 1 }), 'ParentMismatch', 6008);
    });

    it('rejects a Provider account passed as the parent layer with AccountDiscriminatorMismatch', async () => {
      const provider = await f.registeredProvider();
      await expectAnchorError(() => f.publishedLayer({ parent: f.market.providerAddress(provider.publicKey) }), 'AccountDiscriminatorMismatch', 3002);
    });

    it('rejects a token account passed as the parent layer with AccountOwnedByWrongProgram', async () => {
      const other = await f.publishedLayer();
      await expectAnchorError(() => f.publishedLayer({ parent: other.holding }), 'AccountOwnedByWrongProgram', 3007);
    });

    it('rejects a wallet passed as the parent layer with AccountNotInitialized', async () => {
      await expectAnchorError(() => f.publishedLayer({ parent: Keypair.generate().publicKey }), 'AccountNotInitialized', 3012);
    });

    it.each([
      ['an empty name', { name: '' }],
      ['an empty base model', { baseModel: '' }],
    ])('rejects %s with InvalidName', async (_, overrides) => {
      await expectAnchorError(() => f.publishedLayer(overrides), 'InvalidName', 6004);
    });

    it.each([
      ['an https uri', 'https://example.com/weights'],
      ['ipfs:// with no CID', 'ipfs://'],
      ['a CID with a path', 'ipfs://bafkrei/weights'],
      ['an upper-case scheme', 'IPFS://bafkreigh2akiscaild'],
      ['an empty uri', ''],
    ])('rejects %s with InvalidUri', async (_, uri) => {
      await expectAnchorError(() => f.publishedLayer({ uri }), 'InvalidUri', 6003);
    });

    it('accepts a 64-character CID', async () => {
      const cid = 'b'.repeat(64);
      const { layer } = await f.publishedLayer({ uri: `ipfs://${cid}` });
      expect((await f.market.fetchLayer(layer))!.cid).toBe(cid);
    });

    it('rejects zero-size weights with InvalidAmount', async () => {
      await expectAnchorError(() => f.publishedLayer({ size: 0 }), 'InvalidAmount', 6014);
    });

    it('rejects a creator that did not sign with AccountNotSigner', async () => {
      const { ix, mint } = await publishIx(f, f.admin);
      await expectAnchorError(() => sendRaw(f.provider, unsign(ix, 'layer_publish', 'creator'), [mint]), 'AccountNotSigner', 3010);
    });

    it('rejects a mint that did not sign with AccountNotSigner', async () => {
      const { ix, mint } = await publishIx(f, f.admin);
      ix.keys[slot('layer_publish', 'mint')]!.isSigner = false;
      await expectAnchorError(() => sendRaw(f.provider, ix), 'AccountNotSigner', 3010);
      expect(rawAccount(f, mint.publicKey)).toBeNull();
    });

    it('cannot publish twice with the same mint (AccountDiscriminatorAlreadySet)', async () => {
      const creator = f.marketUser();
      const mint = Keypair.generate();
      await creator.market.publishLayer({ creator: creator.publicKey, mint, layer: layerSpec() });
      const before = rawAccount(f, marketplacePda.layer(mint.publicKey))!.data;
      await expectAnchorError(() => creator.market.publishLayer({ creator: creator.publicKey, mint, layer: layerSpec({ name: 'Other' }) }), 'AccountDiscriminatorAlreadySet', 3000);
      expect(rawAccount(f, marketplacePda.layer(mint.publicKey))!.data).toEqual(before);
    });

    it('survives a griefer pre-funding the layer and version addresses', async () => {
      // Given someone sent lamports to the layer and version PDAs of the mint about to be used
      const creator = f.marketUser();
      const mint = Keypair.generate();
      const layer = marketplacePda.layer(mint.publicKey);
      const griefer = f.marketUser();
      griefer.provider.execute(
        new Transaction().add(
          SystemProgram.transfer({ fromPubkey: griefer.publicKey, toPubkey: layer, lamports: 1_000_000 }),
          SystemProgram.transfer({ fromPubkey: griefer.publicKey, toPubkey: marketplacePda.layerVersion(layer, 1), lamports: 1_000_000 }),
        ),
      );
      // When the creator publishes, Then it still works
      await creator.market.publishLayer({ creator: creator.publicKey, mint, layer: layerSpec() });
      expect((await f.market.fetchLayer(layer))!.version).toBe(1);
      expect((await f.market.fetchLayerVersion(layer, 1))!.version).toBe(1);
    });

    it('rejects an address other than the layer PDA with ConstraintSeeds', async () => {
      const { ix, mint } = await publishIx(f, f.admin);
      ix.keys[slot('layer_publish', 'layer')]!.pubkey = marketplacePda.layer(Keypair.generate().publicKey);
      await expectAnchorError(() => sendRaw(f.provider, ix, [mint]), 'ConstraintSeeds', 2006);
    });

    it('rejects a version address other than version 1 with ConstraintSeeds', async () => {
      const { ix, mint } = await publishIx(f, f.admin);
      ix.keys[slot('layer_publish', 'layer_version')]!.pubkey = marketplacePda.layerVersion(marketplacePda.layer(mint.publicKey), 2);
      await expectAnchorError(() => sendRaw(f.provider, ix, [mint]), 'ConstraintSeeds', 2006);
    });

    it('rejects another account as the marketplace authority with ConstraintAddress', async () => {
      const { ix, mint } = await publishIx(f, f.admin);
      ix.keys[slot('layer_publish', 'authority')]!.pubkey = Keypair.generate().publicKey;
      await expectAnchorError(() => sendRaw(f.provider, ix, [mint]), 'ConstraintAddress', 2012);
    });

    it('rejects the legacy token program in place of Token-2022 with ConstraintAddress', async () => {
      const { ix, mint } = await publishIx(f, f.admin);
      ix.keys[slot('layer_publish', 'token_2022_program')]!.pubkey = f.tokenProgram;
      await expectAnchorError(() => sendRaw(f.provider, ix, [mint]), 'ConstraintAddress', 2012);
    });

    it('rejects the market account as the economy config with AccountOwnedByWrongProgram', async () => {
      const { ix, mint } = await publishIx(f, f.admin);
      ix.keys[slot('layer_publish', 'economy_config')]!.pubkey = marketplacePda.market();
      await expectAnchorError(() => sendRaw(f.provider, ix, [mint]), 'AccountOwnedByWrongProgram', 3007);
    });

    it("rejects an economy collateral account as the economy config with AccountDiscriminatorMismatch", async () => {
      const provider = await f.registeredProvider();
      const { ix, mint } = await publishIx(f, f.admin);
      ix.keys[slot('layer_publish', 'economy_config')]!.pubkey = collateralAddress(provider.publicKey);
      await expectAnchorError(() => sendRaw(f.provider, ix, [mint]), 'AccountDiscriminatorMismatch', 3002);
    });
  });

  // -------------------------------------------------------------------------------------------

  describe('layer_version_publish', () => {
    it('moves the layer to version 2, keeps version 1, updates the token metadata and emits LayerVersionPublished', async () => {
      const { creator, layer, mint } = await f.publishedLayer();
      const v1Address = marketplacePda.layerVersion(layer, 1);
      const v1Before = rawAccount(f, v1Address)!;
      f.warp(100);
      // When the holder publishes version 2
      const sha2 = sha256('weights v2');
      await creator.market.layerVersionPublish({ holder: creator.publicKey, layer, version: 2, uri: URI2, sha256: sha2, size: 8_192 });
      // Then the layer is at version 2
      const l = (await f.market.fetchLayer(layer))!;
      expect([l.version, l.cid, hex(l.sha256), str(l.size)]).toEqual([2, CID2, hex(sha2), '8192']);
      expect(str(l.publishedTs)).toBe(str(f.now() - 100n));
      // And version 2's account exists, version 1's is unchanged
      const v2 = (await f.market.fetchLayerVersion(layer, 2))!;
      expect(v2.layer.toBase58()).toBe(layer.toBase58());
      expect([v2.version, v2.cid, hex(v2.sha256), str(v2.size), str(v2.publishedTs)]).toEqual([2, CID2, hex(sha2), '8192', str(f.now())]);
      expect(v2.bump).toBe(PublicKey.findProgramAddressSync([Buffer.from('layer_version'), layer.toBuffer(), Buffer.from([2, 0, 0, 0])], PROGRAM_IDS.marketplace)[1]);
      expect(rawAccount(f, v1Address)).toEqual(v1Before);
      expect((await f.market.fetchLayerVersion(layer, 1))!.cid).toBe(CID);
      // And the token metadata names the new version, the rest as before
      const md = (await getTokenMetadata(f.provider.connection, mint, 'confirmed', TOKEN_2022_PROGRAM_ID))!;
      expect([md.name, md.symbol, md.uri]).toEqual(['Pirate speak', 'LAYER', URI2]);
      expect(md.additionalMetadata).toEqual([
        ['cid', CID2],
        ['sha256', hex(sha2)],
        ['base_model', 'qwen2-0.5b'],
        ['parent', ''],
        ['license', 'Apache-2.0'],
        ['version', '2'],
      ]);
      // And the event
      const events = decodeEvents(f.market.program, creator.provider.last!.logs);
      expect(events.map((e) => e.name)).toEqual(['layerVersionPublished']);
      const e = events[0]!.data;
      expect([b58(e.layer), e.version, e.cid, hex(e.sha256 as number[]), str(e.size), str(e.publishedTs)]).toEqual([layer.toBase58(), 2, CID2, hex(sha2), '8192', str(f.now())]);
    });

    it('keeps the mint rent-exempt as the CID grows and shrinks over versions 2 to 11', async () => {
      // Given a layer whose CID is short
      const { creator, layer, mint } = await f.publishedLayer({ uri: 'ipfs://bafk' });
      // When versions alternate between a 64-character CID and a 1-character one (version 10 adds a digit)
      for (let version = 2; version <= 11; version++) {
        const cid = version % 2 === 0 ? 'c'.repeat(64) : 'x';
        await creator.market.layerVersionPublish({ holder: creator.publicKey, layer, version, uri: `ipfs://${cid}`, sha256: sha256(`v${version}`), size: version });
        // Then the mint's metadata follows and it stays rent-exempt
        const md = (await getTokenMetadata(f.provider.connection, mint, 'confirmed', TOKEN_2022_PROGRAM_ID))!;
        const fields = new Map(md.additionalMetadata);
        expect([md.uri, fields.get('cid'), fields.get('version')]).toEqual([`ipfs://${cid}`, cid, String(version)]);
        const raw = rawAccount(f, mint)!;
        expect(raw.lamports).toBeGreaterThanOrEqual(f.provider.svm.minimumBalanceForRentExemption(BigInt(raw.data.length)));
      }
      expect((await f.market.fetchLayer(layer))!.version).toBe(11);
      expect((await f.market.fetchLayerVersion(layer, 7))!.cid).toBe('x');
    });

    it.each([
      ['the current version', 1],
      ['a version skipping one', 3],
      ['version 0', 0],
    ])('rejects %s with VersionMismatch', async (_, version) => {
      const { creator, layer } = await f.publishedLayer();
      await expectAnchorError(
        () => creator.market.layerVersionPublish({ holder: creator.publicKey, layer, version, uri: URI2, sha256: sha256('v2'), size: 1 }),
        // version 1's PDA exists already: the seeds still match, the handler refuses.
        'VersionMismatch',
        6011,
      );
      expect((await f.market.fetchLayer(layer))!.version).toBe(1);
    });

    it('rejects an invalid uri with InvalidUri', async () => {
      const { creator, layer } = await f.publishedLayer();
      await expectAnchorError(() => creator.market.layerVersionPublish({ holder: creator.publicKey, layer, version: 2, uri: 'https://x', sha256: sha256('v2'), size: 1 }), 'InvalidUri', 6003);
    });

    it('rejects zero-size weights with InvalidAmount', async () => {
      const { creator, layer } = await f.publishedLayer();
      await expectAnchorError(() => creator.market.layerVersionPublish({ holder: creator.publicKey, layer, version: 2, uri: URI2, sha256: sha256('v2'), size: 0 }), 'InvalidAmount', 6014);
    });

    it("rejects a version address not matching the version argument with ConstraintSeeds", async () => {
      const { creator, layer, mint } = await f.publishedLayer();
      const ix = await creator.market.program.methods
        .layerVersionPublish(2, URI2, [...sha256('v2')], new BN(1))
        .accountsPartial({ holder: creator.publicKey, holding: layerHolding(mint, creator.publicKey), layer, mint, layerVersion: marketplacePda.layerVersion(layer, 3) })
        .instruction();
      await expectAnchorError(() => sendRaw(creator.provider, ix), 'ConstraintSeeds', 2006);
    });
  });

  // -------------------------------------------------------------------------------------------

  describe('layer_update', () => {
    it("sets the holder's floor price and emits LayerUpdated", async () => {
      const { creator, layer } = await f.publishedLayer({ pricePerThousand: 1_000 });
      const before = rawAccount(f, layer)!.data;
      await creator.market.layerUpdate({ holder: creator.publicKey, layer, pricePerThousand: 4_242 });
      expect(str((await f.market.fetchLayer(layer))!.pricePerThousand)).toBe('4242');
      // Only the price changed: 8 discriminator bytes, 4 keys and the version precede it.
      const expected = Uint8Array.from(before);
      new DataView(expected.buffer).setBigUint64(8 + 4 * 32 + 4, 4_242n, true);
      expect(rawAccount(f, layer)!.data).toEqual(expected);
      const events = decodeEvents(f.market.program, creator.provider.last!.logs);
      expect(events.map((e) => e.name)).toEqual(['layerUpdated']);
      expect([b58(events[0]!.data.layer), str(events[0]!.data.pricePerThousand)]).toEqual([layer.toBase58(), '4242']);
    });
  });

  describe('layer_retire', () => {
    it('retires the layer for its holder and emits LayerRetired', async () => {
      const { creator, layer } = await f.publishedLayer();
      await creator.market.layerRetire({ holder: creator.publicKey, layer });
      expect((await f.market.fetchLayer(layer))!.retired).toBe(true);
      const events = decodeEvents(f.market.program, creator.provider.last!.logs);
      expect(events.map((e) => e.name)).toEqual(['layerRetired']);
      expect(b58(events[0]!.data.layer)).toBe(layer.toBase58());
    });
  });

  // -------------------------------------------------------------------------------------------
  // Checks the three holder-only instructions share.

  type Accounts = { holder: PublicKey; holding: PublicKey; layer: PublicKey; mint: PublicKey };
  const HOLDER_IXS: Record<string, (p: Program<Marketplace>, a: Accounts) => Promise<TransactionInstruction>> = {
    layer_update: (p, a) => p.methods.layerUpdate(new BN(7)).accountsPartial(a).instruction(),
    layer_retire: (p, a) => p.methods.layerRetire().accountsPartial(a).instruction(),
    layer_version_publish: (p, a) => p.methods.layerVersionPublish(2, URI2, [...sha256('v2')], new BN(8)).accountsPartial(a).instruction(),
  };
  /** What each instruction changes, to check it took effect (or did not). */
  const effect = async (layer: PublicKey) => {
    const l = (await f.market.fetchLayer(layer))!;
    return { price: str(l.pricePerThousand), retired: l.retired, version: l.version };
  };
  const UNCHANGED = { price: '1000000', retired: false, version: 1 };
  const CHANGED: Record<string, typeof UNCHANGED> = {
    layer_update: { ...UNCHANGED, price: '7' },
    layer_retire: { ...UNCHANGED, retired: true },
    layer_version_publish: { ...UNCHANGED, version: 2 },
  };

  describe.each(Object.keys(HOLDER_IXS))('%s: only the layer token holder', (name) => {
    /** Sends `name` from `user` for the layer, with `holding` (default: the user's associated account). */
    const run = async (user: User, l: { layer: PublicKey; mint: PublicKey }, holding?: PublicKey) => {
      const ix = await HOLDER_IXS[name]!(user.market.program, { holder: user.publicKey, holding: holding ?? layerHolding(l.mint, user.publicKey), layer: l.layer, mint: l.mint });
      return sendRaw(user.provider, ix);
    };

    it('the holder can', async () => {
      const l = await f.publishedLayer();
      await run(l.creator, l);
      expect(await effect(l.layer)).toEqual(CHANGED[name]);
    });

    it("refuses a stranger passing the holder's token account with LayerHolderMismatch", async () => {
      const l = await f.publishedLayer();
      const stranger = f.marketUser();
      await expectAnchorError(() => run(stranger, l, l.holding), 'LayerHolderMismatch', 6009);
      expect(await effect(l.layer)).toEqual(UNCHANGED);
    });

    it('refuses a stranger passing its own empty token account of the mint with LayerHolderMismatch', async () => {
      const l = await f.publishedLayer();
      const stranger = f.marketUser();
      emptyLayerHolding(stranger, l.mint, stranger.publicKey);
      await expectAnchorError(() => run(stranger, l), 'LayerHolderMismatch', 6009);
      expect(await effect(l.layer)).toEqual(UNCHANGED);
    });

    it("refuses the holder of another layer's token with LayerHolderMismatch", async () => {
      const l = await f.publishedLayer();
      const other = await f.publishedLayer();
      await expectAnchorError(() => run(other.creator, l, other.holding), 'LayerHolderMismatch', 6009);
      expect(await effect(l.layer)).toEqual(UNCHANGED);
    });

    it('refuses a holding that is not a token account with AccountOwnedByWrongProgram', async () => {
      const l = await f.publishedLayer();
      await expectAnchorError(() => run(l.creator, l, l.creator.publicKey), 'AccountOwnedByWrongProgram', 3007);
    });

    it('refuses the layer mint itself passed as the holding with AccountDidNotDeserialize', async () => {
      const l = await f.publishedLayer();
      await expectAnchorError(() => run(l.creator, l, l.mint), 'AccountDidNotDeserialize', 3003);
      expect(await effect(l.layer)).toEqual(UNCHANGED);
    });

    it('after the token is transferred, the new holder can', async () => {
      const l = await f.publishedLayer();
      const buyer = f.marketUser();
      transferLayerToken(l.creator, l.mint, buyer.publicKey);
      await run(buyer, l);
      expect(await effect(l.layer)).toEqual(CHANGED[name]);
    });

    it('after the token is transferred, the old holder cannot (LayerHolderMismatch)', async () => {
      const l = await f.publishedLayer();
      const buyer = f.marketUser();
      const buyerHolding = transferLayerToken(l.creator, l.mint, buyer.publicKey);
      await expectAnchorError(() => run(l.creator, l), 'LayerHolderMismatch', 6009);
      await expectAnchorError(() => run(l.creator, l, buyerHolding), 'LayerHolderMismatch', 6009);
      expect(await effect(l.layer)).toEqual(UNCHANGED);
    });

    it('refuses a retired layer with LayerRetired', async () => {
      const l = await f.publishedLayer();
      await l.creator.market.layerRetire({ holder: l.creator.publicKey, layer: l.layer });
      await expectAnchorError(() => run(l.creator, l), 'LayerRetired', 6010);
      expect(await effect(l.layer)).toEqual({ ...UNCHANGED, retired: true });
    });

    it('refuses a holder that did not sign with AccountNotSigner', async () => {
      const l = await f.publishedLayer();
      const ix = await HOLDER_IXS[name]!(f.market.program, { holder: l.creator.publicKey, holding: l.holding, layer: l.layer, mint: l.mint });
      ix.keys[slot(name, 'holder')]!.isSigner = false;
      // Another wallet pays, so the holder's key is in the transaction without signing.
      await expectAnchorError(() => sendRaw(f.provider, ix), 'AccountNotSigner', 3010);
      expect(await effect(l.layer)).toEqual(UNCHANGED);
    });

    it("refuses the holder of another layer passing that layer's mint and token with LayerHolderMismatch", async () => {
      // The layer PDA is not re-derived on chain: the handler compares the mint the layer stores.
      const l = await f.publishedLayer();
      const other = await f.publishedLayer();
      await expectAnchorError(() => run(other.creator, { layer: l.layer, mint: other.mint }, other.holding), 'LayerHolderMismatch', 6009);
      expect(await effect(l.layer)).toEqual(UNCHANGED);
      expect(await effect(other.layer)).toEqual(UNCHANGED);
    });

    it('refuses a layer account owned by another program with AccountOwnedByWrongProgram', async () => {
      const l = await f.publishedLayer();
      const real = rawAccount(f, l.layer)!;
      await withPlanted(f, l.layer, real.data, PROGRAM_IDS.economy, () => expectAnchorError(() => run(l.creator, l), 'AccountOwnedByWrongProgram', 3007));
    });

    it('refuses a Provider account in place of the layer with AccountDiscriminatorMismatch', async () => {
      const l = await f.publishedLayer();
      const provider = await f.registeredProvider();
      const providerData = rawAccount(f, f.market.providerAddress(provider.publicKey))!.data;
      await withPlanted(f, l.layer, providerData, PROGRAM_IDS.marketplace, () => expectAnchorError(() => run(l.creator, l), 'AccountDiscriminatorMismatch', 3002));
    });
  });
});

// ---------------------------------------------------------------------------------------------

for (const mode of ['existing mints', 'program mints'] as const) {
  describe(`a layer's Token-2022 asset (${mode})`, () => {
    let f: MarketFixture;
    beforeAll(async () => {
      f = await new MarketFixture(mode).setup();
    });

    it('is a mint of supply 1, decimals 0, no mint authority, held by the creator, with the layer metadata', async () => {
      const spec = layerSpec({ name: 'Sea shanty', baseModel: 'llama-3-8b', license: 'MIT', sha256: sha256('shanty weights') });
      const { creator, mint, holding, layer } = await f.publishedLayer(spec);
      // The mint
      const m = await getMint(f.provider.connection, mint, 'confirmed', TOKEN_2022_PROGRAM_ID);
      expect(m.supply).toBe(1n);
      expect(m.decimals).toBe(0);
      expect(m.mintAuthority).toBeNull();
      expect(m.freezeAuthority).toBeNull();
      expect(m.isInitialized).toBe(true);
      // points its metadata at itself, updatable only by the marketplace authority
      const pointer = getMetadataPointerState(m)!;
      expect(pointer.metadataAddress?.toBase58()).toBe(mint.toBase58());
      expect(pointer.authority?.toBase58()).toBe(MARKETPLACE_CALLER.toBase58());
      // The creator's associated account holds the one token
      expect(holding.toBase58()).toBe(layerHolding(mint, creator.publicKey).toBase58());
      const account = await getAccount(f.provider.connection, holding, 'confirmed', TOKEN_2022_PROGRAM_ID);
      expect([account.amount, account.owner.toBase58(), account.mint.toBase58()]).toEqual([1n, creator.publicKey.toBase58(), mint.toBase58()]);
      // The metadata
      const md = (await getTokenMetadata(f.provider.connection, mint, 'confirmed', TOKEN_2022_PROGRAM_ID))!;
      expect(md.mint.toBase58()).toBe(mint.toBase58());
      expect(md.updateAuthority?.toBase58()).toBe(MARKETPLACE_CALLER.toBase58());
      expect([md.name, md.symbol, md.uri]).toEqual(['Sea shanty', 'LAYER', URI]);
      expect(md.additionalMetadata).toEqual([
        ['cid', CID],
        ['sha256', hex(sha256('shanty weights'))],
        ['base_model', 'llama-3-8b'],
        ['parent', ''],
        ['license', 'MIT'],
        ['version', '1'],
      ]);
      // And the layer account names the mint
      expect((await f.market.fetchLayer(layer))!.mint.toBase58()).toBe(mint.toBase58());
    });
  });
}
