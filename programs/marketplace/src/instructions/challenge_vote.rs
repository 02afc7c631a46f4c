use economy::marketplace::MARKETPLACE_CALLER;
use pinocchio::sysvars::{clock::Clock, Sysvar};
use spicetime_abi::ed25519::{check_preceding_signature, INSTRUCTIONS_SYSVAR_ID};
use spicetime_abi::prelude::*;

use crate::collateral::check_collateral;
use crate::economy_cpi::{collateral_lock, EconomyCall};
use crate::errors::MarketError;
use crate::escrow::economy_config;
use crate::events::ChallengeVoted;
use crate::instructions::job_receipt::signature_error;
use crate::messages;
use crate::seeds::MARKET_SEED;
use crate::state::{Challenge, Job, JobStatus, Market, Verifier};

spicetime_abi::instruction! {
    /// Records a registered verifier's verdict on a challenged job, until the vote deadline or a
    /// quorum: the verifier re-ran the job and signed, with its wallet key,
    /// `"spicetime:verdict:v2" ‖ cluster ‖ job ‖ job_serial (u64 LE) ‖ challenge_serial (u64 LE) ‖ upheld (1 byte) ‖ its output hash`
    /// (`messages.rs`), verified by the Ed25519 program's instruction right before this one, so the
    /// verdict counts on this challenge of this job instance, on this cluster, only. Anyone may submit it; each verifier votes once,
    /// never on a job it provided, challenged or paid for, and only while its economy collateral
    /// still holds the minimum. The vote locks that collateral (one more open lock in the economy)
    /// until `challenge_vote_release` after the challenge is resolved.
    pub struct ChallengeVote = "challenge_vote" {
        accounts {
            /// 0. [] The market PDA `["market"]`.
            market: [] pda({MARKET_SEED}),
            /// 1. [] The job.
            job: [],
            /// 2. [writable] The job instance's challenge PDA `["challenge", job, job_serial]`.
            challenge: [writable],
            /// 3. [writable] The verifier PDA `["verifier", verifier_authority]`.
            verifier: [writable],
            /// 4. [] The verifier's wallet (signs the verdict; its collateral is locked).
            verifier_authority: [],
            /// 5. [] The economy program's config.
            economy_config: [],
            /// 6. [writable] The verifier's collateral PDA in the economy program: at least the minimum, locked here.
            collateral: [writable],
            /// 7. [] The instructions sysvar.
            instructions: [] address(INSTRUCTIONS_SYSVAR_ID),
            /// 8. [] The marketplace authority PDA `["economy_caller"]`.
            authority: [] address(MARKETPLACE_CALLER),
            /// 9. [] The economy program.
            economy_program: [] address(economy::ID),
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
    let mut challenge = Challenge::read(&ix.challenge, program_id, ix.job.address(), job.serial)?;
    if Clock::get()?.unix_timestamp > challenge.vote_deadline_ts {
        return Err(MarketError::VotingClosed.into());
    }
    let mut verifier = Verifier::read(&ix.verifier, program_id)?;
    spicetime_abi::account::check_address(&ix.verifier_authority, &verifier.authority, "verifier_authority")?;
    // The provider, the challenger and the client all gain from one outcome: none of them votes.
    if verifier.authority == job.provider || verifier.authority == challenge.challenger || verifier.authority == job.client {
        return Err(MarketError::VerifierNotEligible.into());
    }
    // Staked now, not only when it registered: collateral withdrawn since cannot vote.
    check_collateral(economy_config(&ix.economy_config)?, &ix.collateral, &verifier.authority)?;
    let instance = messages::JobInstance { cluster: &market.cluster, job: ix.job.address(), serial: job.serial };
    let message = messages::verdict(&instance, challenge.serial, ix.upheld, &ix.result_hash);
    check_preceding_signature(&ix.instructions, &verifier.authority, message.as_bytes()).map_err(signature_error)?;
    challenge.vote(&verifier.authority, ix.upheld, challenge.quorum)?;
    verifier.votes_cast = verifier.votes_cast.checked_add(1).ok_or(MarketError::ArithmeticOverflow)?;
    verifier.open_votes = verifier.open_votes.checked_add(1).ok_or(MarketError::ArithmeticOverflow)?;
    collateral_lock(&EconomyCall { program: &ix.economy_program, authority: &ix.authority }, &ix.verifier_authority, &ix.collateral)?;
    challenge.save(&mut ix.challenge)?;
    verifier.save(&mut ix.verifier)?;

    ChallengeVoted {
        job: *ix.job.address(),
        challenge: *ix.challenge.address(),
        serial: challenge.serial,
        verifier: verifier.authority,
        upheld: ix.upheld,
        result_hash: ix.result_hash,
        upheld_votes: challenge.upheld_votes,
        rejected_votes: challenge.rejected_votes,
    }
    .emit();
    Ok(())
}
