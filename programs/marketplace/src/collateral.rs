//! A provider's or verifier's stake in the economy program: its $UBC collateral account, which
//! must hold at least the economy's provider minimum.

use economy::state::{Collateral, Config};
use pinocchio::{error::ProgramError, AccountView, Address};

use crate::errors::MarketError;

/// Reads `owner`'s collateral account (owned by the economy program, checked) and fails when it
/// holds less than the economy's minimum.
pub fn check_collateral(config: &Config, collateral: &AccountView, owner: &Address) -> Result<Collateral, ProgramError> {
    let collateral = Collateral::read(collateral, &economy::ID, owner)?;
    if collateral.amount < config.params.provider_min_collateral {
        return Err(MarketError::CollateralInsufficient.into());
    }
    Ok(collateral)
}
