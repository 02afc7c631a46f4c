use economy::marketplace::MARKETPLACE_CALLER;
use pinocchio::sysvars::{clock::Clock, Sysvar};
use spicetime_abi::prelude::*;

use crate::economy_cpi::{collateral_release, EconomyCall};
use crate::errors::MarketError;
use crate::escrow::{check_compute, check_vault, compute_account, economy_config, Escrow};
use crate::events::JobClosed;
use crate::seeds::JOB_VAULT_SEED;
use crate::state::{Job, JobStatus, Provider};

spicetime_abi::instruction! {
    /// Expires a claimed job whose receipt did not arrive by the deadline (anyone may): the whole
    /// escrow goes back to the client, the provider's collateral lock is released, and the job
    /// and its vault are closed (rent to the client).
    pub struct JobExpire = "job_expire" {
        accounts {
            /// 0. [writable] The job, closed here.
            job: [writable],
            /// 1. [writable] The job's vault PDA `["job_vault", job]`, closed here.
            job_vault: [writable] pda({JOB_VAULT_SEED}, job),
            /// 2. [writable] The job's client (gets the rent).
            client: [writable],
            /// 3. [writable] The client's $COMPUTE account (the refund).
            client_token: [writable],
            /// 4. [writable] The job's provider.
            provider: [writable],
            /// 5. [] The provider's wallet.
            provider_authority: [],
            /// 6. [writable] The provider's collateral PDA in the economy program.
            collateral: [writable],
            /// 7. [] The economy program's config.
            economy_config: [],
            /// 8. [] $COMPUTE.
            compute_mint: [],
            /// 9. [] The marketplace authority PDA `["economy_caller"]`.
            authority: [] address(MARKETPLACE_CALLER),
            /// 10. [] $COMPUTE's token program.
            token_program: [],
            /// 11. [] The economy program.
            economy_program: [] address(economy::ID),
        }
        args {}
    }
}

pub fn process(mut ix: JobExpire, program_id: &Address) -> ProgramResult {
    let job = Job::read(&ix.job, program_id)?;
    job.check_status(JobStatus::Claimed)?;
    if Clock::get()?.unix_timestamp <= job.deadline_ts {
        return Err(MarketError::DeadlineNotPassed.into());
    }
    check_vault(&ix.job_vault, &job.vault)?;
    job.check_client(ix.client.address())?;
    let mut provider = Provider::read(&ix.provider, program_id)?;
    provider.check_authority(&job.provider)?;
    spicetime_abi::account::check_address(&ix.provider_authority, &job.provider, "provider_authority")?;
    let economy = economy_config(&ix.economy_config)?;
    check_compute(&economy, &ix.compute_mint, &ix.token_program)?;
    compute_account(&economy, &ix.client_token, &ix.token_program, &job.client, "client_token")?;

    let escrow = Escrow { token_program: &ix.token_program, vault: &ix.job_vault, mint: &ix.compute_mint, authority: &ix.authority, decimals: economy.compute_decimals };
    let refund = escrow.pay_rest(&ix.client_token)?;
    escrow.close(&ix.client)?;
    collateral_release(&EconomyCall { program: &ix.economy_program, authority: &ix.authority }, &ix.provider_authority, &ix.collateral)?;
    provider.open_jobs = provider.open_jobs.checked_sub(1).ok_or(MarketError::ArithmeticOverflow)?;
    provider.save(&mut ix.provider)?;
    spicetime_abi::account::close(&mut ix.job, &mut ix.client)?;

    JobClosed { job: *ix.job.address(), job_serial: job.serial, client: job.client, provider: job.provider, refund, expired: true }.emit();
    Ok(())
}
