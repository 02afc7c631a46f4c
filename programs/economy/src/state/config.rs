use pinocchio::{error::ProgramError, Address};

use crate::errors::EconomyError;
use crate::state::Tier;

/// Highest burn rate the config accepts, in basis points.
pub const MAX_BURN_BPS: u16 = 1_000;
/// Highest treasury fee the config accepts, in basis points.
pub const MAX_TREASURY_FEE_BPS: u16 = 1_000;
/// Longest unlock cooldown: 30 days.
pub const MAX_UNLOCK_COOLDOWN: i64 = 30 * 86_400;
/// Longest lockup: five years.
pub const MAX_LOCKUP: i64 = 5 * 365 * 86_400;
/// Highest yield rate, in $COMPUTE base units per day per 1,000 whole $UBC.
pub const MAX_RATE_PER_DAY: u64 = 1_000_000_000_000_000;

spicetime_abi::borsh_enum! {
    /// Where $UBC and $COMPUTE come from.
    pub enum MintMode {
        /// Not chosen yet.
        Unset = 0,
        /// The program created both mints: $COMPUTE is minted by its PDA.
        ProgramMints = 1,
        /// Existing mints whose authority the program does not hold: yield comes from a funded vault.
        ExistingMints = 2,
    }
}

impl Default for MintMode {
    fn default() -> Self {
        MintMode::Unset
    }
}

spicetime_abi::borsh_struct! {
    #[zero_copy]
    /// The parameters the admin sets, each bounded.
    pub struct ConfigParams {
        /// Share of each settlement burned, in basis points (at most 1000).
        burn_bps: u16,
        /// Share of each settlement paid to the treasury, in basis points (at most 1000).
        treasury_fee_bps: u16,
        /// Least $UBC collateral a provider must hold, in base units.
        provider_min_collateral: u64,
        /// Seconds between unlocking a flexible stake (or collateral) and withdrawing it (at most 30 days).
        unlock_cooldown: i64,
        /// Lockup of each tier in seconds: flexible (must be 0), then up to five years.
        tier_lockups: [i64; 4],
        /// Yield of each tier, in $COMPUTE base units per day per 1,000 whole $UBC.
        tier_rates: [u64; 4],
    }
}

impl ConfigParams {
    /// Checks every bound.
    pub fn check(&self) -> Result<(), ProgramError> {
        if self.burn_bps > MAX_BURN_BPS {
            return Err(EconomyError::BurnBpsExceeded.into());
        }
        if self.treasury_fee_bps > MAX_TREASURY_FEE_BPS {
            return Err(EconomyError::TreasuryFeeBpsExceeded.into());
        }
        let cooldown = self.unlock_cooldown;
        if !(0..=MAX_UNLOCK_COOLDOWN).contains(&cooldown) {
            return Err(EconomyError::CooldownExceeded.into());
        }
        let (lockups, rates) = (self.tier_lockups, self.tier_rates);
        if lockups[Tier::Flexible as usize] != 0 || lockups.iter().any(|l| !(0..=MAX_LOCKUP).contains(l)) {
            return Err(EconomyError::LockupExceeded.into());
        }
        if rates.iter().any(|r| *r > MAX_RATE_PER_DAY) {
            return Err(EconomyError::YieldRateExceeded.into());
        }
        Ok(())
    }
}

spicetime_abi::account! {
    #[zero_copy]
    /// The economy configuration, one per program at PDA `["config"]`.
    pub struct Config {
        /// Who may change parameters.
        admin: Address,
        /// Proposed next admin (all zeros when none); takes over by accepting.
        pending_admin: Address,
        /// Where treasury fees go.
        treasury: Address,
        /// The bounded parameters.
        params: ConfigParams,
        /// Stops new deposits; never unstaking, withdrawals or refunds.
        paused: bool,
        /// Where the mints come from.
        mint_mode: MintMode,
        /// $UBC.
        ubc_mint: Address,
        /// $COMPUTE.
        compute_mint: Address,
        /// The token program that owns $UBC.
        ubc_token_program: Address,
        /// The token program that owns $COMPUTE.
        compute_token_program: Address,
        /// $UBC decimals.
        ubc_decimals: u8,
        /// $COMPUTE decimals.
        compute_decimals: u8,
        /// Whether the fixed $UBC supply was minted (program mints only).
        genesis_minted: bool,
        /// $UBC of stakes held in the stake vault: the sum of all positions (collateral not included).
        total_staked: u64,
        /// $COMPUTE burned through the program, all time.
        total_burned: u64,
        /// $COMPUTE paid as staking yield, all time.
        total_yield_paid: u64,
        /// $UBC of provider collateral held in the stake vault: the sum of all collateral accounts.
        total_collateral: u64,
        /// $UBC slashed from providers, all time.
        total_slashed: u64,
        /// $COMPUTE paid as provider rewards, all time.
        total_rewards_paid: u64,
        /// The program's authority PDA `["authority"]` (vault owner, $COMPUTE mint authority).
        authority: Address,
        /// Its canonical bump, used to sign.
        authority_bump: u8,
        /// The stake vault ($UBC) PDA `["stake_vault"]`.
        stake_vault: Address,
        /// The rewards vault ($COMPUTE) PDA `["rewards_vault"]`; all zeros with program mints.
        rewards_vault: Address,
        /// Canonical bump of the config PDA.
        bump: u8,
    }
}

