import anchor, { type IdlAccounts, type IdlTypes, type Program } from '@coral-xyz/anchor';
import type { PublicKey, TransactionInstruction } from '@solana/web3.js';
import type { Economy } from './idl/economy.ts';
import { collateralAddress, economyAddresses, positionAddress } from './pda.ts';

// Anchor is CommonJS: BN is on its default export under Node's ESM loader.
const { BN } = anchor;

/** The economy configuration as the Anchor client decodes it. */
export type EconomyConfig = IdlAccounts<Economy>['config'];
/** A stake position as the Anchor client decodes it. */
export type StakePosition = IdlAccounts<Economy>['position'];
/** A provider's collateral as the Anchor client decodes it. */
export type CollateralAccount = IdlAccounts<Economy>['collateral'];
/** The admin's bounded parameters. */
export type ConfigParams = IdlTypes<Economy>['configParams'];
/** Lockup tiers, in the Anchor client's enum form. */
export const TIERS = {
  flexible: { flexible: {} },
  days90: { days90: {} },
  days165: { days165: {} },
  days365: { days365: {} },
} as const;
/** A lockup tier. */
export type TierName = keyof typeof TIERS;

const DAY = 86_400;

/**
 * The tokenomics defaults: burn 0.5%, treasury fee 1%, a one-day unlock cooldown, and tiers of
 * flexible / 90 / 165 / 365 days paying 0 / 0.3 / 0.5 / 1 $COMPUTE per day per 1,000 $UBC.
 */
export function defaultParams(computeDecimals: number, providerMinCollateral = new BN(0)): ConfigParams {
  const compute = (fraction: number) => new BN(Math.round(fraction * 1000)).mul(new BN(10).pow(new BN(computeDecimals))).div(new BN(1000));
  return {
    burnBps: 50,
    treasuryFeeBps: 100,
    providerMinCollateral,
    unlockCooldown: new BN(DAY),
    tierLockups: [new BN(0), new BN(90 * DAY), new BN(165 * DAY), new BN(365 * DAY)],
    tierRates: [compute(0), compute(0.3), compute(0.5), compute(1)],
  };
}

/**
 * Typed calls of the economy program. Anchor resolves the PDAs from the IDL; these fill in the
 * rest (mints, vaults, token programs) from the on-chain config.
 */
export class EconomyClient {
  readonly addresses: ReturnType<typeof economyAddresses>;

  constructor(readonly program: Program<Economy>) {
    this.addresses = economyAddresses(program.programId);
  }

  /** The configuration, or null before `config_init`. */
  fetchConfig(): Promise<EconomyConfig | null> {
    return this.program.account.config.fetchNullable(this.addresses.config);
  }

  /** A stake position, or null when it does not exist (never made, or withdrawn). */
  fetchPosition(owner: PublicKey, positionId: bigint | number): Promise<StakePosition | null> {
    return this.program.account.position.fetchNullable(positionAddress(owner, positionId, this.program.programId));
  }

  /** A provider's collateral, or null when it does not exist (never deposited, or all withdrawn). */
  fetchCollateral(provider: PublicKey): Promise<CollateralAccount | null> {
    return this.program.account.collateral.fetchNullable(collateralAddress(provider, this.program.programId));
  }

  /** Creates the configuration; the provider's wallet (`admin`) becomes the admin. */
  configInit(a: { admin: PublicKey; treasury: PublicKey; params: ConfigParams }) {
    return this.program.methods.configInit(a.treasury, a.params).accounts({ admin: a.admin }).rpc();
  }

  /** Replaces the bounded parameters (admin). */
  configUpdate(a: { admin: PublicKey; params: ConfigParams }) {
    return this.program.methods.configUpdate(a.params).accounts({ admin: a.admin }).rpc();
  }

  /** Proposes `pendingAdmin` as the next admin (admin); it takes over by {@link adminAccept}. */
  adminPropose(a: { admin: PublicKey; pendingAdmin: PublicKey }) {
    return this.program.methods.adminPropose(a.pendingAdmin).accounts({ admin: a.admin }).rpc();
  }

  /** The proposed admin accepts and becomes the admin. */
  adminAccept(a: { pendingAdmin: PublicKey }) {
    return this.program.methods.adminAccept().accounts({ pendingAdmin: a.pendingAdmin }).rpc();
  }

