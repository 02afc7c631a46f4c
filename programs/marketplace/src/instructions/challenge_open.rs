use pinocchio::sysvars::{clock::Clock, Sysvar};
use spicetime_abi::cpi::{create_pda_account, NewAccount};
use spicetime_abi::prelude::*;
use spicetime_abi::token::{self, TokenMove};

use crate::errors::MarketError;
use crate::escrow::{check_compute, check_vault, compute_account, economy_config};
use crate::events::ChallengeOpened;
use crate::seeds::{CHALLENGE_SEED, JOB_VAULT_SEED, MARKET_SEED};
use crate::genome::update_layers;
use crate::state::{Challenge, Job, JobStatus, Market, Provider};

spicetime_abi::instruction! {
    /// Challenges a job's receipt within its window: the challenger bonds $COMPUTE (at least the
    /// market minimum) into the job's vault, and registered verifiers vote until the vote deadline.
    /// The challenger names the job instance (its serial); the challenge gets the next serial of
    /// the market's challenge count, which verdicts name.
    pub struct ChallengeOpen = "challenge_open" {
        accounts {
            /// 0. [writable] The market PDA `["market"]` (counts challenges: the serial).
            market: [writable] pda({MARKET_SEED}),
            /// 1. [writable, signer] The challenger, who pays the bond and the rent.
            challenger: [writable, signer],
            /// 2. [writable] The job.
            job: [writable],
            /// 3. [writable] The challenge PDA `["challenge", job, job_serial]`, created here.
            challenge: [writable] seeds({CHALLENGE_SEED}, job, [job_serial]),
            /// 4. [writable] The job's vault PDA `["job_vault", job]` (holds the bond).
            job_vault: [writable] pda({JOB_VAULT_SEED}, job),
            /// 5. [writable] The challenger's $COMPUTE account.
            challenger_token: [writable],
            /// 6. [writable] The job's provider.
            provider: [writable],
            /// 7. [writable] The genome's first layer.
            layer: [writable],
            /// 8. [optional, writable] Its second layer.
            layer_2: [optional, writable],
            /// 9. [optional, writable] Its third layer.
            layer_3: [optional, writable],
            /// 10. [optional, writable] Its fourth layer.
            layer_4: [optional, writable],
            /// 11. [] The economy program's config.
            economy_config: [],
            /// 12. [] $COMPUTE.
            compute_mint: [],
            /// 13. [] $COMPUTE's token program.
            token_program: [],
            /// 14. [] The System program.
            system_program: [] address(SYSTEM_PROGRAM_ID),
        }
        args {
            /// The serial of the job instance challenged.
            job_serial: u64,
            /// $COMPUTE bonded, at least the market minimum.
            bond: u64,
        }
    }
}

pub fn process(mut ix: ChallengeOpen, program_id: &Address) -> ProgramResult {
    let mut market = Market::read(&ix.market, program_id)?;
    let mut job = Job::read(&ix.job, program_id)?;
    job.check_serial(ix.job_serial)?;
    job.check_status(JobStatus::Submitted)?;
    if job.challenged {
        return Err(MarketError::AlreadyChallenged.into());
    }
    let now = Clock::get()?.unix_timestamp;
    if now >= job.settle_after_ts {
        return Err(MarketError::ChallengeWindowClosed.into());
    }
    if ix.challenger.address() == &job.provider {
        return Err(MarketError::CannotChallengeOwnJob.into());
    }
    if ix.bond < market.params.min_bond {
        return Err(MarketError::BondTooSmall.into());
    }
    check_vault(&ix.job_vault, &job.vault)?;
    let mut provider = Provider::read(&ix.provider, program_id)?;
    provider.check_authority(&job.provider)?;
    let economy = economy_config(&ix.economy_config)?;
    check_compute(&economy, &ix.compute_mint, &ix.token_program)?;
    compute_account(&economy, &ix.challenger_token, &ix.token_program, ix.challenger.address(), "challenger_token")?;

    let challenge = Challenge {
        job: *ix.job.address(),
        job_serial: job.serial,
        serial: market.next_challenge_serial()?,
        challenger: *ix.challenger.address(),
        bond: ix.bond,
        opened_ts: now,
        vote_deadline_ts: now.checked_add(market.params.vote_window).ok_or(MarketError::ArithmeticOverflow)?,
        quorum: market.params.quorum,
        bump: ix.challenge.bump,
        ..Challenge::default()
    };
    let bump = [ix.challenge.bump];
    let serial = job.serial.to_le_bytes();
    let seeds = [Seed::from(CHALLENGE_SEED), Seed::from(ix.job.address().as_ref()), Seed::from(&serial), Seed::from(&bump)];
    create_pda_account(&NewAccount { payer: &ix.challenger, account: &ix.challenge, space: Challenge::SPACE, owner: program_id }, &seeds)?;
    challenge.save(&mut ix.challenge)?;
    let bond = TokenMove { token_program: &ix.token_program, from: &ix.challenger_token, mint: &ix.compute_mint, to: &ix.job_vault, authority: &ix.challenger };
    token::transfer_checked(&bond, ix.bond, economy.compute_decimals, &[])?;

    job.status = JobStatus::Challenged;
    job.challenged = true;
    job.bond = ix.bond;
    provider.jobs_challenged = provider.jobs_challenged.checked_add(1).ok_or(MarketError::ArithmeticOverflow)?;
    update_layers(&job, program_id, &mut ix.layer, [&mut ix.layer_2, &mut ix.layer_3, &mut ix.layer_4], |_, layer| {
        layer.jobs_challenged = layer.jobs_challenged.checked_add(1).ok_or(MarketError::ArithmeticOverflow)?;
        Ok(())
    })?;
    job.save(&mut ix.job)?;
    provider.save(&mut ix.provider)?;
    market.save(&mut ix.market)?;

    ChallengeOpened {
        job: *ix.job.address(),
        job_serial: job.serial,
        challenge: *ix.challenge.address(),
        serial: challenge.serial,
        challenger: challenge.challenger,
        bond: ix.bond,
        vote_deadline_ts: challenge.vote_deadline_ts,
    }
    .emit();
    Ok(())
}
