use spicetime_abi::prelude::*;

use crate::events::CollateralReleased;
use crate::marketplace::MARKETPLACE_CALLER;
use crate::seeds::COLLATERAL_SEED;
use crate::state::Collateral;

spicetime_abi::instruction! {
    /// Marketplace only: releases one job's lock on a provider's collateral.
    pub struct CollateralRelease = "collateral_release" {
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

pub fn process(mut ix: CollateralRelease, program_id: &Address) -> ProgramResult {
    let collateral = Collateral::read_mut(&mut ix.collateral, program_id, ix.provider.address())?;
    collateral.release()?;

    CollateralReleased { provider: collateral.provider, open_jobs: collateral.open_jobs }.emit();
    Ok(())
}
