use spicetime_abi::prelude::*;

use crate::errors::EconomyError;
use crate::events::CollateralLocked;
use crate::marketplace::MARKETPLACE_CALLER;
use crate::seeds::COLLATERAL_SEED;
use crate::state::Collateral;

spicetime_abi::instruction! {
    /// Marketplace only: locks a provider's collateral for one more open job. A pending unlock is
    /// cancelled (the provider took new work; the cooldown starts over with the next unlock).
    pub struct CollateralLock = "collateral_lock" {
        accounts {
            /// 0. [signer] The marketplace's PDA `["economy_caller"]`, signing through its CPI.
            marketplace_caller: [signer] address(MARKETPLACE_CALLER),
            /// 1. [] The provider.
            provider: [],
            /// 2. [writable] The collateral PDA `["collateral", provider]`.
            collateral: [writable] pda({COLLATERAL_SEED}, provider),
        }
        args {}
    }
}

pub fn process(mut ix: CollateralLock, program_id: &Address) -> ProgramResult {
    let collateral = Collateral::read_mut(&mut ix.collateral, program_id, ix.provider.address())?;
    collateral.open_jobs = collateral.open_jobs.checked_add(1).ok_or(EconomyError::ArithmeticOverflow)?;
    collateral.unlock_requested_ts = 0;

    CollateralLocked { provider: collateral.provider, open_jobs: collateral.open_jobs }.emit();
    Ok(())
}
