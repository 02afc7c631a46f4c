use pinocchio::{error::ProgramError, Address};

use crate::errors::EconomyError;

/// Highest burn rate the config accepts, in basis points.
pub const MAX_BURN_BPS: u16 = 1_000;
/// Highest treasury fee the config accepts, in basis points.
pub const MAX_TREASURY_FEE_BPS: u16 = 1_000;

spicetime_abi::account! {
    /// The economy configuration, one per program at PDA `["config"]`.
    pub struct Config {
        /// Who may change parameters.
        admin: Address,
        /// Where treasury fees go.
        treasury: Address,
        /// Share of each settlement burned, in basis points.
        burn_bps: u16,
        /// Share of each settlement paid to the treasury, in basis points.
        treasury_fee_bps: u16,
        /// Canonical bump of the config PDA.
        bump: u8,
    }
}

impl Config {
    /// Sets the fee rates after checking their bounds.
    pub fn set_rates(&mut self, burn_bps: u16, treasury_fee_bps: u16) -> Result<(), ProgramError> {
        if burn_bps > MAX_BURN_BPS {
            return Err(EconomyError::BurnBpsExceeded.into());
        }
        if treasury_fee_bps > MAX_TREASURY_FEE_BPS {
            return Err(EconomyError::TreasuryFeeBpsExceeded.into());
        }
        self.burn_bps = burn_bps;
        self.treasury_fee_bps = treasury_fee_bps;
        Ok(())
    }
}
