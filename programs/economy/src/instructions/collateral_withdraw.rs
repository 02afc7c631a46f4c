use pinocchio::sysvars::{clock::Clock, Sysvar};
use spicetime_abi::prelude::*;
use spicetime_abi::token::{TokenAccount, TokenMove};

use crate::errors::EconomyError;
use crate::events::CollateralWithdrawn;
use crate::payout::pay_ubc;
use crate::seeds::{AUTHORITY_SEED, COLLATERAL_SEED, CONFIG_SEED, STAKE_VAULT_SEED};
use crate::state::{Collateral, Config};

spicetime_abi::instruction! {
    /// Returns unlocked collateral once the cooldown is over, never while the provider has open
    /// jobs. Withdrawing all of it closes the account, its rent back to the provider. Never
    /// blocked by the pause. What remains may fall below the provider minimum: the marketplace
    /// checks that when a provider registers.
    pub struct CollateralWithdraw = "collateral_withdraw" {
        accounts {
            /// 0. [writable] The config PDA `["config"]`.
            config: [writable] pda({CONFIG_SEED}),
            /// 1. [writable, signer] The provider, who gets the rent back on closing.
            provider: [writable, signer],
            /// 2. [writable] The collateral PDA `["collateral", provider]`.
            collateral: [writable] pda({COLLATERAL_SEED}, provider),
            /// 3. [writable] The $UBC token account paid.
            destination: [writable],
            /// 4. [writable] The stake vault PDA `["stake_vault"]`.
            stake_vault: [writable] pda({STAKE_VAULT_SEED}),
            /// 5. [] $UBC.
            ubc_mint: [],
            /// 6. [] The program's authority PDA `["authority"]`, owner of the vault.
            authority: [] pda({AUTHORITY_SEED}),
            /// 7. [] $UBC's token program.
            token_program: [],
        }
        args {
            /// $UBC in base units, at most the collateral.
            amount: u64,
        }
    }
}

pub fn process(mut ix: CollateralWithdraw, program_id: &Address) -> ProgramResult {
    let config = Config::read_mut(&mut ix.config, program_id)?;
    config.check_ubc(ix.ubc_mint.address(), ix.token_program.address())?;
    let collateral = Collateral::read_mut(&mut ix.collateral, program_id, ix.provider.address())?;
    collateral.check_no_open_jobs()?;
    if collateral.unlock_requested_ts == 0 {
        return Err(EconomyError::CollateralNotUnlocked.into());
    }
    if Clock::get()?.unix_timestamp < collateral.withdrawable_ts(config.params.unlock_cooldown)? {
        return Err(EconomyError::CooldownNotEnded.into());
    }
    TokenAccount::load(&ix.destination, &ix.token_program, "destination")?.check_mint(&config.ubc_mint, "destination")?;
    collateral.take(ix.amount)?;
    config.total_collateral = config.total_collateral.checked_sub(ix.amount).ok_or(EconomyError::ArithmeticOverflow)?;

    let payout = TokenMove { token_program: &ix.token_program, from: &ix.stake_vault, mint: &ix.ubc_mint, to: &ix.destination, authority: &ix.authority };
    pay_ubc(&config, &payout, ix.amount)?;
    let event = CollateralWithdrawn { provider: collateral.provider, amount: ix.amount, collateral: collateral.amount, total_collateral: config.total_collateral, closed: collateral.amount == 0 };
    if event.closed {
        spicetime_abi::account::close(&mut ix.collateral, &mut ix.provider)?;
    }
    event.emit();
    Ok(())
}
