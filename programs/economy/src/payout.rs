//! Paying tokens out of the program: $UBC from the stake vault (withdrawals, slashes) and
//! $COMPUTE (staking yield, provider rewards) in either mint mode.

use spicetime_abi::prelude::*;
use spicetime_abi::token::{self, TokenAccount, TokenMove};

use crate::errors::EconomyError;
use crate::seeds::AUTHORITY_SEED;
use crate::state::{Config, MintMode};
use pinocchio::error::ProgramError;

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

/// Burns a settlement's `amount` of $COMPUTE from `m.from`, a $COMPUTE account owned by
/// `m.authority` (the marketplace's PDA, signing through its CPI), and counts it in `total_burned`.
pub fn burn_settlement(config: &mut Config, m: &TokenMove, amount: u64) -> ProgramResult {
    TokenAccount::load(m.from, m.token_program, "source")?.check_mint(&config.compute_mint, "source")?.check_owner(m.authority.address(), "source")?;
    config.total_burned = config.total_burned.checked_add(amount).ok_or(EconomyError::ArithmeticOverflow)?;
    token::burn_checked(m, amount, config.compute_decimals, &[])
}

/// Pays a provider reward of `amount` $COMPUTE to `m.to` (a $COMPUTE account) with
/// [`pay_compute`] and counts it in `total_rewards_paid`; returns the account's owner.
pub fn pay_reward(config: &mut Config, m: &TokenMove, amount: u64) -> Result<Address, ProgramError> {
    let recipient = TokenAccount::load(m.to, m.token_program, "destination")?.check_mint(&config.compute_mint, "destination")?.owner;
    config.total_rewards_paid = config.total_rewards_paid.checked_add(amount).ok_or(EconomyError::ArithmeticOverflow)?;
    pay_compute(config, m, amount)?;
    Ok(recipient)
}
