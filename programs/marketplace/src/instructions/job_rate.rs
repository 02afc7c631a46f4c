use spicetime_abi::prelude::*;

use crate::errors::MarketError;
use crate::events::JobRated;
use crate::genome::update_layers;
use crate::state::{Job, JobStatus, Provider, MAX_LAYERS};

spicetime_abi::instruction! {
    /// The client rates a settled job (1 to 5) for the provider's and each layer's reputation; the
    /// job is closed (rent to the client), so it is rated once.
    pub struct JobRate = "job_rate" {
        accounts {
            /// 0. [writable, signer] The job's client.
            client: [writable, signer],
            /// 1. [writable] The job, closed here.
            job: [writable],
            /// 2. [writable] The job's provider.
            provider: [writable],
            /// 3. [writable] The genome's first layer.
            layer: [writable],
            /// 4. [optional, writable] Its second layer.
            layer_2: [optional, writable],
            /// 5. [optional, writable] Its third layer.
            layer_3: [optional, writable],
            /// 6. [optional, writable] Its fourth layer.
            layer_4: [optional, writable],
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
    let rating = ix.rating as u64;
    let (mut sums, mut counts) = ([0u64; MAX_LAYERS], [0u64; MAX_LAYERS]);
    update_layers(&job, program_id, &mut ix.layer, [&mut ix.layer_2, &mut ix.layer_3, &mut ix.layer_4], |i, layer| {
        layer.rating_sum = layer.rating_sum.checked_add(rating).ok_or(MarketError::ArithmeticOverflow)?;
        layer.rating_count = layer.rating_count.checked_add(1).ok_or(MarketError::ArithmeticOverflow)?;
        (sums[i], counts[i]) = (layer.rating_sum, layer.rating_count);
        Ok(())
    })?;
    provider.rating_sum = provider.rating_sum.checked_add(rating).ok_or(MarketError::ArithmeticOverflow)?;
    provider.rating_count = provider.rating_count.checked_add(1).ok_or(MarketError::ArithmeticOverflow)?;
    provider.save(&mut ix.provider)?;
    spicetime_abi::account::close(&mut ix.job, &mut ix.client)?;

    JobRated {
        job: *ix.job.address(),
        job_serial: job.serial,
        provider: job.provider,
        rating: ix.rating,
        provider_rating_sum: provider.rating_sum,
        provider_rating_count: provider.rating_count,
        layer_rating_sums: sums,
        layer_rating_counts: counts,
    }
    .emit();
    Ok(())
}
