//! SpiceTime economy program: the money rules ($UBC, $COMPUTE, staking, collateral, burn,
//! treasury). This file is the table of contents: the program id, then one line per instruction.
#![cfg_attr(not(any(test, feature = "idl-build")), no_std)]

pinocchio::address::declare_id!("9sfkms9xCETCZUHRfvrrXwxa8ZiCpZiGc63nZ85WPvXg");

pub mod errors;
pub mod events;
pub mod instructions;
pub mod marketplace;
pub mod payout;
pub mod seeds;
pub mod state;

use instructions::*;

spicetime_abi::program! {
    id = ID;
    name = "economy";
    instructions {
        // Admin
        /// Creates the economy configuration; the signer becomes its admin.
        config_init::ConfigInit => config_init::process,
        /// Replaces the bounded parameters.
        config_update::ConfigUpdate => config_update::process,
        /// Proposes a new admin, who must accept.
        admin_propose::AdminPropose => admin_propose::process,
        /// The proposed admin accepts.
        admin_accept::AdminAccept => admin_accept::process,
        /// Pauses or resumes deposits (never unstaking, withdrawals or refunds).
        pause_set::PauseSetIx => pause_set::process,
        /// Creates $UBC and $COMPUTE with the program's PDA as mint authority.
        mints_create::MintsCreate => mints_create::process,
        /// Mints the fixed $UBC supply once and removes the mint authority.
        ubc_genesis::UbcGenesis => ubc_genesis::process,
        /// Adopts existing mints; yield is then paid from a funded rewards vault.
        mints_adopt::MintsAdopt => mints_adopt::process,
        // Staker
        /// Stakes $UBC into a new position of a lockup tier.
        stake_deposit::StakeDeposit => stake_deposit::process,
        /// Pays a position's earned $COMPUTE yield.
        stake_claim::StakeClaim => stake_claim::process,
        /// Stops a position earning once its lockup is over (flexible: any time, then a cooldown).
        stake_unlock::StakeUnlock => stake_unlock::process,
        /// Returns an unlocked position's $UBC and closes it.
        stake_withdraw::StakeWithdraw => stake_withdraw::process,
        // Provider
        /// Adds $UBC collateral (refused while paused).
        collateral_deposit::CollateralDeposit => collateral_deposit::process,
        /// Starts the collateral cooldown (refused while jobs are open).
        collateral_unlock::CollateralUnlock => collateral_unlock::process,
        /// Returns collateral after the cooldown (never while jobs are open; never blocked by the pause).
        collateral_withdraw::CollateralWithdraw => collateral_withdraw::process,
        // Marketplace program (CPI signed by its PDA `["economy_caller"]`)
        /// Locks a provider's collateral for one more open job.
        collateral_lock::CollateralLock => collateral_lock::process,
        /// Releases one job's lock.
        collateral_release::CollateralRelease => collateral_release::process,
        /// Slashes collateral to the challenger and the treasury.
        collateral_slash::CollateralSlash => collateral_slash::process,
        /// Pays a provider reward in $COMPUTE.
        reward_pay::RewardPay => reward_pay::process,
        /// Burns a settlement's protocol share of $COMPUTE.
        settlement_burn::SettlementBurn => settlement_burn::process,
        /// A settlement's burn, provider reward and lock release in one call.
        settlement_finish::SettlementFinish => settlement_finish::process,
        // Anyone
        /// Burns the signer's $COMPUTE.
        token_burn::TokenBurn => token_burn::process,
    }
    accounts [state::Config, state::Position, state::Collateral]
    events [
        events::ConfigInitialized, events::ConfigUpdated, events::AdminProposed, events::AdminAccepted,
        events::PauseSet, events::MintsSet, events::UbcGenesisMinted, events::StakeDeposited,
        events::YieldClaimed, events::StakeUnlocked, events::StakeWithdrawn, events::TokensBurned,
        events::CollateralDeposited, events::CollateralUnlocked, events::CollateralWithdrawn, events::CollateralLocked,
        events::CollateralReleased, events::CollateralSlashed, events::ProviderRewarded,
    ]
    types [state::ConfigParams, state::MintMode, state::Tier]
    errors errors::EconomyError;
}
