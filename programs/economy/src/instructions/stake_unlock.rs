use pinocchio::sysvars::{clock::Clock, Sysvar};
use spicetime_abi::prelude::*;

use crate::errors::EconomyError;
use crate::events::StakeUnlocked;
use crate::seeds::{CONFIG_SEED, POSITION_SEED};
use crate::state::{Config, Position, Tier};

spicetime_abi::instruction! {
    /// Stops a position earning so it can be withdrawn: after its lockup, or at any time for a
    /// flexible stake (then withdrawable after the cooldown). Never blocked by the pause.
    pub struct StakeUnlock = "stake_unlock" {
        accounts {
            /// 0. [] The config PDA `["config"]`.
            config: [] pda({CONFIG_SEED}),
            /// 1. [signer] The position's owner.
            owner: [signer],
            /// 2. [writable] The position PDA `["position", owner, position_id]`.
            position: [writable] pda({POSITION_SEED}, owner, [position_id]),
        }
        args {
            position_id: u64,
        }
    }
}

pub fn process(mut ix: StakeUnlock, program_id: &Address) -> ProgramResult {
    let config = Config::read(&ix.config, program_id)?;
    let position = Position::read_mut(&mut ix.position, program_id, ix.owner.address(), ix.position_id)?;
    if position.unlocked_ts != 0 {
        return Err(EconomyError::CannotUnlockTwice.into());
    }
    let now = Clock::get()?.unix_timestamp;
    if now < position.lockup_end_ts {
        return Err(EconomyError::LockupNotEnded.into());
    }
    position.unlocked_ts = now;

    let cooldown = if position.tier == Tier::Flexible { config.params.unlock_cooldown } else { 0 };
    let withdrawable_ts = now.checked_add(cooldown).ok_or(EconomyError::ArithmeticOverflow)?;
    StakeUnlocked { owner: position.owner, position: *ix.position.address(), unlocked_ts: now, withdrawable_ts }.emit();
    Ok(())
}
