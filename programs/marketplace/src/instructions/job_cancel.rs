use economy::marketplace::MARKETPLACE_CALLER;
use spicetime_abi::prelude::*;

use crate::escrow::{check_compute, check_vault, compute_account, economy_config, Escrow};
use crate::events::JobClosed;
use crate::seeds::JOB_VAULT_SEED;
use crate::state::{Job, JobStatus};

spicetime_abi::instruction! {
    /// The client cancels a job no provider has claimed: the whole escrow comes back, and the job
    /// and its vault are closed (rent to the client). Never blocked by the economy's pause.
    pub struct JobCancel = "job_cancel" {
        accounts {
            /// 0. [writable, signer] The job's client.
            client: [writable, signer],
            /// 1. [writable] The job, closed here.
            job: [writable],
            /// 2. [writable] The job's vault PDA `["job_vault", job]`, closed here.
            job_vault: [writable] pda({JOB_VAULT_SEED}, job),
            /// 3. [writable] The client's $COMPUTE account (the refund).
            client_token: [writable],
            /// 4. [] The economy program's config.
            economy_config: [],
            /// 5. [] $COMPUTE.
            compute_mint: [],
            /// 6. [] The marketplace authority PDA `["economy_caller"]`.
            authority: [] address(MARKETPLACE_CALLER),
            /// 7. [] $COMPUTE's token program.
            token_program: [],
        }
        args {}
    }
}

pub fn process(mut ix: JobCancel, program_id: &Address) -> ProgramResult {
    let job = Job::read(&ix.job, program_id)?;
    job.check_client(ix.client.address())?;
    job.check_status(JobStatus::Open)?;
    check_vault(&ix.job_vault, &job.vault)?;
    let economy = economy_config(&ix.economy_config)?;
    check_compute(&economy, &ix.compute_mint, &ix.token_program)?;
    compute_account(&economy, &ix.client_token, &ix.token_program, &job.client, "client_token")?;

    let escrow = Escrow { token_program: &ix.token_program, vault: &ix.job_vault, mint: &ix.compute_mint, authority: &ix.authority, decimals: economy.compute_decimals };
    let refund = escrow.pay_rest(&ix.client_token)?;
    escrow.close(&ix.client)?;
    spicetime_abi::account::close(&mut ix.job, &mut ix.client)?;

    JobClosed { job: *ix.job.address(), job_serial: job.serial, client: job.client, provider: job.provider, refund, expired: false }.emit();
    Ok(())
}
