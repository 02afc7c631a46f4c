import anchor from '@coral-xyz/anchor';
import { TOKEN_PROGRAM_ID, createAssociatedTokenAccountIdempotentInstruction, createTransferCheckedInstruction, getAssociatedTokenAddressSync } from '@solana/spl-token';
import { Keypair, type PublicKey, Transaction } from '@solana/web3.js';
import {
  type LayerPublication,
  type MarketParams,
  MarketplaceClient,
  defaultMarketParams,
  economyAddresses,
  marketplaceProgram,
  sha256,
} from '../src/index.ts';
import { DECIMALS, EconomyFixture, WHOLE } from './economy-fixture.ts';

// Anchor is CommonJS: BN is on its default export under Node's ESM loader (scripts run by tsx use this fixture).
const { BN } = anchor;

/** Where $UBC and $COMPUTE come from in a test. */
export type MintMode = 'program mints' | 'existing mints';

/** The least collateral a provider or verifier stakes in these tests. */
export const MIN_COLLATERAL = 1_000n * WHOLE;

/** A layer publication with test defaults. */
export function layerSpec(overrides: Partial<LayerPublication> = {}): LayerPublication {
  return {
    name: 'Pirate speak',
    uri: 'ipfs://bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku',
    sha256: sha256('weights'),
    size: 4_096,
    baseModel: 'qwen2-0.5b',
    license: 'Apache-2.0',
    pricePerThousand: 1_000_000,
    royaltyBps: 1_000,
    ...overrides,
  };
}

/**
 * A chain with the economy and marketplace programs, both configured: the economy in either mint
 * mode (its defaults: 0.5% burn, 1% treasury fee; a provider minimum of {@link MIN_COLLATERAL}),
 * the market with {@link defaultMarketParams}. Users get associated $UBC and $COMPUTE accounts,
 * funded for real: minted by an outside authority (existing mints) or paid out of the $UBC genesis
 * and staking yield (program mints).
 */
export class MarketFixture extends EconomyFixture {
  readonly market: MarketplaceClient;
  ubcMint!: PublicKey;
  computeMint!: PublicKey;
  tokenProgram: PublicKey = TOKEN_PROGRAM_ID;
  private mintAuthority: Keypair | null = null;
  private genesis: PublicKey | null = null;
  private computeBank: PublicKey | null = null;

  constructor(readonly mode: MintMode = 'existing mints') {
    super(['economy', 'marketplace']);
    this.market = new MarketplaceClient(marketplaceProgram(this.provider), this.client);
  }

  /** Configures both programs. */
  async setup(params: Partial<MarketParams> = {}, tokenProgram = TOKEN_PROGRAM_ID): Promise<this> {
    await this.setupEconomy(tokenProgram);
    await this.market.marketInit({ admin: this.admin, params: defaultMarketParams(params) });
    return this;
  }

  /** Configures the economy with its mints (what the market needs before it is created). */
  async setupEconomy(tokenProgram = TOKEN_PROGRAM_ID): Promise<this> {
    this.tokenProgram = tokenProgram;
    await this.initConfig({ providerMinCollateral: new BN(MIN_COLLATERAL.toString()) });
    if (this.mode === 'existing mints') {
      const m = await this.existingMints(tokenProgram);
      this.mintAuthority = m.mintAuthority;
      ({ ubcMint: this.ubcMint, computeMint: this.computeMint } = m);
      this.mintTo(this.computeMint, economyAddresses().rewardsVault, 1_000_000_000n * WHOLE, m.mintAuthority, tokenProgram);
    } else {
      const m = await this.programMints(tokenProgram);
      ({ ubcMint: this.ubcMint, computeMint: this.computeMint, genesis: this.genesis } = m);
      // $COMPUTE only comes out of the program: stake half the genesis for a year's tier, one day's yield.
      this.computeBank = this.ata(this.admin, this.computeMint);
      this.ata(this.admin, this.ubcMint);
      await this.client.stakeDeposit({ owner: this.admin, source: m.genesis, positionId: 0, tier: 'days365', amount: 500_000_000n * WHOLE });
      this.warp(86_400);
      await this.client.stakeClaim({ owner: this.admin, destination: this.computeBank, positionId: 0 });
    }
    return this;
  }

