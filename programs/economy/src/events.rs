//! Events, one per state change, carrying the post-change values an indexer needs.

use pinocchio::Address;

use crate::state::{Config, ConfigParams, MintMode, Tier};

spicetime_abi::event! {
    /// The configuration was created.
    pub struct ConfigInitialized { admin: Address, treasury: Address, params: ConfigParams }
}

spicetime_abi::event! {
    /// The parameters changed.
    pub struct ConfigUpdated { admin: Address, params: ConfigParams }
}

spicetime_abi::event! {
    /// The admin proposed a successor, who must accept.
    pub struct AdminProposed { admin: Address, pending_admin: Address }
}

spicetime_abi::event! {
    /// The proposed admin accepted and is now the admin.
    pub struct AdminAccepted { admin: Address }
}

spicetime_abi::event! {
    /// Deposits were paused or resumed.
    pub struct PauseSet { paused: bool }
}

spicetime_abi::event! {
    /// The mints were set: created by the program or adopted.
    pub struct MintsSet { mode: MintMode, ubc_mint: Address, compute_mint: Address, ubc_decimals: u8, compute_decimals: u8 }
}

impl MintsSet {
    /// The event for a config whose mints were just set.
    pub fn of(config: &Config) -> Self {
        MintsSet {
            mode: config.mint_mode,
            ubc_mint: config.ubc_mint,
            compute_mint: config.compute_mint,
            ubc_decimals: config.ubc_decimals,
            compute_decimals: config.compute_decimals,
        }
    }
}

spicetime_abi::event! {
    /// The fixed $UBC supply was minted and the mint authority removed.
    pub struct UbcGenesisMinted { supply: u64, destination: Address }
}

spicetime_abi::event! {
    /// $UBC was staked into a new position.
    pub struct StakeDeposited {
        owner: Address,
        position: Address,
        position_id: u64,
        tier: Tier,
        amount: u64,
        rate: u64,
        start_ts: i64,
        lockup_end_ts: i64,
        total_staked: u64,
    }
}

spicetime_abi::event! {
    /// Yield was paid.
    pub struct YieldClaimed { owner: Address, position: Address, amount: u64, claimed: u64, total_yield_paid: u64 }
}

spicetime_abi::event! {
    /// A position stopped earning; it can be withdrawn from `withdrawable_ts`.
    pub struct StakeUnlocked { owner: Address, position: Address, unlocked_ts: i64, withdrawable_ts: i64 }
}

spicetime_abi::event! {
    /// A position was withdrawn and closed.
    pub struct StakeWithdrawn { owner: Address, position: Address, amount: u64, total_staked: u64 }
}

spicetime_abi::event! {
    /// $COMPUTE was burned.
    pub struct TokensBurned { owner: Address, amount: u64, total_burned: u64 }
}

spicetime_abi::event! {
    /// A provider deposited $UBC collateral.
    pub struct CollateralDeposited { provider: Address, amount: u64, collateral: u64, total_collateral: u64 }
}

spicetime_abi::event! {
    /// A provider started the collateral cooldown; withdrawals open at `withdrawable_ts`.
    pub struct CollateralUnlocked { provider: Address, unlock_requested_ts: i64, withdrawable_ts: i64 }
}

spicetime_abi::event! {
    /// A provider withdrew collateral; `closed` when nothing is left and the account is gone.
    pub struct CollateralWithdrawn { provider: Address, amount: u64, collateral: u64, total_collateral: u64, closed: bool }
}

spicetime_abi::event! {
    /// The marketplace locked a provider's collateral for a new job (any pending unlock is cancelled).
    pub struct CollateralLocked { provider: Address, open_jobs: u64 }
}

spicetime_abi::event! {
    /// The marketplace released a provider's job lock.
    pub struct CollateralReleased { provider: Address, open_jobs: u64 }
}

spicetime_abi::event! {
    /// The marketplace slashed a provider: `amount` = `challenger_amount` + `treasury_amount`.
    pub struct CollateralSlashed {
        provider: Address,
        amount: u64,
        challenger: Address,
        challenger_amount: u64,
        treasury_amount: u64,
        collateral: u64,
        total_collateral: u64,
        total_slashed: u64,
    }
}

spicetime_abi::event! {
    /// The marketplace paid a provider reward in $COMPUTE.
    pub struct ProviderRewarded { recipient: Address, destination: Address, amount: u64, total_rewards_paid: u64 }
}
