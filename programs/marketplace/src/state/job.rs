use pinocchio::{error::ProgramError, AccountView, Address};
use spicetime_abi::borsh::Text;

use crate::errors::MarketError;

spicetime_abi::borsh_enum! {
    /// Where a job is in its life. Cancelled, expired and slashed jobs are closed.
    pub enum JobStatus {
        /// Escrowed, waiting for a provider.
        Open = 0,
        /// A provider claimed it and owes a receipt by the deadline.
        Claimed = 1,
        /// The receipt is in; settled after the challenge window.
        Submitted = 2,
        /// A challenge is being voted on.
        Challenged = 3,
        /// Paid out; the client may rate it.
        Settled = 4,
    }
}

impl Default for JobStatus {
    fn default() -> Self {
        JobStatus::Open
    }
}

spicetime_abi::account! {
    /// A job, at PDA `["job", client, job_id]`; its $COMPUTE escrow sits in `["job_vault", job]`.
    /// The address repeats when a client re-uses a job id after the job closed; the serial never does.
    pub struct Job {
        client: Address,
        job_id: u64,
        /// The market's job count at creation: unique to this instance of the job, and part of
        /// every receipt, verdict and challenge that concerns it.
        serial: u64,
        layer: Address,
        /// The layer version the job runs.
        layer_version: u32,
        /// The provider asked for (its authority); all zeros for any registered provider.
        requested_provider: Address,
        status: JobStatus,
        /// The provider that claimed it (its authority); all zeros until claimed.
        provider: Address,
        /// SHA-256 of the prompt.
        prompt_hash: [u8; 32],
        max_tokens: u64,
        /// The most the client pays per 1,000 tokens.
        max_price_per_thousand: u64,
        /// $COMPUTE escrowed: `ceil(max_tokens × max_price_per_thousand / 1000)`.
        escrow: u64,
        /// The rate fixed at claim: the provider's price, never below the layer's floor.
        rate_per_thousand: u64,
        created_ts: i64,
        /// Receipt deadline (set at claim).
        deadline_ts: i64,
        /// When the job may be settled (set by the receipt, and by a failed challenge).
        settle_after_ts: i64,
        output_hash: [u8; 32],
        tokens_used: u64,
        /// A challenger's bond held in the job vault beside the escrow.
        bond: u64,
        /// Set by the job's one challenge: an instance is challenged at most once.
        challenged: bool,
        /// The job's escrow token account `["job_vault", job]`.
        vault: Address,
        /// Canonical bump of the job PDA.
        bump: u8,
        output_cid: Text<64>,
    }
}

impl Job {
    /// Reads a job; its owner and discriminator authenticate it (created only at its PDA).
    pub fn read(view: &AccountView, program_id: &Address) -> Result<Self, ProgramError> {
        use spicetime_abi::account::AccountData;
        Self::load(view, program_id, "job")
    }

    /// Fails unless the job is in `status`.
    pub fn check_status(&self, status: JobStatus) -> Result<(), ProgramError> {
        if self.status != status {
            return Err(MarketError::JobStatusMismatch.into());
        }
        Ok(())
    }

    /// Fails unless `serial` is this instance's serial.
    pub fn check_serial(&self, serial: u64) -> Result<(), ProgramError> {
        if self.serial != serial {
            return Err(MarketError::JobSerialMismatch.into());
        }
        Ok(())
    }

    /// Fails unless `client` is the job's client.
    pub fn check_client(&self, client: &Address) -> Result<(), ProgramError> {
        if &self.client != client {
            return Err(MarketError::ClientMismatch.into());
        }
        Ok(())
    }

    /// The price of `tokens` at the job's rate, rounded up: never more than the escrow, since
    /// `tokens ≤ max_tokens` and `rate ≤ max_price`.
    pub fn price_of(tokens: u64, rate_per_thousand: u64) -> Result<u64, ProgramError> {
        let cost = (tokens as u128).checked_mul(rate_per_thousand as u128).ok_or(MarketError::ArithmeticOverflow)?.div_ceil(1000);
        u64::try_from(cost).map_err(|_| MarketError::ArithmeticOverflow.into())
    }
}
