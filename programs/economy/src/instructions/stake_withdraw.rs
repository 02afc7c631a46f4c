use pinocchio::sysvars::{clock::Clock, Sysvar};
use spicetime_abi::prelude::*;
use spicetime_abi::token::{TokenAccount, TokenMove};

use crate::errors::EconomyError;
use crate::events::StakeWithdrawn;
use crate::payout::pay_ubc;
use crate::seeds::{AUTHORITY_SEED, CONFIG_SEED, POSITION_SEED, STAKE_VAULT_SEED};
use crate::state::{Config, Position, Tier};

spicetime_abi::instruction! {
    /// Returns an unlocked position's $UBC and closes it, its rent back to the owner. The yield
    /// must be claimed first, so nothing earned is lost. Never blocked by the pause.
    pub struct StakeWithdraw = "stake_withdraw" {
        accounts {
            /// 0. [writable] The config PDA `["config"]`.
            config: [writable] pda({CONFIG_SEED}),
            /// 1. [writable, signer] The position's owner, who gets the rent back.
            owner: [writable, signer],
            /// 2. [writable] The position PDA `["position", owner, position_id]`, closed here.
            position: [writable] pda({POSITION_SEED}, owner, [position_id]),
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
            position_id: u64,
        }
    }
}

pub fn process(mut ix: StakeWithdraw, program_id: &Address) -> ProgramResult {
    let config = Config::read_mut(&mut ix.config, program_id)?;
    config.check_ubc(ix.ubc_mint.address(), ix.token_program.address())?;
    let position = Position::read(&ix.position, program_id, ix.owner.address(), ix.position_id)?;
    if position.unlocked_ts == 0 {
        return Err(EconomyError::StakeNotUnlocked.into());
    }
    let now = Clock::get()?.unix_timestamp;
    let cooldown = if position.tier == Tier::Flexible { config.params.unlock_cooldown } else { 0 };
    if now < position.unlocked_ts.checked_add(cooldown).ok_or(EconomyError::ArithmeticOverflow)? {
        return Err(EconomyError::CooldownNotEnded.into());
    }
    if position.claimable(now, config.ubc_decimals)? > 0 {
        return Err(EconomyError::YieldUnclaimed.into());
    }
    TokenAccount::load(&ix.destination, &ix.token_program, "destination")?.check_mint(&config.ubc_mint, "destination")?;
    config.total_staked = config.total_staked.checked_sub(position.amount).ok_or(EconomyError::ArithmeticOverflow)?;

    let payout = TokenMove { token_program: &ix.token_program, from: &ix.stake_vault, mint: &ix.ubc_mint, to: &ix.destination, authority: &ix.authority };
    pay_ubc(&config, &payout, position.amount)?;
    spicetime_abi::account::close(&mut ix.position, &mut ix.owner)?;

    StakeWithdrawn { owner: position.owner, position: *ix.position.address(), amount: position.amount, total_staked: config.total_staked }.emit();
    Ok(())
}
