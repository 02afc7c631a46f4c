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

#[cfg(test)]
mod tests {
    use super::*;
    use spicetime_abi::account::AccountData;
    use spicetime_abi::borsh::Borsh;

    fn config() -> Config {
        Config { admin: Address::new_from_array([1; 32]), treasury: Address::new_from_array([2; 32]), burn_bps: 0, treasury_fee_bps: 0, bump: 254 }
    }

    #[test]
    fn set_rates_accepts_the_bounds_and_rejects_above() {
        let mut c = config();
        assert!(c.set_rates(MAX_BURN_BPS, MAX_TREASURY_FEE_BPS).is_ok());
        assert_eq!((c.burn_bps, c.treasury_fee_bps), (1_000, 1_000));
        assert_eq!(c.set_rates(MAX_BURN_BPS + 1, 0), Err(ProgramError::Custom(6000)));
        assert_eq!(c.set_rates(0, MAX_TREASURY_FEE_BPS + 1), Err(ProgramError::Custom(6001)));
        // A rejected change leaves the rates as they were.
        assert_eq!((c.burn_bps, c.treasury_fee_bps), (1_000, 1_000));
    }

    #[test]
    fn layout_is_discriminator_then_borsh_fields() {
        assert_eq!(Config::SPACE, 8 + 32 + 32 + 2 + 2 + 1);
        let mut buf = [0u8; Config::SIZE];
        config().write(&mut buf);
        assert_eq!(&buf[..32], &[1; 32]);
        assert_eq!(&buf[64..69], &[0, 0, 0, 0, 254]);
        assert_eq!(Config::read(&mut &buf[..]), Some(config()));
        assert_eq!(Config::read(&mut &buf[..Config::SIZE - 1]), None);
    }
}