  /** `owner`'s associated account of `mint`, created if missing. */
  ata(owner: PublicKey, mint: PublicKey): PublicKey {
    const account = getAssociatedTokenAddressSync(mint, owner, true, this.tokenProgram);
    this.provider.execute(new Transaction().add(createAssociatedTokenAccountIdempotentInstruction(this.admin, account, owner, mint, this.tokenProgram)));
    return account;
  }

  private fund(mint: PublicKey, owner: PublicKey, amount: bigint, bank: PublicKey | null): PublicKey {
    const account = this.ata(owner, mint);
    if (amount === 0n) return account;
    if (this.mintAuthority) this.mintTo(mint, account, amount, this.mintAuthority, this.tokenProgram);
    else this.provider.execute(new Transaction().add(createTransferCheckedInstruction(bank!, mint, account, this.admin, amount, DECIMALS, [], this.tokenProgram)));
    return account;
  }

  /** Gives `owner` `amount` $UBC base units in its associated account. */
  fundUbc(owner: PublicKey, amount: bigint): PublicKey {
    return this.fund(this.ubcMint, owner, amount, this.genesis);
  }

  /** Gives `owner` `amount` $COMPUTE base units in its associated account. */
  fundCompute(owner: PublicKey, amount: bigint): PublicKey {
    return this.fund(this.computeMint, owner, amount, this.computeBank);
  }

  /** A user whose own wallet signs its marketplace calls, with `compute` $COMPUTE; from `seed` (1-255) when given, for repeatable PDAs. */
  marketUser(compute = 0n, seed?: number) {
    const u = this.user(10_000_000_000n, seed);
    const market = new MarketplaceClient(marketplaceProgram(u.provider), u.client);
    this.fundCompute(u.publicKey, compute);
    return { ...u, market };
  }

  /** A registered provider with collateral and its own node key; serves `baseModels`. */
  async registeredProvider(a: { pricePerThousand?: bigint | number; baseModels?: string; collateral?: bigint; seed?: number } = {}) {
    const u = this.marketUser(0n, a.seed);
    const nodeKey = Keypair.generate();
    const source = this.fundUbc(u.publicKey, a.collateral ?? MIN_COLLATERAL);
    await u.client.collateralDeposit({ provider: u.publicKey, source, amount: a.collateral ?? MIN_COLLATERAL });
    await u.market.providerRegister({
      authority: u.publicKey,
      spec: { nodeKey: nodeKey.publicKey, pricePerThousand: new BN((a.pricePerThousand ?? 2_000_000).toString()), endpoint: 'http://127.0.0.1:7777', baseModels: a.baseModels ?? 'qwen2-0.5b, llama-3-8b' },
    });
    return { ...u, nodeKey };
  }

  /** A registered verifier with collateral; from `seed` when given. */
  async registeredVerifier(seed?: number) {
    const u = this.marketUser(0n, seed);
    const source = this.fundUbc(u.publicKey, MIN_COLLATERAL);
    await u.client.collateralDeposit({ provider: u.publicKey, source, amount: MIN_COLLATERAL });
    await u.market.verifierRegister({ authority: u.publicKey });
    return u;
  }

  /** A layer published by a fresh creator; its creator and mint keys from `seeds` when given, for repeatable PDAs. */
  async publishedLayer(overrides: Partial<LayerPublication> = {}, seeds: { creator?: number; mint?: number } = {}) {
    const creator = this.marketUser(0n, seeds.creator);
    const mint = seeds.mint === undefined ? undefined : Keypair.fromSeed(new Uint8Array(32).fill(seeds.mint));
    const published = await creator.market.publishLayer({ creator: creator.publicKey, layer: layerSpec(overrides), mint });
    return { creator, ...published };
  }

  /** $COMPUTE balance of `owner`'s associated account (0 when it does not exist). */
  async computeOf(owner: PublicKey): Promise<bigint> {
    const account = getAssociatedTokenAddressSync(this.computeMint, owner, true, this.tokenProgram);
    const info = this.provider.svm.getAccount(account.toBase58() as never);
    return info.exists ? this.balance(account, this.tokenProgram) : 0n;
  }
}
