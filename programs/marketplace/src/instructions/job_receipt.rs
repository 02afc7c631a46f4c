use pinocchio::sysvars::{clock::Clock, Sysvar};
use spicetime_abi::borsh::Text;
use spicetime_abi::ed25519::{check_preceding_signature, SignatureError, INSTRUCTIONS_SYSVAR_ID};
use spicetime_abi::prelude::*;

use crate::errors::MarketError;
use crate::events::ReceiptSubmitted;
use crate::messages;
use crate::seeds::MARKET_SEED;
use crate::state::{Job, JobStatus, Market, Provider};

spicetime_abi::instruction! {
    /// Records the provider's receipt for a claimed job, before its deadline: the output hash,
    /// tokens used (at most the job's maximum) and output CID, signed by the provider's node key.
    /// The Ed25519 program's instruction right before this one must verify that signature over
    /// `"spicetime:receipt:v2" ‖ cluster ‖ job ‖ job_serial (u64 LE) ‖ provider ‖ output_hash ‖ tokens_used (u64 LE) ‖ output_cid`
    /// (`messages.rs`): it counts for this instance of the job, on this cluster, for its provider
    /// only. Anyone may submit it. The challenge window starts.
    pub struct JobReceipt = "job_receipt" {
        accounts {
            /// 0. [] The market PDA `["market"]`.
            market: [] pda({MARKET_SEED}),
            /// 1. [writable] The job.
            job: [writable],
            /// 2. [] The job's provider.
            provider: [],
            /// 3. [] The instructions sysvar.
            instructions: [] address(INSTRUCTIONS_SYSVAR_ID),
        }
        args {
            output_hash: [u8; 32],
            tokens_used: u64,
            /// IPFS CID of the output (at most 64 characters; may be empty).
            output_cid: Text<64>,
        }
    }
}

/// The marketplace error for a signature the Ed25519 check did not accept.
pub fn signature_error(e: SignatureError) -> ProgramError {
    match e {
        SignatureError::Missing => MarketError::SignatureMissing.into(),
        SignatureError::SignerMismatch => MarketError::SignerMismatch.into(),
        SignatureError::MessageMismatch => MarketError::SignedMessageMismatch.into(),
    }
}

pub fn process(mut ix: JobReceipt, program_id: &Address) -> ProgramResult {
    let market = Market::read(&ix.market, program_id)?;
    let mut job = Job::read(&ix.job, program_id)?;
    job.check_status(JobStatus::Claimed)?;
    let provider = Provider::read(&ix.provider, program_id)?;
    provider.check_authority(&job.provider)?;
    let now = Clock::get()?.unix_timestamp;
    if now > job.deadline_ts {
        return Err(MarketError::DeadlinePassed.into());
    }
    if ix.tokens_used > job.max_tokens {
        return Err(MarketError::TokensExceeded.into());
    }
    let instance = messages::JobInstance { cluster: &market.cluster, job: ix.job.address(), serial: job.serial };
    let message = messages::receipt(&instance, &job.provider, &ix.output_hash, ix.tokens_used, ix.output_cid.as_bytes());
    check_preceding_signature(&ix.instructions, &provider.node_key, message.as_bytes()).map_err(signature_error)?;

    job.status = JobStatus::Submitted;
    job.output_hash = ix.output_hash;
    job.tokens_used = ix.tokens_used;
    job.output_cid = ix.output_cid;
    job.settle_after_ts = now.checked_add(market.params.challenge_window).ok_or(MarketError::ArithmeticOverflow)?;
    job.save(&mut ix.job)?;

    ReceiptSubmitted {
        job: *ix.job.address(),
        job_serial: job.serial,
        provider: job.provider,
        output_hash: job.output_hash,
        tokens_used: job.tokens_used,
        settle_after_ts: job.settle_after_ts,
        output_cid: job.output_cid,
    }
    .emit();
    Ok(())
}
