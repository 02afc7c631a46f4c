//! Paying tokens out of the program: $UBC from the stake vault (withdrawals, slashes) and
//! $COMPUTE (staking yield, provider rewards) in either mint mode.

use spicetime_abi::prelude::*;
use spicetime_abi::token::{self, TokenAccount, TokenMove};

use crate::errors::EconomyError;
use crate::seeds::AUTHORITY_SEED;
use crate::state::{Config, MintMode};

/// Pays `amount` $COMPUTE to `payout.to`, signed by the program's authority PDA: minted when the
/// program holds the mint, otherwise taken from the rewards vault (`payout.from`) — all of it or
/// nothing, with a clear error when the vault holds less.
pub fn pay_compute(config: &Config, payout: &TokenMove, amount: u64) -> ProgramResult {
    Config::check_stored(payout.authority, &config.authority, "authority")?;
    let bump = [config.authority_bump];
    let seeds = [Seed::from(AUTHORITY_SEED), Seed::from(&bump)];
    match config.mint_mode {
        MintMode::ProgramMints => token::mint_to_checked(payout, amount, config.compute_decimals, &seeds),
        MintMode::ExistingMints => {
            Config::check_stored(payout.from, &config.rewards_vault, "rewards_vault")?;
            let vault = TokenAccount::load(payout.from, payout.token_program, "rewards_vault")?
                .check_mint(&config.compute_mint, "rewards_vault")?
                .check_owner(&config.authority, "rewards_vault")?;
            if vault.amount < amount {
                return Err(EconomyError::RewardsVaultInsufficient.into());
            }
            token::transfer_checked(payout, amount, config.compute_decimals, &seeds)
        }
        MintMode::Unset => Err(EconomyError::MintsNotSet.into()),
    }
}

/// Pays `amount` $UBC out of the stake vault (`payout.from`) to `payout.to`, signed by the
/// program's authority PDA; the vault and the authority must be the ones the config stored.
pub fn pay_ubc(config: &Config, payout: &TokenMove, amount: u64) -> ProgramResult {
    Config::check_stored(payout.from, &config.stake_vault, "stake_vault")?;
    Config::check_stored(payout.authority, &config.authority, "authority")?;
    let bump = [config.authority_bump];
    let seeds = [Seed::from(AUTHORITY_SEED), Seed::from(&bump)];
    token::transfer_checked(payout, amount, config.ubc_decimals, &seeds)
}