  /** Pauses or resumes deposits (admin); unstaking, withdrawals and refunds never stop. */
  pauseSet(a: { admin: PublicKey; paused: boolean }) {
    return this.program.methods.pauseSet(a.paused).accounts({ admin: a.admin }).rpc();
  }

  /** Program-mint mode: creates $UBC and $COMPUTE under `tokenProgram` with the program's PDA as authority (admin). */
  mintsCreate(a: { admin: PublicKey; tokenProgram: PublicKey; ubcDecimals: number; computeDecimals: number }) {
    return this.program.methods.mintsCreate(a.ubcDecimals, a.computeDecimals).accounts({ admin: a.admin, tokenProgram: a.tokenProgram }).rpc();
  }

  /** Mints the fixed $UBC supply to `destination` once and removes the mint authority (admin). */
  async ubcGenesis(a: { admin: PublicKey; destination: PublicKey; supply: bigint | number }) {
    const config = await this.config();
    return this.program.methods
      .ubcGenesis(new BN(a.supply.toString()))
      .accounts({ admin: a.admin, ubcMint: config.ubcMint, destination: a.destination, tokenProgram: config.ubcTokenProgram })
      .rpc();
  }

  /** Existing-mint mode: adopts mints whose authority the program does not hold (admin). */
  mintsAdopt(a: { admin: PublicKey; ubcMint: PublicKey; computeMint: PublicKey; ubcTokenProgram: PublicKey; computeTokenProgram: PublicKey }) {
    return this.program.methods.mintsAdopt().accounts(a).rpc();
  }

  private async config(): Promise<EconomyConfig> {
    const config = await this.fetchConfig();
    if (!config) throw new Error('the economy config does not exist yet');
    return config;
  }

  /** Stakes `amount` $UBC base units from `source` into position `positionId` of `tier`. */
  async stakeDeposit(a: { owner: PublicKey; source: PublicKey; positionId: bigint | number; tier: TierName; amount: bigint | number }) {
    const config = await this.config();
    return this.program.methods
      .stakeDeposit(new BN(a.positionId.toString()), TIERS[a.tier], new BN(a.amount.toString()))
      .accounts({ owner: a.owner, source: a.source, ubcMint: config.ubcMint, tokenProgram: config.ubcTokenProgram })
      .rpc();
  }

  /** Pays position `positionId`'s earned yield to the $COMPUTE account `destination`. */
  async stakeClaim(a: { owner: PublicKey; destination: PublicKey; positionId: bigint | number }) {
    const config = await this.config();
    return this.program.methods
      .stakeClaim(new BN(a.positionId.toString()))
      .accounts({ owner: a.owner, destination: a.destination, computeMint: config.computeMint, tokenProgram: config.computeTokenProgram })
      .rpc();
  }

  /** Stops position `positionId` earning so it can be withdrawn. */
  stakeUnlock(a: { owner: PublicKey; positionId: bigint | number }) {
    return this.program.methods.stakeUnlock(new BN(a.positionId.toString())).accounts({ owner: a.owner }).rpc();
  }

  /** Returns an unlocked position's $UBC to `destination` and closes it. */
  async stakeWithdraw(a: { owner: PublicKey; destination: PublicKey; positionId: bigint | number }) {
    const config = await this.config();
    return this.program.methods
      .stakeWithdraw(new BN(a.positionId.toString()))
      .accounts({ owner: a.owner, destination: a.destination, ubcMint: config.ubcMint, tokenProgram: config.ubcTokenProgram })
      .rpc();
  }

  /** Burns `amount` $COMPUTE base units from the owner's account `source`. */
  async tokenBurn(a: { owner: PublicKey; source: PublicKey; amount: bigint | number }) {
    const config = await this.config();
    return this.program.methods
      .tokenBurn(new BN(a.amount.toString()))
      .accounts({ owner: a.owner, source: a.source, computeMint: config.computeMint, tokenProgram: config.computeTokenProgram })
      .rpc();
  }

