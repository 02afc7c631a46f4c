use pinocchio::sysvars::{clock::Clock, Sysvar};
use spicetime_abi::prelude::*;
use spicetime_abi::token::{TokenAccount, TokenMove};

use crate::errors::EconomyError;
use crate::payout::pay_compute;
use crate::events::YieldClaimed;
use crate::seeds::{AUTHORITY_SEED, CONFIG_SEED, POSITION_SEED, REWARDS_VAULT_SEED};
use crate::state::{Config, Position};

spicetime_abi::instruction! {
    /// Pays a position's earned yield in $COMPUTE: minted by the program's PDA when it holds the
    /// mint, otherwise from the rewards vault — all of it or nothing.
    pub struct StakeClaim = "stake_claim" {
        accounts {
            /// 0. [writable] The config PDA `["config"]`.
            config: [writable] pda({CONFIG_SEED}),
            /// 1. [signer] The position's owner.
            owner: [signer],
            /// 2. [writable] The position PDA `["position", owner, position_id]`.
            position: [writable] pda({POSITION_SEED}, owner, [position_id]),
            /// 3. [writable] The $COMPUTE token account paid.
            destination: [writable],
            /// 4. [writable] $COMPUTE.
            compute_mint: [writable],
            /// 5. [] The program's authority PDA `["authority"]`.
            authority: [] pda({AUTHORITY_SEED}),
            /// 6. [writable] The rewards vault PDA `["rewards_vault"]` (existing-mint mode; unused otherwise).
            rewards_vault: [writable] pda({REWARDS_VAULT_SEED}),
            /// 7. [] $COMPUTE's token program.
            token_program: [],
        }
        args {
            position_id: u64,
        }
    }
}

pub fn process(mut ix: StakeClaim, program_id: &Address) -> ProgramResult {
    let config = Config::read_mut(&mut ix.config, program_id)?;
    config.check_compute(ix.compute_mint.address(), ix.token_program.address())?;
    let position_key = *ix.position.address();
    let position = Position::read_mut(&mut ix.position, program_id, ix.owner.address(), ix.position_id)?;
    TokenAccount::load(&ix.destination, &ix.token_program, "destination")?.check_mint(&config.compute_mint, "destination")?;

    let now = Clock::get()?.unix_timestamp;
    let amount = position.claimable(now, config.ubc_decimals)?;
    position.claimed = position.claimed.checked_add(amount).ok_or(EconomyError::ArithmeticOverflow)?;
    config.total_yield_paid = config.total_yield_paid.checked_add(amount).ok_or(EconomyError::ArithmeticOverflow)?;

    if amount > 0 {
        let payout = TokenMove { token_program: &ix.token_program, from: &ix.rewards_vault, mint: &ix.compute_mint, to: &ix.destination, authority: &ix.authority };
        pay_compute(&config, &payout, amount)?;
    }

    YieldClaimed { owner: position.owner, position: position_key, amount, claimed: position.claimed, total_yield_paid: config.total_yield_paid }.emit();
    Ok(())
}
