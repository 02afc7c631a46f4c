use pinocchio::{error::ProgramError, Address};

use crate::errors::EconomyError;

spicetime_abi::account! {
    #[zero_copy]
    /// A provider's $UBC collateral, at PDA `["collateral", provider]`. The tokens sit in the
    /// stake vault, counted in `Config::total_collateral`.
    pub struct Collateral {
        provider: Address,
        /// $UBC deposited and not withdrawn or slashed, in base units.
        amount: u64,
        /// Jobs the marketplace has locked the collateral for; no unlock or withdrawal while > 0.
        open_jobs: u64,
        /// When the provider asked to withdraw (unix seconds); 0 while not unlocking.
        unlock_requested_ts: i64,
        /// Canonical bump of the collateral PDA.
        bump: u8,
    }
}

impl Collateral {
    /// Reads a collateral account and checks it is `provider`'s: with its owner and discriminator
    /// (the program creates collateral only at its canonical PDA, storing the provider), that
    /// authenticates it as the PDA `["collateral", provider]`.
    pub fn read(view: &pinocchio::AccountView, program_id: &Address, provider: &Address) -> Result<Self, ProgramError> {
        use spicetime_abi::account::AccountData;
        let collateral = Self::load(view, program_id, "collateral")?;
        collateral.check_of(provider)?;
        Ok(collateral)
    }

    /// The collateral account in place (same checks as [`Self::read`]): changes need no save.
    pub fn read_mut<'a>(view: &'a mut pinocchio::AccountView, program_id: &Address, provider: &Address) -> Result<&'a mut Self, ProgramError> {
        use spicetime_abi::account::AccountData;
        let collateral = Self::load_mut(view, program_id, "collateral")?;
        collateral.check_of(provider)?;
        Ok(collateral)
    }

    /// Fails unless this is `provider`'s collateral.
    fn check_of(&self, provider: &Address) -> Result<(), ProgramError> {
        if &self.provider != provider {
            return Err(EconomyError::CollateralProviderMismatch.into());
        }
        Ok(())
    }

    /// Fails while the marketplace holds a lock for an open job.
    pub fn check_no_open_jobs(&self) -> Result<(), ProgramError> {
        if self.open_jobs > 0 {
            return Err(EconomyError::CannotWhileJobsOpen.into());
        }
        Ok(())
    }

    /// When the collateral can be withdrawn, once unlocked.
    pub fn withdrawable_ts(&self, cooldown: i64) -> Result<i64, ProgramError> {
        self.unlock_requested_ts.checked_add(cooldown).ok_or_else(|| EconomyError::ArithmeticOverflow.into())
    }

    /// Releases one job's lock: never below zero.
    pub fn release(&mut self) -> Result<(), ProgramError> {
        self.open_jobs = self.open_jobs.checked_sub(1).ok_or(EconomyError::NoOpenJobs)?;
        Ok(())
    }

    /// Takes `amount` out (withdrawal or slash): never more than there is.
    pub fn take(&mut self, amount: u64) -> Result<(), ProgramError> {
        if amount == 0 {
            return Err(EconomyError::InvalidAmount.into());
        }
        self.amount = self.amount.checked_sub(amount).ok_or(EconomyError::CollateralInsufficient)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn take_never_overdraws() {
        let mut c = Collateral { amount: 10, ..Collateral::default() };
        assert_eq!(c.take(11), Err(ProgramError::Custom(6025)));
        assert_eq!(c.take(0), Err(ProgramError::Custom(6009)));
        assert_eq!(c.take(10), Ok(()));
        assert_eq!({ c.amount }, 0);
    }

    #[test]
    fn open_jobs_block_withdrawal() {
        let c = Collateral { open_jobs: 1, ..Collateral::default() };
        assert_eq!(c.check_no_open_jobs(), Err(ProgramError::Custom(6023)));
    }
}