  /** Adds `amount` $UBC base units from the provider's `source` to its collateral (refused while paused). */
  async collateralDeposit(a: { provider: PublicKey; source: PublicKey; amount: bigint | number }) {
    const config = await this.config();
    return this.program.methods
      .collateralDeposit(new BN(a.amount.toString()))
      .accounts({ provider: a.provider, source: a.source, ubcMint: config.ubcMint, tokenProgram: config.ubcTokenProgram })
      .rpc();
  }

  /** Starts the provider's collateral cooldown (refused while it has open jobs). */
  collateralUnlock(a: { provider: PublicKey }) {
    return this.program.methods.collateralUnlock().accounts({ provider: a.provider }).rpc();
  }

  /**
   * Returns `amount` of unlocked collateral to `destination` after the cooldown; withdrawing all
   * of it closes the account. Works while paused; never while the provider has open jobs.
   */
  async collateralWithdraw(a: { provider: PublicKey; destination: PublicKey; amount: bigint | number }) {
    const config = await this.config();
    return this.program.methods
      .collateralWithdraw(new BN(a.amount.toString()))
      .accounts({ provider: a.provider, destination: a.destination, ubcMint: config.ubcMint, tokenProgram: config.ubcTokenProgram })
      .rpc();
  }

  /**
   * The marketplace-only instructions, for the marketplace program's callers and tests. Each has
   * {@link MARKETPLACE_CALLER} as a signer, so it runs only inside a CPI from the marketplace
   * program signed with that PDA; sent directly it fails.
   */
  readonly marketplace = {
    /** `collateral_lock`: one more open job for `provider`. */
    collateralLock: (a: { provider: PublicKey }): Promise<TransactionInstruction> =>
      this.program.methods.collateralLock().accounts({ provider: a.provider }).instruction(),

    /** `collateral_release`: one job fewer for `provider`. */
    collateralRelease: (a: { provider: PublicKey }): Promise<TransactionInstruction> =>
      this.program.methods.collateralRelease().accounts({ provider: a.provider }).instruction(),

    /**
     * `collateral_slash`: `amount` of `provider`'s collateral, `challengerBps` of it to the $UBC
     * account `challenger`, the rest to the treasury's $UBC account `treasury`.
     */
    collateralSlash: async (a: { provider: PublicKey; challenger: PublicKey; treasury: PublicKey; amount: bigint | number; challengerBps: number }): Promise<TransactionInstruction> => {
      const config = await this.config();
      return this.program.methods
        .collateralSlash(new BN(a.amount.toString()), a.challengerBps)
        .accounts({ provider: a.provider, challenger: a.challenger, treasury: a.treasury, ubcMint: config.ubcMint, tokenProgram: config.ubcTokenProgram })
        .instruction();
    },

    /** `reward_pay`: `amount` $COMPUTE base units to the token account `destination`. */
    rewardPay: async (a: { destination: PublicKey; amount: bigint | number }): Promise<TransactionInstruction> => {
      const config = await this.config();
      return this.program.methods
        .rewardPay(new BN(a.amount.toString()))
        .accounts({ destination: a.destination, computeMint: config.computeMint, tokenProgram: config.computeTokenProgram })
        .instruction();
    },

    /**
     * `settlement_finish`: a settlement's economy side in one call — burns `burn` from `source` (a
     * token account the marketplace's PDA owns), pays `reward` to the $COMPUTE account
     * `destination`, and releases one of `provider`'s collateral locks.
     */
    settlementFinish: async (a: { provider: PublicKey; source: PublicKey; destination: PublicKey; burn: bigint | number; reward: bigint | number }): Promise<TransactionInstruction> => {
      const config = await this.config();
      return this.program.methods
        .settlementFinish(new BN(a.burn.toString()), new BN(a.reward.toString()))
        .accounts({ provider: a.provider, source: a.source, destination: a.destination, computeMint: config.computeMint, tokenProgram: config.computeTokenProgram })
        .instruction();
    },

    /** `settlement_burn`: `amount` $COMPUTE base units from `source`, a token account the marketplace's PDA owns. */
    settlementBurn: async (a: { source: PublicKey; amount: bigint | number }): Promise<TransactionInstruction> => {
      const config = await this.config();
      return this.program.methods
        .settlementBurn(new BN(a.amount.toString()))
        .accounts({ source: a.source, computeMint: config.computeMint, tokenProgram: config.computeTokenProgram })
        .instruction();
    },
  };
}
