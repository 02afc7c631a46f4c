use pinocchio::sysvars::{clock::Clock, Sysvar};
use spicetime_abi::prelude::*;

use crate::errors::EconomyError;
use crate::events::CollateralUnlocked;
use crate::seeds::{COLLATERAL_SEED, CONFIG_SEED};
use crate::state::{Collateral, Config};

spicetime_abi::instruction! {
    /// Starts the collateral cooldown; withdrawals open when it ends. Refused while the provider
    /// has open jobs. Never blocked by the pause.
    pub struct CollateralUnlock = "collateral_unlock" {
        accounts {
            /// 0. [] The config PDA `["config"]`.
            config: [] pda({CONFIG_SEED}),
            /// 1. [signer] The provider.
            provider: [signer],
            /// 2. [writable] The collateral PDA `["collateral", provider]`.
            collateral: [writable] pda({COLLATERAL_SEED}, provider),
        }
        args {}
    }
}

pub fn process(mut ix: CollateralUnlock, program_id: &Address) -> ProgramResult {
    let config = Config::read(&ix.config, program_id)?;
    let collateral = Collateral::read_mut(&mut ix.collateral, program_id, ix.provider.address())?;
    collateral.check_no_open_jobs()?;
    if collateral.unlock_requested_ts != 0 {
        return Err(EconomyError::CannotUnlockCollateralTwice.into());
    }
    collateral.unlock_requested_ts = Clock::get()?.unix_timestamp;

    let withdrawable_ts = collateral.withdrawable_ts(config.params.unlock_cooldown)?;
    CollateralUnlocked { provider: collateral.provider, unlock_requested_ts: collateral.unlock_requested_ts, withdrawable_ts }.emit();
    Ok(())
}
