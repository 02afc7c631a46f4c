use pinocchio::sysvars::{clock::Clock, Sysvar};
use spicetime_abi::ed25519::{check_preceding_signature, INSTRUCTIONS_SYSVAR_ID};
use spicetime_abi::prelude::*;

use crate::collateral::check_collateral;
use crate::errors::MarketError;
use crate::escrow::economy_config;
use crate::events::ChallengeVoted;
use crate::instructions::job_receipt::signature_error;
use crate::messages;
use crate::seeds::{CHALLENGE_SEED, MARKET_SEED};
use crate::state::{Challenge, Job, JobStatus, Market, Verifier};

spicetime_abi::instruction! {
    /// Records a registered verifier's verdict on a challenged job, until the vote deadline or a
    /// quorum: the verifier re-ran the job and signed, with its wallet key,
    /// `"spicetime:verdict:v1" ‖ job ‖ upheld (1 byte) ‖ its output hash`, verified by the Ed25519
    /// program's instruction right before this one. Anyone may submit it; each verifier votes once,
    /// never on a job it provided, challenged or paid for, and only while its economy collateral still holds
    /// the minimum.
    pub struct ChallengeVote = "challenge_vote" {
        accounts {
            /// 0. [] The market PDA `["market"]`.
            market: [] pda({MARKET_SEED}),
            /// 1. [] The job.
            job: [],
            /// 2. [writable] The challenge PDA `["challenge", job]`.
            challenge: [writable] pda({CHALLENGE_SEED}, job),
            /// 3. [writable] The verifier.
            verifier: [writable],
            /// 4. [] The economy program's config.
            economy_config: [],
            /// 5. [] The verifier's collateral PDA in the economy program: still at least the minimum.
            collateral: [],
            /// 6. [] The instructions sysvar.
            instructions: [] address(INSTRUCTIONS_SYSVAR_ID),
        }
        args {
            /// Whether the receipt is wrong (the challenge upheld).
            upheld: bool,
            /// The verifier's own output hash for the job.
            result_hash: [u8; 32],
        }
    }
}

pub fn process(mut ix: ChallengeVote, program_id: &Address) -> ProgramResult {
    let market = Market::read(&ix.market, program_id)?;
    let job = Job::read(&ix.job, program_id)?;
    job.check_status(JobStatus::Challenged)?;
    let mut challenge = Challenge::read(&ix.challenge, program_id, ix.job.address())?;
    if Clock::get()?.unix_timestamp > challenge.vote_deadline_ts {
        return Err(MarketError::VotingClosed.into());
    }
    let mut verifier = Verifier::read(&ix.verifier, program_id)?;
    // The provider, the challenger and the client all gain from one outcome: none of them votes.
    if verifier.authority == job.provider || verifier.authority == challenge.challenger || verifier.authority == job.client {
        return Err(MarketError::VerifierNotEligible.into());
    }
    // Staked now, not only when it registered: collateral withdrawn since cannot vote.
    check_collateral(economy_config(&ix.economy_config)?, &ix.collateral, &verifier.authority)?;
    let message = messages::verdict(ix.job.address(), ix.upheld, &ix.result_hash);
    check_preceding_signature(&ix.instructions, &verifier.authority, message.as_bytes()).map_err(signature_error)?;
    challenge.vote(&verifier.authority, ix.upheld, market.params.quorum)?;
    verifier.votes_cast = verifier.votes_cast.checked_add(1).ok_or(MarketError::ArithmeticOverflow)?;
    challenge.save(&mut ix.challenge)?;
    verifier.save(&mut ix.verifier)?;

    ChallengeVoted {
        job: *ix.job.address(),
        verifier: verifier.authority,
        upheld: ix.upheld,
        result_hash: ix.result_hash,
        upheld_votes: challenge.upheld_votes,
        rejected_votes: challenge.rejected_votes,
    }
    .emit();
    Ok(())
}
