/**
 * Configures the economy and marketplace programs on a fresh local chain, so `npm start` brings
 * up a marketplace that works on day one: the economy adopts the genesis $UBC and $COMPUTE
 * (existing-mint mode: $UBC's supply is fixed; yield and provider rewards come from a rewards
 * vault funded out of the wallet's $COMPUTE), and the market is created with its defaults. The
 * wallet is admin and treasury. Idempotent: what is already configured is left as it is.
 */
import anchor, { AnchorProvider } from '@coral-xyz/anchor';
import { TOKEN_2022_PROGRAM_ID, createTransferCheckedInstruction, getAssociatedTokenAddressSync, getMint } from '@solana/spl-token';
import { type Connection, type Keypair, type PublicKey, Transaction } from '@solana/web3.js';
import { EconomyClient, MarketplaceClient, defaultMarketParams, defaultParams, economyProgram, marketplaceProgram } from '@spicetime/sdk';
import { walletOf } from '@spicetime/sdk/litesvm';

const { BN } = anchor;

/** What to configure, and with what. */
export interface MarketSetup {
  connection: Connection;
  /** Admin, treasury and payer; holds the genesis $COMPUTE. */
  wallet: Keypair;
  ubcMint: PublicKey;
  computeMint: PublicKey;
  /** Whole $UBC a provider or verifier must stake (default 1,000). */
  minCollateral?: bigint;
  /** Share of the wallet's $COMPUTE moved into the rewards vault, in bps (default 1,000 = 10%). */
  rewardsShareBps?: number;
}

/** Configures what is missing; returns one line per step taken or found done. */
export async function configureLocalMarketplace(s: MarketSetup): Promise<string[]> {
  const provider = new AnchorProvider(s.connection, walletOf(s.wallet), { commitment: 'confirmed' });
  const economy = new EconomyClient(economyProgram(provider));
  const market = new MarketplaceClient(marketplaceProgram(provider), economy);
  const admin = s.wallet.publicKey;
  const lines: string[] = [];

  if (!(await economy.fetchConfig())) {
    const ubc = await getMint(s.connection, s.ubcMint, 'confirmed', TOKEN_2022_PROGRAM_ID);
    const compute = await getMint(s.connection, s.computeMint, 'confirmed', TOKEN_2022_PROGRAM_ID);
    const minCollateral = (s.minCollateral ?? 1_000n) * 10n ** BigInt(ubc.decimals);
    await economy.configInit({ admin, treasury: admin, params: defaultParams(compute.decimals, new BN(minCollateral.toString())) });
    await economy.mintsAdopt({ admin, ubcMint: s.ubcMint, computeMint: s.computeMint, ubcTokenProgram: TOKEN_2022_PROGRAM_ID, computeTokenProgram: TOKEN_2022_PROGRAM_ID });
    const source = getAssociatedTokenAddressSync(s.computeMint, admin, false, TOKEN_2022_PROGRAM_ID);
    const held = BigInt((await s.connection.getTokenAccountBalance(source)).value.amount);
    const rewards = (held * BigInt(s.rewardsShareBps ?? 1_000)) / 10_000n;
    if (rewards > 0n) {
      const ix = createTransferCheckedInstruction(source, s.computeMint, economy.addresses.rewardsVault, admin, rewards, compute.decimals, [], TOKEN_2022_PROGRAM_ID);
      await provider.sendAndConfirm(new Transaction().add(ix));
    }
    lines.push(`economy    configured: adopts the genesis mints, rewards vault ${rewards} base units, provider minimum ${minCollateral}`);
  } else {
    lines.push('economy    already configured');
  }
  if (!(await market.fetchMarket())) {
    await market.marketInit({ admin, params: defaultMarketParams() });
    lines.push('market     created with the default parameters');
  } else {
    lines.push('market     already created');
  }
  return lines;
}
