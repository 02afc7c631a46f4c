use economy::marketplace::MARKETPLACE_CALLER;
use economy::state::Collateral;
use pinocchio::sysvars::{clock::Clock, Sysvar};
use spicetime_abi::prelude::*;
use spicetime_abi::token::TokenAccount;

use crate::economy_cpi::{collateral_release, collateral_slash, EconomyCall, SlashAccounts};
use crate::errors::MarketError;
use crate::escrow::{check_compute, check_vault, compute_account, economy_config, Escrow};
use crate::events::ChallengeResolved;
use crate::seeds::{JOB_VAULT_SEED, MARKET_SEED};
use crate::genome::update_layers;
use crate::state::{Challenge, ChallengeOutcome, Job, JobStatus, Market, Provider};

spicetime_abi::instruction! {
    /// Resolves a challenge (anyone may) once a side has a quorum of verifier votes, or the vote
    /// deadline passed. Upheld: the economy program slashes the provider's collateral (the
    /// market's slash amount, at most what it holds) to the challenger and the treasury, the
    /// client gets the whole escrow back, the challenger its bond, and the job closes. Rejected:
    /// the bond goes to the provider. Undecided: the bond goes back. In both, the job can be
    /// settled right away. The challenge stays, resolved, until each voter's collateral lock is
    /// released (`challenge_vote_release`); one nobody voted on is closed here (rent to the challenger).
    pub struct ChallengeResolve = "challenge_resolve" {
        accounts {
            /// 0. [] The market PDA `["market"]`.
            market: [] pda({MARKET_SEED}),
            /// 1. [writable] The job (closed when upheld).
            job: [writable],
            /// 2. [writable] The job instance's challenge PDA `["challenge", job, job_serial]`.
            challenge: [writable],
            /// 3. [writable] The job's vault PDA `["job_vault", job]`.
            job_vault: [writable] pda({JOB_VAULT_SEED}, job),
            /// 4. [writable] The job's client.
            client: [writable],
            /// 5. [writable] The client's $COMPUTE account.
            client_token: [writable, dup],
            /// 6. [writable] The challenger (may be the client).
            challenger: [writable, dup],
            /// 7. [writable] The challenger's $COMPUTE account.
            challenger_token: [writable, dup],
            /// 8. [writable] The job's provider.
            provider: [writable],
            /// 9. [] The provider's wallet.
            provider_authority: [],
            /// 10. [writable] A $COMPUTE account of the provider's wallet.
            provider_token: [writable, dup],
            /// 11. [writable] The genome's first layer.
            layer: [writable],
            /// 12. [optional, writable] Its second layer.
            layer_2: [optional, writable],
            /// 13. [optional, writable] Its third layer.
            layer_3: [optional, writable],
            /// 14. [optional, writable] Its fourth layer.
            layer_4: [optional, writable],
            /// 15. [writable] The economy program's config.
            economy_config: [writable],
            /// 16. [writable] The provider's collateral PDA in the economy program.
            collateral: [writable],
            /// 17. [writable] The challenger's $UBC account (its share of a slash).
            challenger_ubc: [writable, dup],
            /// 18. [writable] A $UBC account of the economy's treasury.
            treasury_ubc: [writable, dup],
            /// 19. [writable] The economy program's stake vault `["stake_vault"]`.
            stake_vault: [writable],
            /// 20. [] $UBC.
            ubc_mint: [],
            /// 21. [] $UBC's token program.
            ubc_token_program: [],
            /// 22. [] The economy program's authority PDA `["authority"]`.
            economy_authority: [],
            /// 23. [] $COMPUTE.
            compute_mint: [],
            /// 24. [] $COMPUTE's token program.
            token_program: [],
            /// 25. [] The marketplace authority PDA `["economy_caller"]`.
            authority: [] address(MARKETPLACE_CALLER),
            /// 26. [] The economy program.
            economy_program: [] address(economy::ID),
        }
        args {}
    }
}

