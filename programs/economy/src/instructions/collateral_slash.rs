use spicetime_abi::prelude::*;
use spicetime_abi::token::{TokenAccount, TokenMove};

use crate::errors::EconomyError;
use crate::events::CollateralSlashed;
use crate::marketplace::MARKETPLACE_CALLER;
use crate::payout::pay_ubc;
use crate::seeds::{AUTHORITY_SEED, COLLATERAL_SEED, CONFIG_SEED, STAKE_VAULT_SEED};
use crate::state::{Collateral, Config};

/// Basis points in a whole.
const BPS: u128 = 10_000;

spicetime_abi::instruction! {
    /// Marketplace only (after a proven challenge; never an admin): moves `amount` of a provider's
    /// collateral to the challenger (`challenger_bps` of it, rounded down) and the treasury (the
    /// rest), to the base unit. Job locks are left as they are: the marketplace releases the
    /// challenged job's lock with `collateral_release`. Not blocked by the pause.
    pub struct CollateralSlash = "collateral_slash" {
        accounts {
            /// 0. [writable] The config PDA `["config"]`.
            config: [writable] pda({CONFIG_SEED}),
            /// 1. [signer] The marketplace's PDA `["economy_caller"]`, signing through its CPI.
            marketplace_caller: [signer] address(MARKETPLACE_CALLER),
            /// 2. [] The provider.
            provider: [],
            /// 3. [writable] The collateral PDA `["collateral", provider]`.
            collateral: [writable] pda({COLLATERAL_SEED}, provider),
            /// 4. [writable] The challenger's $UBC token account.
            challenger: [writable],
            /// 5. [writable] A $UBC token account of the configured treasury.
            treasury: [writable],
            /// 6. [writable] The stake vault PDA `["stake_vault"]`.
            stake_vault: [writable] pda({STAKE_VAULT_SEED}),
            /// 7. [] $UBC.
            ubc_mint: [],
            /// 8. [] The program's authority PDA `["authority"]`, owner of the vault.
            authority: [] pda({AUTHORITY_SEED}),
            /// 9. [] $UBC's token program.
            token_program: [],
        }
        args {
            /// $UBC in base units taken from the collateral.
            amount: u64,
            /// The challenger's share in basis points (at most 10000); the treasury gets the rest.
            challenger_bps: u16,
        }
    }
}

pub fn process(mut ix: CollateralSlash, program_id: &Address) -> ProgramResult {
    let config = Config::read_mut(&mut ix.config, program_id)?;
    config.check_ubc(ix.ubc_mint.address(), ix.token_program.address())?;
    let collateral = Collateral::read_mut(&mut ix.collateral, program_id, ix.provider.address())?;
    if ix.challenger_bps as u128 > BPS {
        return Err(EconomyError::SlashBpsExceeded.into());
    }
    let challenger = TokenAccount::load(&ix.challenger, &ix.token_program, "challenger")?.check_mint(&config.ubc_mint, "challenger")?;
    TokenAccount::load(&ix.treasury, &ix.token_program, "treasury")?.check_mint(&config.ubc_mint, "treasury")?.check_owner(&config.treasury, "treasury")?;
    collateral.take(ix.amount)?;
    // amount × bps / 10,000 ≤ amount, so it fits in u64 and the remainder never underflows.
    let challenger_amount = ((ix.amount as u128).checked_mul(ix.challenger_bps as u128).ok_or(EconomyError::ArithmeticOverflow)? / BPS) as u64;
    let treasury_amount = ix.amount.checked_sub(challenger_amount).ok_or(EconomyError::ArithmeticOverflow)?;
    config.total_collateral = config.total_collateral.checked_sub(ix.amount).ok_or(EconomyError::ArithmeticOverflow)?;
    config.total_slashed = config.total_slashed.checked_add(ix.amount).ok_or(EconomyError::ArithmeticOverflow)?;

    for (to, part) in [(&ix.challenger, challenger_amount), (&ix.treasury, treasury_amount)] {
        if part > 0 {
            let payout = TokenMove { token_program: &ix.token_program, from: &ix.stake_vault, mint: &ix.ubc_mint, to, authority: &ix.authority };
            pay_ubc(&config, &payout, part)?;
        }
    }

    CollateralSlashed {
        provider: collateral.provider,
        amount: ix.amount,
        challenger: challenger.owner,
        challenger_amount,
        treasury_amount,
        collateral: collateral.amount,
        total_collateral: config.total_collateral,
        total_slashed: config.total_slashed,
    }
    .emit();
    Ok(())
}
