use pinocchio::{error::ProgramError, Address};

use crate::errors::MarketError;
use crate::state::challenge::MAX_QUORUM;

/// Longest receipt deadline, challenge window or vote window: 7 days.
pub const MAX_WINDOW: i64 = 7 * 86_400;
/// Basis points in a whole.
pub const BPS: u64 = 10_000;

spicetime_abi::borsh_struct! {
    /// The parameters the admin sets, each bounded.
    pub struct MarketParams {
        /// Seconds a provider has, from claiming a job, to submit its receipt (1 minute to 7 days).
        job_timeout: i64,
        /// Seconds after a receipt during which anyone may challenge it (at most 7 days).
        challenge_window: i64,
        /// Seconds verifiers have to vote on a challenge (1 minute to 7 days).
        vote_window: i64,
        /// Verifier votes that decide a challenge either way (2 to 4).
        quorum: u8,
        /// $UBC slashed from a provider's collateral by an upheld challenge (at most what it holds).
        slash_amount: u64,
        /// The challenger's share of a slash in basis points; the treasury gets the rest.
        challenger_bps: u16,
        /// Provider reward in $COMPUTE paid by the economy program on settlement, in basis points of
        /// the job's price; capped at settlement by the job's burn + treasury fee, so a provider acting
        /// as its own client and layer holder never profits from wash jobs.
        reward_bps: u16,
        /// Least challenge bond in $COMPUTE base units (greater than zero).
        min_bond: u64,
    }
}

impl MarketParams {
    /// Checks every bound.
    pub fn check(&self) -> Result<(), ProgramError> {
        let windows_ok = (60..=MAX_WINDOW).contains(&self.job_timeout)
            && (0..=MAX_WINDOW).contains(&self.challenge_window)
            && (60..=MAX_WINDOW).contains(&self.vote_window);
        let ok = windows_ok
            && (2..=MAX_QUORUM).contains(&self.quorum)
            && self.challenger_bps as u64 <= BPS
            && self.reward_bps as u64 <= BPS
            && self.min_bond > 0;
        if !ok {
            return Err(MarketError::ParamsOutOfBounds.into());
        }
        Ok(())
    }
}

spicetime_abi::account! {
    /// The market configuration, one per program at PDA `["market"]`.
    pub struct Market {
        /// Who may change the parameters (never slash: only a verifier quorum can).
        admin: Address,
        /// The cluster the market runs on: its genesis hash (32 bytes, shown in base58 as clusters
        /// show it), set once at `market_init`. Every signed receipt and verdict names it, so a
        /// signature made on one cluster (devnet, a local chain), where the program has the same id
        /// and job addresses repeat, never counts on another.
        cluster: Address,
        params: MarketParams,
        /// Layers published, all time.
        layers_published: u64,
        /// Jobs created, all time; a job's serial is this count after its creation, so no two job
        /// instances ever share one (a job closed and re-created at its address gets a new serial).
        jobs_created: u64,
        /// Challenges opened, all time; a challenge's serial is this count after its opening.
        challenges_opened: u64,
        /// Jobs settled, all time.
        jobs_settled: u64,
        /// $COMPUTE accrued to layers as royalties at settlement, all time.
        total_royalties: u64,
        /// $COMPUTE paid to providers for jobs, all time.
        total_provider_payments: u64,
        /// The $COMPUTE account `["royalty_vault"]` holding every layer's accrued royalty.
        royalty_vault: Address,
        /// Canonical bump of the market PDA.
        bump: u8,
    }
}

impl Market {
    /// Counts one more job and returns its serial (1, 2, …): never reused.
    pub fn next_job_serial(&mut self) -> Result<u64, ProgramError> {
        self.jobs_created = self.jobs_created.checked_add(1).ok_or(MarketError::ArithmeticOverflow)?;
        Ok(self.jobs_created)
    }

    /// Counts one more challenge and returns its serial (1, 2, …): never reused.
    pub fn next_challenge_serial(&mut self) -> Result<u64, ProgramError> {
        self.challenges_opened = self.challenges_opened.checked_add(1).ok_or(MarketError::ArithmeticOverflow)?;
        Ok(self.challenges_opened)
    }

    /// Reads the market; its owner and discriminator authenticate it (created only at its PDA).
    pub fn read(view: &pinocchio::AccountView, program_id: &Address) -> Result<Self, ProgramError> {
        use spicetime_abi::account::AccountData;
        Self::load(view, program_id, "market")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn params() -> MarketParams {
        MarketParams { job_timeout: 600, challenge_window: 300, vote_window: 600, quorum: 2, slash_amount: 1, challenger_bps: 5_000, reward_bps: 100, min_bond: 1 }
    }

    #[test]
    fn each_bound_is_checked() {
        assert_eq!(params().check(), Ok(()));
        let reject = |f: fn(&mut MarketParams)| {
            let mut p = params();
            f(&mut p);
            assert_eq!(p.check(), Err(ProgramError::Custom(6000)));
        };
        reject(|p| p.job_timeout = 59);
        reject(|p| p.job_timeout = MAX_WINDOW + 1);
        reject(|p| p.challenge_window = -1);
        reject(|p| p.vote_window = MAX_WINDOW + 1);
        reject(|p| p.quorum = 1);
        reject(|p| p.quorum = MAX_QUORUM + 1);
        reject(|p| p.challenger_bps = 10_001);
        reject(|p| p.reward_bps = 10_001);
        reject(|p| p.min_bond = 0);
    }
}
