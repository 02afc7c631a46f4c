use spicetime_abi::prelude::*;

use crate::events::JobClosed;
use crate::state::{Job, JobStatus};

spicetime_abi::instruction! {
    /// The client closes a settled job without rating it (rent to the client).
    pub struct JobClose = "job_close" {
        accounts {
            /// 0. [writable, signer] The job's client.
            client: [writable, signer],
            /// 1. [writable] The job, closed here.
            job: [writable],
        }
        args {}
    }
}

pub fn process(mut ix: JobClose, program_id: &Address) -> ProgramResult {
    let job = Job::read(&ix.job, program_id)?;
    job.check_client(ix.client.address())?;
    job.check_status(JobStatus::Settled)?;
    spicetime_abi::account::close(&mut ix.job, &mut ix.client)?;

    JobClosed { job: *ix.job.address(), job_serial: job.serial, client: job.client, provider: job.provider, refund: 0, expired: false }.emit();
    Ok(())
}
