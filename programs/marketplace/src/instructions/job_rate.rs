use spicetime_abi::prelude::*;

use crate::errors::MarketError;
use crate::events::JobRated;
use crate::state::{Job, JobStatus, Layer, Provider};

spicetime_abi::instruction! {
    /// The client rates a settled job (1 to 5) for the provider's and the layer's reputation; the
    /// job is closed (rent to the client), so it is rated once.
    pub struct JobRate = "job_rate" {
        accounts {
            /// 0. [writable, signer] The job's client.
            client: [writable, signer],
            /// 1. [writable] The job, closed here.
            job: [writable],
            /// 2. [writable] The job's provider.
            provider: [writable],
            /// 3. [writable] The job's layer.
            layer: [writable],
        }
        args {
            rating: u8,
        }
    }
}

pub fn process(mut ix: JobRate, program_id: &Address) -> ProgramResult {
    let job = Job::read(&ix.job, program_id)?;
    job.check_client(ix.client.address())?;
    job.check_status(JobStatus::Settled)?;
    if !(1..=5).contains(&ix.rating) {
        return Err(MarketError::InvalidRating.into());
    }
    let mut provider = Provider::read(&ix.provider, program_id)?;
    provider.check_authority(&job.provider)?;
    if ix.layer.address() != &job.layer {
        return Err(fail_account(AnchorErrorCode::ConstraintAddress, "layer"));
    }
    let mut layer = Layer::read(&ix.layer, program_id, "layer")?;
    let rating = ix.rating as u64;
    provider.rating_sum = provider.rating_sum.checked_add(rating).ok_or(MarketError::ArithmeticOverflow)?;
    provider.rating_count = provider.rating_count.checked_add(1).ok_or(MarketError::ArithmeticOverflow)?;
    layer.rating_sum = layer.rating_sum.checked_add(rating).ok_or(MarketError::ArithmeticOverflow)?;
    layer.rating_count = layer.rating_count.checked_add(1).ok_or(MarketError::ArithmeticOverflow)?;
    provider.save(&mut ix.provider)?;
    layer.save(&mut ix.layer)?;
    spicetime_abi::account::close(&mut ix.job, &mut ix.client)?;

    JobRated {
        job: *ix.job.address(),
        job_serial: job.serial,
        provider: job.provider,
        layer: job.layer,
        rating: ix.rating,
        provider_rating_sum: provider.rating_sum,
        provider_rating_count: provider.rating_count,
        layer_rating_sum: layer.rating_sum,
        layer_rating_count: layer.rating_count,
    }
    .emit();
    Ok(())
}
