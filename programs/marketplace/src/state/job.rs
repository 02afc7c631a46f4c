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

spicetime_abi::borsh_struct! {
    #[zero_copy]
    /// One layer of a job's genome: the layer, the version run and its scale.
    pub struct JobLayer {
        layer: Address,
        /// The layer version (1 to the layer's current version; versions are never removed).
        version: u32,
        /// The adapter's scale in basis points (10,000 = 1.0), 1 to [`MAX_SCALE_BPS`].
        scale_bps: u16,
        /// The layer's royalty in basis points of the price, as it was at creation.
        royalty_bps: u16,
    }
}

/// Layers a job stacks at most.
pub const MAX_LAYERS: usize = 4;
/// Largest layer scale: 2.0.
pub const MAX_SCALE_BPS: u16 = 20_000;

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
        /// Layers in the genome (1 to 4), the first `layer_count` of `layers`, in order.
        layer_count: u8,
        layers: [JobLayer; 4],
        /// The sum of the layers' floor prices at creation: the rate fixed at claim is never below it.
        floor_per_thousand: u64,
        /// The provider asked for (its authority); all zeros for any registered provider.
        requested_provider: Address,
        status: JobStatus,
        /// The provider that claimed it (its authority); all zeros until claimed.
        provider: Address,
        /// SHA-256 of the request document's canonical bytes (`spicetime.job/v1`, RFC 8785).
        request_hash: [u8; 32],
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
        /// The request document's IPFS CID (CIDv1, base32).
        request_cid: Text<64>,
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

    /// The genome's layers.
    pub fn genome(&self) -> &[JobLayer] {
        &self.layers[..(self.layer_count as usize).min(MAX_LAYERS)]
    }

    /// Fails unless `views` (the instruction's first layer account, then its optional ones) are the
    /// genome's layers in order: present exactly for each of them.
    pub fn check_layers(&self, views: [Option<&Address>; MAX_LAYERS]) -> Result<(), ProgramError> {
        for (i, view) in views.iter().enumerate() {
            let expected = self.genome().get(i).map(|l| &l.layer);
            if *view != expected {
                return Err(MarketError::LayerMismatch.into());
            }
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
