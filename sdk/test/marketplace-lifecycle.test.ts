import { BN } from '@coral-xyz/anchor';
import { createTransferCheckedInstruction } from '@solana/spl-token';
import { PublicKey, Transaction } from '@solana/web3.js';
import { describe, expect, it } from 'vitest';
import { MARKETPLACE_SEEDS, PROGRAM_IDS, decodeEvents, jobStatusName, sha256 } from '../src/index.ts';
import { expectAnchorError } from './anchor-errors.ts';
import { WHOLE } from './economy-fixture.ts';
import { MarketFixture } from './market-fixture.ts';
import { requestOf } from './marketplace-job-helpers.ts';

/** One layer at version 1, scale 1.0, as `job_create` takes the genome's choices. */
const CHOICES = [{ version: 1, scaleBps: 10_000 }, ...Array.from({ length: 3 }, () => ({ version: 0, scaleBps: 0 }))];

for (const mode of ['existing mints', 'program mints'] as const) {
  describe(`a job's whole life (${mode})`, () => {
    it('pays the provider, the layer holder, the burn, the treasury and refunds the rest, to the base unit', async () => {
      const f = await new MarketFixture(mode).setup({ challengeWindow: new BN(60) });
      const { layer, creator } = await f.publishedLayer({ pricePerThousand: 1_000_000n, royaltyBps: 1_000 });
      const provider = await f.registeredProvider({ pricePerThousand: 2_000_000n });
      const client = f.marketUser(100n * WHOLE);

      const { job } = await client.market.createJob({ client: client.publicKey, jobId: 1, request: requestOf([layer], { prompt: 'Tell me a pirate story', maxTokens: 2_000 }), maxPricePerThousand: 2_500_000 });
      expect(await f.computeOf(client.publicKey)).toBe(100n * WHOLE - 5_000_000n);
      await provider.market.jobClaim({ authority: provider.publicKey, job });
      await provider.market.submitReceipt({ job, nodeKey: provider.nodeKey, receipt: { outputHash: sha256('Arr'), tokensUsed: 1_500, outputCid: 'bafkreiarr' } });
      expect(jobStatusName((await f.market.fetchJob(job))!.status)).toBe('submitted');

      f.warp(61);
      const settler = f.marketUser();
      await settler.market.jobSettle({ job });
      const events = decodeEvents(f.market.program, settler.provider.last!.logs);
      const settled = events.find((e) => e.name === 'jobSettled')!.data as Record<string, unknown>;
      expect(Number(settled.price)).toBe(3_000_000);
      expect(await f.market.accruedRoyalty(layer)).toBe(300_000n);
      // And the holder claims it
      await settler.market.claimRoyalty({ layer });
      expect(await f.computeOf(creator.publicKey)).toBe(300_000n);
      expect(await f.computeOf(client.publicKey)).toBe(100n * WHOLE - 3_000_000n);
      // 3,000,000 - 15,000 burn - 30,000 fee - 300,000 royalty, plus a 1% reward of 30,000.
      expect(await f.computeOf(provider.publicKey)).toBe(2_655_000n + 30_000n);
      expect(await f.computeOf(f.treasury)).toBe(30_000n);
      const vault = f.market.program.provider.connection;
      expect(await vault.getAccountInfo(new PublicKey((await f.market.fetchJob(job))!.vault))).toBeNull();
    });
  });
}

describe('a job vault', () => {
  it('cannot be blocked by a donation: whatever was sent on top goes back with the refund', async () => {
    // Given a claimed job whose vault someone sent 7 extra base units
    const f = await new MarketFixture().setup({ challengeWindow: new BN(0) });
    const { layer } = await f.publishedLayer({ pricePerThousand: 0n, royaltyBps: 0 });
    const provider = await f.registeredProvider({ pricePerThousand: 1_000n });
    const client = f.marketUser(1_000_000n);
    const { job } = await client.market.createJob({ client: client.publicKey, jobId: 7, request: requestOf([layer], { prompt: 'p', maxTokens: 1_000 }), maxPricePerThousand: 1_000 });
    const vault = (await f.market.fetchJob(job))!.vault;
    const griefer = f.marketUser(7n);
    f.provider.execute(
      new Transaction().add(createTransferCheckedInstruction(f.ata(griefer.publicKey, f.computeMint), f.computeMint, vault, griefer.publicKey, 7n, 9)),
      [griefer.keypair],
    );
    await provider.market.jobClaim({ authority: provider.publicKey, job });
    await provider.market.submitReceipt({ job, nodeKey: provider.nodeKey, receipt: { outputHash: sha256('out'), tokensUsed: 500, outputCid: '' } });

    // When it is settled
    await client.market.jobSettle({ job });

    // Then the client gets the unused escrow and the 7 units, and the vault is closed
    const settled = decodeEvents(f.market.program, client.provider.last!.logs).find((e) => e.name === 'jobSettled')!.data as { refund: BN; price: BN };
    expect(settled.price.toNumber()).toBe(500);
    expect(settled.refund.toNumber()).toBe(500 + 7);
    expect(await f.computeOf(client.publicKey)).toBe(1_000_000n - 500n + 7n);
    expect(f.provider.svm.getAccount(vault.toBase58() as never).exists).toBe(false);
  });
});

describe('PDAs the marketplace creates', () => {
  it('must be canonical: a job at a lower bump of its own seeds is refused with ConstraintSeeds', async () => {
    // Given the job seeds and an address from a non-canonical bump of the same seeds
    const f = await new MarketFixture().setup();
    const { layer } = await f.publishedLayer();
    const client = f.marketUser(10n ** 12n);
    const id = Buffer.alloc(8);
    const seeds = [MARKETPLACE_SEEDS.job, client.publicKey.toBuffer(), id];
    const [canonical, bump] = PublicKey.findProgramAddressSync(seeds, PROGRAM_IDS.marketplace);
    let lower: PublicKey | null = null;
    for (let b = bump - 1; b >= 0 && !lower; b--) {
      try {
        lower = PublicKey.createProgramAddressSync([...seeds, Buffer.from([b])], PROGRAM_IDS.marketplace);
      } catch {
        // on the curve: not a PDA
      }
    }
    expect(lower).not.toBeNull();
    expect(lower!.equals(canonical)).toBe(false);

    // When a job is created there, Then the program refuses it
    const config = (await f.client.fetchConfig())!;
    const build = (job: PublicKey) =>
      client.market.program.methods
        .jobCreate(new BN(0), PublicKey.default, [...sha256('p')], new BN(10), new BN(10_000_000), CHOICES, 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku')
        .accountsPartial({
          client: client.publicKey,
          job,
          ...client.market.genomeAccounts([layer]),
          economyConfig: f.client.addresses.config,
          computeMint: config.computeMint,
          clientToken: client.market.computeAccount(config, client.publicKey),
          tokenProgram: config.computeTokenProgram,
        })
        .rpc();
    await expectAnchorError(() => build(lower!), 'ConstraintSeeds', 2006);
    await build(canonical);
    expect(await f.market.fetchJob(canonical)).not.toBeNull();
  });
});
