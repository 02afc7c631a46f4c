use spicetime_abi::cpi::{create_pda_account, NewAccount};
use spicetime_abi::prelude::*;
use spicetime_abi::token::{self, TokenAccount, TokenMove};

use crate::errors::EconomyError;
use crate::events::CollateralDeposited;
use crate::seeds::{COLLATERAL_SEED, CONFIG_SEED, STAKE_VAULT_SEED};
use crate::state::{Collateral, Config};

spicetime_abi::instruction! {
    /// Adds $UBC to the provider's collateral, creating the collateral account on the first
    /// deposit. Refused while paused.
    pub struct CollateralDeposit = "collateral_deposit" {
        accounts {
            /// 0. [writable] The config PDA `["config"]`.
            config: [writable] pda({CONFIG_SEED}),
            /// 1. [writable, signer] The provider, who pays the collateral account's rent.
            provider: [writable, signer],
            /// 2. [writable] The collateral PDA `["collateral", provider]`, created on the first deposit.
            collateral: [writable] seeds({COLLATERAL_SEED}, provider),
            /// 3. [writable] The provider's $UBC token account.
            source: [writable],
            /// 4. [writable] The stake vault PDA `["stake_vault"]`, which holds collateral too.
            stake_vault: [writable] pda({STAKE_VAULT_SEED}),
            /// 5. [] $UBC.
            ubc_mint: [],
            /// 6. [] $UBC's token program.
            token_program: [],
            /// 7. [] The System program.
            system_program: [] address(SYSTEM_PROGRAM_ID),
        }
        args {
            /// $UBC in base units.
            amount: u64,
        }
    }
}

pub fn process(mut ix: CollateralDeposit, program_id: &Address) -> ProgramResult {
    let config = Config::read_mut(&mut ix.config, program_id)?;
    config.check_not_paused()?;
    config.check_mints_set()?;
    config.check_ubc(ix.ubc_mint.address(), ix.token_program.address())?;
    Config::check_stored(&ix.stake_vault, &config.stake_vault, "stake_vault")?;
    if ix.amount == 0 {
        return Err(EconomyError::InvalidAmount.into());
    }
    TokenAccount::load(&ix.source, &ix.token_program, "source")?.check_mint(&config.ubc_mint, "source")?.check_owner(ix.provider.address(), "source")?;

    let fresh = ix.collateral.owned_by(&SYSTEM_PROGRAM_ID) && ix.collateral.is_data_empty();
    let mut collateral = if fresh {
        Collateral { provider: *ix.provider.address(), bump: ix.collateral.bump, ..Collateral::default() }
    } else {
        let existing = Collateral::read(&ix.collateral, program_id, ix.provider.address())?;
        spicetime_abi::pda::check_stored_bump(&ix.collateral, existing.bump, "collateral")?;
        existing
    };
    collateral.amount = collateral.amount.checked_add(ix.amount).ok_or(EconomyError::ArithmeticOverflow)?;
    config.total_collateral = config.total_collateral.checked_add(ix.amount).ok_or(EconomyError::ArithmeticOverflow)?;

    if fresh {
        let bump = [ix.collateral.bump];
        let seeds = [Seed::from(COLLATERAL_SEED), Seed::from(ix.provider.address().as_ref()), Seed::from(&bump)];
        create_pda_account(&NewAccount { payer: &ix.provider, account: &ix.collateral, space: Collateral::SPACE, owner: program_id }, &seeds)?;
    }
    collateral.save(&mut ix.collateral)?;
    let deposit = TokenMove { token_program: &ix.token_program, from: &ix.source, mint: &ix.ubc_mint, to: &ix.stake_vault, authority: &ix.provider };
    token::transfer_checked(&deposit, ix.amount, config.ubc_decimals, &[])?;

    CollateralDeposited { provider: collateral.provider, amount: ix.amount, collateral: collateral.amount, total_collateral: config.total_collateral }.emit();
    Ok(())
}
