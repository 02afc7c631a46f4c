import { PublicKey } from '@solana/web3.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROGRAM_IDS } from '../src/index.ts';
import { expectAnchorError } from './anchor-errors.ts';
import { MarketFixture } from './market-fixture.ts';
import {
  JOB,
  type MarketUser,
  type PublishedLayer,
  capture,
  computeAta,
  eventOf,
  findInstruction,
  nobody,
  plain,
  receiptOf,
  sendWith,
  settle,
  submittedJob,
  tokenBalance,
  transferLayerToken,
} from './marketplace-job-helpers.ts';

const CHALLENGE_WINDOW = 300n;

// One chain for the file; every test makes its own layers, providers and jobs, and time only moves forward.
describe('layer royalties: accrued at settlement, claimed by the holder, cascading up the lineage (existing mints)', () => {
  let f: MarketFixture;

  beforeAll(async () => {
    f = await new MarketFixture('existing mints').setup();
  });

  const vault = () => f.market.royaltyVaultAddress();
  const layerOf = async (l: PublishedLayer) => plain(await f.market.fetchLayer(l.layer)) as Record<string, unknown>;
  /** A job on `layer` settled: 1,500 tokens at 2,000,000 per 1k, a price of 3,000,000. */
  const settledJob = async (layer: PublishedLayer) => {
    const c = await submittedJob(f, { layer, receipt: receiptOf(1_500n) });
    f.warp(CHALLENGE_WINDOW);
    await settle(f, c.job);
    return c;
  };
  const claim = (layer: PublishedLayer, by: MarketUser = f.marketUser()) => by.market.claimRoyalty({ layer: layer.layer }).then(() => by);
  const claimWith = (layer: PublishedLayer, accounts: Record<string, PublicKey>) => {
    const by = f.marketUser();
    return sendWith(by, () => by.market.claimRoyalty({ layer: layer.layer }), 'layerRoyaltyClaim', accounts);
  };

  it("pays a layer's accrued royalty to its holder when anyone claims it, and emits RoyaltyClaimed", async () => {
    // Given a root layer (10%) with one settled job: 300,000 accrued in the royalty vault
    const layer = await f.publishedLayer({ pricePerThousand: JOB.layerPrice, royaltyBps: 1_000 });
    await settledJob(layer);
    const before = await tokenBalance(f, vault());
    expect(await f.market.accruedRoyalty(layer.layer)).toBe(300_000n);
    // When a stranger cranks the claim
    const by = await claim(layer);
    // Then the holder has it, the layer accrues nothing more, and the vault paid it out
    expect(await f.computeOf(layer.creator.publicKey)).toBe(300_000n);
    expect(await layerOf(layer)).toMatchObject({ accruedRoyalty: 0n, royaltiesEarned: 300_000n, royaltiesClaimed: 300_000n, royaltiesPassedUp: 0n });
    expect(before - (await tokenBalance(f, vault()))).toBe(300_000n);
    expect(plain(eventOf(f, by, 'royaltyClaimed'))).toEqual({
      layer: layer.layer.toBase58(),
      holder: layer.creator.publicKey.toBase58(),
      paid: 300_000n,
      parent: PublicKey.default.toBase58(),
      passedToParent: 0n,
      parentAccruedRoyalty: 0n,
    });
    // And a second claim finds nothing
    await expectAnchorError(() => claim(layer), 'NothingToClaim', 6044);
  });

  it('sells the unclaimed royalty with the layer: the holder when the claim is made is paid', async () => {
    // Given 300,000 accrued, then the token sold
    const layer = await f.publishedLayer({ pricePerThousand: JOB.layerPrice, royaltyBps: 1_000 });
    await settledJob(layer);
    const buyer = f.marketUser();
    transferLayerToken(layer.creator, layer.mint, buyer.publicKey);
    // When it is claimed
    await claim(layer);
    // Then the buyer has it all, the creator nothing
    expect(await f.computeOf(buyer.publicKey)).toBe(300_000n);
    expect(await f.computeOf(layer.creator.publicKey)).toBe(0n);
  });

  it("cascades each level's share up a lineage three deep, each holder keeping its part, and the vault always holds the sum accrued", async () => {
    // Given grandparent ← parent (40% up) ← child (25% up), the parent's token sold to a buyer
    const grand = await f.publishedLayer({ pricePerThousand: JOB.layerPrice, royaltyBps: 500 });
    const parent = await f.publishedLayer({ pricePerThousand: JOB.layerPrice, royaltyBps: 500, parent: grand.layer, parentShareBps: 4_000 });
    const child = await f.publishedLayer({ pricePerThousand: JOB.layerPrice, royaltyBps: 1_000, parent: parent.layer, parentShareBps: 2_500 });
    const buyer = f.marketUser();
    transferLayerToken(parent.creator, parent.mint, buyer.publicKey);
    const accrued = async () => Promise.all([grand, parent, child].map((l) => f.market.accruedRoyalty(l.layer)));
    const vault0 = await tokenBalance(f, vault());
    const vaultHoldsTheSum = async () => expect((await tokenBalance(f, vault())) - vault0).toBe((await accrued()).reduce((a, b) => a + b, 0n));
    // When a job on the child settles (300,000 royalty) and each level is claimed, child first
    await settledJob(child);
    await vaultHoldsTheSum();
    const byChild = await claim(child);
    // Then the child's holder keeps 225,000 and 75,000 passes to the parent
    expect(plain(eventOf(f, byChild, 'royaltyClaimed'))).toMatchObject({ paid: 225_000n, parent: parent.layer.toBase58(), passedToParent: 75_000n, parentAccruedRoyalty: 75_000n });
    expect(await accrued()).toEqual([0n, 75_000n, 0n]);
    await vaultHoldsTheSum();
    // And the parent's claim pays its buyer 45,000 and passes 30,000 to the grandparent
    await claim(parent, buyer);
    expect(await accrued()).toEqual([30_000n, 0n, 0n]);
    await vaultHoldsTheSum();
    await claim(grand);
    expect(await accrued()).toEqual([0n, 0n, 0n]);
    await vaultHoldsTheSum();
    expect([await f.computeOf(child.creator.publicKey), await f.computeOf(buyer.publicKey), await f.computeOf(parent.creator.publicKey), await f.computeOf(grand.creator.publicKey)]).toEqual([
      225_000n,
      45_000n,
      0n,
      30_000n,
    ]);
    // And each layer's record adds up: earned + from children = claimed + passed up (+ accrued, now 0)
    expect(await layerOf(child)).toMatchObject({ royaltiesEarned: 300_000n, royaltiesFromChildren: 0n, royaltiesClaimed: 225_000n, royaltiesPassedUp: 75_000n });
    expect(await layerOf(parent)).toMatchObject({ royaltiesEarned: 0n, royaltiesFromChildren: 75_000n, royaltiesClaimed: 45_000n, royaltiesPassedUp: 30_000n });
    expect(await layerOf(grand)).toMatchObject({ royaltiesEarned: 0n, royaltiesFromChildren: 30_000n, royaltiesClaimed: 30_000n, royaltiesPassedUp: 0n });
  });

  describe('refusals (each leaves the accrued royalty and the vault as they were)', () => {
    /** A child layer with 300,000 accrued, its parent, and the vault's balance. */
    const accruedChild = async () => {
      const parent = await f.publishedLayer({ pricePerThousand: JOB.layerPrice, royaltyBps: 500 });
      const child = await f.publishedLayer({ pricePerThousand: JOB.layerPrice, royaltyBps: 1_000, parent: parent.layer, parentShareBps: 2_500 });
      await settledJob(child);
      return { parent, child, vault: await tokenBalance(f, vault()) };
    };
    const unchanged = async (a: Awaited<ReturnType<typeof accruedChild>>) => {
      expect(await f.market.accruedRoyalty(a.child.layer)).toBe(300_000n);
      expect(await f.market.accruedRoyalty(a.parent.layer)).toBe(0n);
      expect(await tokenBalance(f, vault())).toBe(a.vault);
    };

    it("refuses to pay an account that is not the current holder's", async () => {
      const a = await accruedChild();
      const thief = f.marketUser();
      f.ata(thief.publicKey, f.computeMint);
      await expectAnchorError(() => claimWith(a.child, { holderToken: computeAta(f, thief.publicKey) }), 'ConstraintTokenOwner', 2015);
      // (nor the former holder's, once the token is sold)
      transferLayerToken(a.child.creator, a.child.mint, f.marketUser().publicKey);
      await expectAnchorError(() => claimWith(a.child, { holding: a.child.holding, holderToken: computeAta(f, a.child.creator.publicKey) }), 'LayerHolderMismatch', 6009);
      await unchanged(a);
    });

    it("refuses a holding of another layer's token", async () => {
      const a = await accruedChild();
      await expectAnchorError(() => claimWith(a.child, { holding: a.parent.holding, holderToken: computeAta(f, a.parent.creator.publicKey) }), 'LayerHolderMismatch', 6009);
      await unchanged(a);
    });

    it('refuses a forged parent, a missing parent, and a parent for a layer without one', async () => {
      const a = await accruedChild();
      const other = await f.publishedLayer();
      await expectAnchorError(() => claimWith(a.child, { parent: other.layer }), 'ParentMismatch', 6008);
      await expectAnchorError(() => claimWith(a.child, { parent: PROGRAM_IDS.marketplace }), 'ParentMismatch', 6008);
      // (a program account of another kind at the parent's address cannot stand in either)
      await expectAnchorError(() => claimWith(a.child, { parent: f.market.providerAddress(nobody()) }), 'ParentMismatch', 6008);
      await unchanged(a);
      await settledJob(a.parent);
      const by = f.marketUser();
      const { tx, signers } = await capture(by, () => by.market.claimRoyalty({ layer: a.parent.layer }));
      const { ix, idl } = findInstruction(tx, 'layerRoyaltyClaim');
      ix.keys[idl.accounts.findIndex((x) => x.name === 'parent')] = { pubkey: a.child.layer, isSigner: false, isWritable: true };
      await expectAnchorError(() => by.provider.sendAndConfirm(tx, signers), 'ParentMismatch', 6008);
    });

    it("refuses a royalty vault other than the market's", async () => {
      const a = await accruedChild();
      const c = await submittedJob(f);
      await expectAnchorError(() => claimWith(a.child, { royaltyVault: c.vault }), 'ConstraintAddress', 2012);
      await unchanged(a);
    });
  });
});