impl Config {
    /// Reads the config. Its owner and discriminator authenticate it: `config_init` creates the
    /// one `Config` there is, at its canonical PDA.
    pub fn read(view: &pinocchio::AccountView, program_id: &Address) -> Result<Self, ProgramError> {
        use spicetime_abi::account::AccountData;
        Self::load(view, program_id, "config")
    }

    /// The config in place, read-only (same checks as [`Self::read`]), with no copy.
    pub fn read_ref<'a>(view: &'a pinocchio::AccountView, program_id: &Address) -> Result<&'a Self, ProgramError> {
        use spicetime_abi::account::AccountData;
        Self::load_ref(view, program_id, "config")
    }

    /// The config in place (same checks as [`Self::read`]): changes need no save.
    pub fn read_mut<'a>(view: &'a mut pinocchio::AccountView, program_id: &Address) -> Result<&'a mut Self, ProgramError> {
        use spicetime_abi::account::AccountData;
        Self::load_mut(view, program_id, "config")
    }

    /// Fails unless `view` is the account stored at `stored` (the authority or a vault).
    pub fn check_stored(view: &pinocchio::AccountView, stored: &Address, name: &str) -> Result<(), ProgramError> {
        spicetime_abi::account::check_address(view, stored, name)
    }

    /// Fails unless `signer` is the admin.
    pub fn check_admin(&self, signer: &Address) -> Result<(), ProgramError> {
        if signer != &self.admin {
            return Err(EconomyError::AdminMismatch.into());
        }
        Ok(())
    }

    /// Fails while paused: for deposits, never for unstaking, withdrawals or refunds.
    pub fn check_not_paused(&self) -> Result<(), ProgramError> {
        if self.paused {
            return Err(EconomyError::CannotWhilePaused.into());
        }
        Ok(())
    }

    /// Fails until the mints are set.
    pub fn check_mints_set(&self) -> Result<(), ProgramError> {
        if self.mint_mode == MintMode::Unset {
            return Err(EconomyError::MintsNotSet.into());
        }
        Ok(())
    }

    /// Fails unless `mint` and `token_program` are the configured $UBC and its program.
    pub fn check_ubc(&self, mint: &Address, token_program: &Address) -> Result<(), ProgramError> {
        check_pair(mint, token_program, &self.ubc_mint, &self.ubc_token_program)
    }

    /// Fails unless `mint` and `token_program` are the configured $COMPUTE and its program.
    pub fn check_compute(&self, mint: &Address, token_program: &Address) -> Result<(), ProgramError> {
        check_pair(mint, token_program, &self.compute_mint, &self.compute_token_program)
    }
}

fn check_pair(mint: &Address, program: &Address, want_mint: &Address, want_program: &Address) -> Result<(), ProgramError> {
    if mint != want_mint {
        return Err(EconomyError::MintMismatch.into());
    }
    if program != want_program {
        return Err(EconomyError::TokenProgramMismatch.into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use spicetime_abi::account::AccountData;

    fn params() -> ConfigParams {
        ConfigParams {
            burn_bps: 50,
            treasury_fee_bps: 100,
            provider_min_collateral: 1,
            unlock_cooldown: 86_400,
            tier_lockups: [0, 90 * 86_400, 165 * 86_400, 365 * 86_400],
            tier_rates: [0, 300_000_000, 500_000_000, 1_000_000_000],
        }
    }

    #[test]
    fn defaults_are_within_bounds() {
        assert_eq!(params().check(), Ok(()));
    }

    #[test]
    fn each_bound_is_checked() {
        let reject = |f: fn(&mut ConfigParams), code: u32| {
            let mut p = params();
            f(&mut p);
            assert_eq!(p.check(), Err(ProgramError::Custom(code)));
        };
        reject(|p| p.burn_bps = MAX_BURN_BPS + 1, 6000);
        reject(|p| p.treasury_fee_bps = MAX_TREASURY_FEE_BPS + 1, 6001);
        reject(|p| p.unlock_cooldown = -1, 6018);
        reject(|p| p.unlock_cooldown = MAX_UNLOCK_COOLDOWN + 1, 6018);
        reject(|p| p.tier_lockups[0] = 1, 6016);
        reject(|p| p.tier_lockups[3] = MAX_LOCKUP + 1, 6016);
        reject(|p| p.tier_lockups[2] = -5, 6016);
        reject(|p| p.tier_rates[1] = MAX_RATE_PER_DAY + 1, 6017);
    }

    #[test]
    fn layout_is_discriminator_then_borsh_fields() {
        let params_size = 2 + 2 + 8 + 8 + 4 * 8 + 4 * 8;
        assert_eq!(Config::SPACE, 8 + 3 * 32 + params_size + 1 + 1 + 4 * 32 + 1 + 1 + 1 + 6 * 8 + 32 + 1 + 2 * 32 + 1);
    }
}
