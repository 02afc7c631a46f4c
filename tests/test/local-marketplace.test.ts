import path from 'node:path';
import { AnchorProvider, BN } from '@coral-xyz/anchor';
import { TOKEN_2022_PROGRAM_ID, createAssociatedTokenAccountIdempotentInstruction, createTransferCheckedInstruction, getAssociatedTokenAddressSync } from '@solana/spl-token';
import { Keypair, LAMPORTS_PER_SOL, type PublicKey, Transaction } from '@solana/web3.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EconomyClient, MarketplaceClient, buildJobRequest, economyProgram, marketplaceProgram, sha256 } from '@spicetime/sdk';
import { walletOf } from '@spicetime/sdk/litesvm';
import { type TestChain, startChain } from '../../chain/test/helpers.ts';
import { readKeypair } from '../../chain/src/wallet.ts';
import { REPO_ROOT } from '../../toolchain/src/build/workspace.ts';
import { configureLocalMarketplace } from '../../scripts/market-setup.ts';

// `npm start`'s marketplace, end to end over JSON-RPC: the local chain (real server on loopback),
// the setup script, and the SDK's flows with stock Anchor providers — a creator publishes, a
// provider stakes and registers, a client pays, settlement accrues the royalty and the claim finds
// the layer's holder over RPC.
const mintOf = (symbol: string): PublicKey => readKeypair(path.join(REPO_ROOT, `chain/keys/${symbol}-mint-keypair.json`)).publicKey;
const UBC = mintOf('ubc');
const COMPUTE = mintOf('compute');
const T22 = TOKEN_2022_PROGRAM_ID;

let chain: TestChain;
beforeAll(async () => {
  chain = await startChain();
}, 120_000);
afterAll(async () => {
  await chain?.dispose();
});

/** A wallet with SOL and its own marketplace client over RPC. */
async function actor() {
  const keypair = Keypair.generate();
  await chain.connection.confirmTransaction(await chain.connection.requestAirdrop(keypair.publicKey, 10 * LAMPORTS_PER_SOL), 'confirmed');
  const provider = new AnchorProvider(chain.connection, walletOf(keypair), { commitment: 'confirmed' });
  const economy = new EconomyClient(economyProgram(provider));
  return { keypair, publicKey: keypair.publicKey, provider, economy, market: new MarketplaceClient(marketplaceProgram(provider), economy) };
}

/** Sends `amount` of a genesis mint from the chain's wallet to `owner`'s associated account. */
async function give(mint: PublicKey, owner: PublicKey, amount: bigint): Promise<PublicKey> {
  const w = chain.wallet.publicKey;
  const to = getAssociatedTokenAddressSync(mint, owner, false, T22);
  const tx = new Transaction().add(
    createAssociatedTokenAccountIdempotentInstruction(w, to, owner, mint, T22),
    createTransferCheckedInstruction(getAssociatedTokenAddressSync(mint, w, false, T22), mint, to, w, amount, 6, [], T22),
  );
  await new AnchorProvider(chain.connection, walletOf(chain.wallet), { commitment: 'confirmed' }).sendAndConfirm(tx);
  return to;
}

describe('the local marketplace (npm start)', () => {
  it('configures the economy and the market once, then runs a paid job whose royalty reaches the layer holder', async () => {
    // Given the chain configured by the start script (twice: the second run changes nothing)
    const setup = { connection: chain.connection, wallet: chain.wallet, ubcMint: UBC, computeMint: COMPUTE };
    const first = await configureLocalMarketplace(setup);
    expect(first.join('\n')).toMatch(/economy +configured/);
    expect(first.join('\n')).toMatch(/market +created/);
    expect(await configureLocalMarketplace(setup)).toEqual(['economy    already configured', 'market     already created']);

    const [creator, provider, client] = [await actor(), await actor(), await actor()];
    const { layer, mint } = await creator.market.publishLayer({
      creator: creator.publicKey,
      layer: { name: 'Haiku', uri: 'ipfs://bafkreihaiku', sha256: sha256('w'), size: 10, baseModel: 'qwen2-0.5b', license: 'MIT', pricePerThousand: 0, royaltyBps: 2_000 },
    });
    const ubc = await give(UBC, provider.publicKey, 1_000_000_000n);
    await provider.economy.collateralDeposit({ provider: provider.publicKey, source: ubc, amount: 1_000_000_000n });
    const nodeKey = Keypair.generate();
    await provider.market.providerRegister({
      authority: provider.publicKey,
      spec: { nodeKey: nodeKey.publicKey, pricePerThousand: new BN(1_000), endpoint: 'http://127.0.0.1:7777', baseModels: 'qwen2-0.5b' },
    });
    await give(COMPUTE, client.publicKey, 1_000_000n);

    // When the client creates a job, the provider serves it, and anyone settles after the window
    const request = buildJobRequest({
      baseModel: 'qwen2-0.5b',
      layers: [{ layer, version: 1, scale: 10_000 }],
      input: 'an autumn haiku',
      sampling: { seed: 1, temperature: 0, topK: 0, topP: 1, repeatPenalty: 1, maxTokens: 1_000 },
    });
    const { job } = await client.market.createJob({ client: client.publicKey, jobId: 1, request, maxPricePerThousand: 1_000 });
    await provider.market.jobClaim({ authority: provider.publicKey, job });
    await provider.market.submitReceipt({ job, nodeKey, receipt: { outputHash: sha256('leaves fall'), tokensUsed: 600, outputCid: '' } });
    const receipt = await client.market.waitForReceipt(job, { timeoutMs: 10_000, pollMs: 50 });
    expect(receipt.tokensUsed.toNumber()).toBe(600);
    expect((await chain.rpc('spicetime_advanceTime', [301])).error).toBeUndefined();
    await client.market.jobSettle({ job });
    expect(await client.market.accruedRoyalty(layer)).toBe(120n);
    await client.market.claimRoyalty({ layer });

    // Then the layer's holder (found over RPC, getTokenLargestAccounts) has its 20% royalty, and the client its refund
    const balance = async (owner: PublicKey) => BigInt((await chain.connection.getTokenAccountBalance(getAssociatedTokenAddressSync(COMPUTE, owner, true, T22))).value.amount);
    expect(await balance(creator.publicKey)).toBe(120n); // 600 at 1 per token = 600; 20% = 120
    expect(await balance(client.publicKey)).toBe(1_000_000n - 600n);
    expect((await client.market.fetchLayer(layer))!.jobsCompleted.toNumber()).toBe(1);
    expect((await client.market.findLayerHolder(mint)).holder.equals(creator.publicKey)).toBe(true);
  }, 180_000);
});
