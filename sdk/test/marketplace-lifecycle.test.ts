import { BN } from '@coral-xyz/anchor';
import { PublicKey } from '@solana/web3.js';
import { describe, expect, it } from 'vitest';
import { decodeEvents, jobStatusName, sha256 } from '../src/index.ts';
import { WHOLE } from './economy-fixture.ts';
import { MarketFixture } from './market-fixture.ts';

for (const mode of ['existing mints', 'program mints'] as const) {
  describe(`a job's whole life (${mode})`, () => {
    it('pays the provider, the layer holder, the burn, the treasury and refunds the rest, to the base unit', async () => {
      const f = await new MarketFixture(mode).setup({ challengeWindow: new BN(60) });
      const { layer, creator } = await f.publishedLayer({ pricePerThousand: 1_000_000n, royaltyBps: 1_000 });
      const provider = await f.registeredProvider({ pricePerThousand: 2_000_000n });
      const client = f.marketUser(100n * WHOLE);

      const { job } = await client.market.createJob({ client: client.publicKey, jobId: 1, layer, prompt: 'Tell me a pirate story', maxTokens: 2_000, maxPricePerThousand: 2_500_000 });
      expect(await f.computeOf(client.publicKey)).toBe(100n * WHOLE - 5_000_000n);
      await provider.market.jobClaim({ authority: provider.publicKey, job });
      await provider.market.submitReceipt({ job, nodeKey: provider.nodeKey, receipt: { outputHash: sha256('Arr'), tokensUsed: 1_500, outputCid: 'bafkreiarr' } });
      expect(jobStatusName((await f.market.fetchJob(job))!.status)).toBe('submitted');

      f.warp(61);
      const settler = f.marketUser();
      await settler.market.jobSettle({ job, layerHolder: creator.publicKey });
      const events = decodeEvents(f.market.program, settler.provider.last!.logs);
      const settled = events.find((e) => e.name === 'jobSettled')!.data as Record<string, unknown>;
      expect(Number(settled.price)).toBe(3_000_000);
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