pub fn process(mut ix: ChallengeResolve, program_id: &Address) -> ProgramResult {
    let market = Market::read(&ix.market, program_id)?;
    let mut job = Job::read(&ix.job, program_id)?;
    job.check_status(JobStatus::Challenged)?;
    let mut challenge = Challenge::read(&ix.challenge, program_id, ix.job.address(), job.serial)?;
    spicetime_abi::account::check_address(&ix.challenger, &challenge.challenger, "challenger")?;
    check_vault(&ix.job_vault, &job.vault)?;
    job.check_client(ix.client.address())?;
    let mut provider = Provider::read(&ix.provider, program_id)?;
    provider.check_authority(&job.provider)?;
    spicetime_abi::account::check_address(&ix.provider_authority, &job.provider, "provider_authority")?;
    job.check_layers([Some(ix.layer.address()), ix.layer_2.as_ref().map(|v| v.address()), ix.layer_3.as_ref().map(|v| v.address()), ix.layer_4.as_ref().map(|v| v.address())])?;
    let economy = economy_config(&ix.economy_config)?;
    check_compute(&economy, &ix.compute_mint, &ix.token_program)?;
    // Every account is checked whatever the outcome, so a transaction never carries one unchecked.
    compute_account(&economy, &ix.client_token, &ix.token_program, &job.client, "client_token")?;
    compute_account(&economy, &ix.challenger_token, &ix.token_program, &challenge.challenger, "challenger_token")?;
    compute_account(&economy, &ix.provider_token, &ix.token_program, &job.provider, "provider_token")?;
    if ix.ubc_mint.address() != &economy.ubc_mint || ix.ubc_token_program.address() != &economy.ubc_token_program {
        return Err(MarketError::MintMismatch.into());
    }
    TokenAccount::load(&ix.challenger_ubc, &ix.ubc_token_program, "challenger_ubc")?.check_mint(&economy.ubc_mint, "challenger_ubc")?.check_owner(&challenge.challenger, "challenger_ubc")?;
    TokenAccount::load(&ix.treasury_ubc, &ix.ubc_token_program, "treasury_ubc")?.check_mint(&economy.ubc_mint, "treasury_ubc")?.check_owner(&economy.treasury, "treasury_ubc")?;
    spicetime_abi::account::check_address(&ix.stake_vault, &economy.stake_vault, "stake_vault")?;
    spicetime_abi::account::check_address(&ix.economy_authority, &economy.authority, "economy_authority")?;
    let collateral = Collateral::read(&ix.collateral, &economy::ID, &job.provider)?;
    let now = Clock::get()?.unix_timestamp;
    let outcome = match challenge.decided(challenge.quorum) {
        Some(outcome) => outcome,
        None if now > challenge.vote_deadline_ts => ChallengeOutcome::Undecided,
        None => return Err(MarketError::VotingNotOver.into()),
    };

    let escrow = Escrow { token_program: &ix.token_program, vault: &ix.job_vault, mint: &ix.compute_mint, authority: &ix.authority, decimals: economy.compute_decimals };
    let call = EconomyCall { program: &ix.economy_program, authority: &ix.authority };
    let mut slashed = 0;
    let mut refund = 0;
    match outcome {
        ChallengeOutcome::Upheld => {
            slashed = market.params.slash_amount.min(collateral.amount);
            if slashed > 0 {
                let accounts = SlashAccounts {
                    config: &ix.economy_config,
                    provider: &ix.provider_authority,
                    collateral: &ix.collateral,
                    challenger: &ix.challenger_ubc,
                    treasury: &ix.treasury_ubc,
                    stake_vault: &ix.stake_vault,
                    ubc_mint: &ix.ubc_mint,
                    economy_authority: &ix.economy_authority,
                    token_program: &ix.ubc_token_program,
                };
                collateral_slash(&call, &accounts, slashed, market.params.challenger_bps)?;
            }
            collateral_release(&call, &ix.provider_authority, &ix.collateral)?;
            escrow.pay(&ix.challenger_token, job.bond)?;
            refund = escrow.pay_rest(&ix.client_token)?;
            escrow.close(&ix.client)?;
            provider.open_jobs = provider.open_jobs.checked_sub(1).ok_or(MarketError::ArithmeticOverflow)?;
            provider.jobs_slashed = provider.jobs_slashed.checked_add(1).ok_or(MarketError::ArithmeticOverflow)?;
            update_layers(&job, program_id, &mut ix.layer, [&mut ix.layer_2, &mut ix.layer_3, &mut ix.layer_4], |_, layer| {
                layer.jobs_slashed = layer.jobs_slashed.checked_add(1).ok_or(MarketError::ArithmeticOverflow)?;
                Ok(())
            })?;
            provider.save(&mut ix.provider)?;
            spicetime_abi::account::close(&mut ix.job, &mut ix.client)?;
        }
        ChallengeOutcome::Rejected | ChallengeOutcome::Undecided => {
            let to = if outcome == ChallengeOutcome::Rejected { &ix.provider_token } else { &ix.challenger_token };
            escrow.pay(to, job.bond)?;
            job.bond = 0;
            job.status = JobStatus::Submitted;
            job.settle_after_ts = now;
            job.save(&mut ix.job)?;
        }
    }
    challenge.resolved = true;
    challenge.outcome = outcome;
    if challenge.all_released() {
        spicetime_abi::account::close(&mut ix.challenge, &mut ix.challenger)?;
    } else {
        challenge.save(&mut ix.challenge)?;
    }

    ChallengeResolved {
        job: *ix.job.address(),
        challenge: *ix.challenge.address(),
        serial: challenge.serial,
        outcome,
        challenger: challenge.challenger,
        provider: job.provider,
        bond: challenge.bond,
        slashed,
        refund,
        upheld_votes: challenge.upheld_votes,
        rejected_votes: challenge.rejected_votes,
    }
    .emit();
    Ok(())
}
