use economy::marketplace::MARKETPLACE_CALLER;
use pinocchio::sysvars::{clock::Clock, Sysvar};
use spicetime_abi::prelude::*;

use crate::collateral::check_collateral;
use crate::economy_cpi::{collateral_lock, EconomyCall};
use crate::errors::MarketError;
use crate::escrow::economy_config;
use crate::events::JobClaimed;
use crate::seeds::{MARKET_SEED, PROVIDER_SEED};
use crate::state::{Job, JobStatus, Layer, Market, Provider};

spicetime_abi::instruction! {
    /// A registered provider that serves the genome's base model claims an open job: the rate is
    /// fixed at its price (never below the sum of the layers' floors, never above the job's maximum), one job
    /// is locked on its collateral, and the receipt deadline starts.
    pub struct JobClaim = "job_claim" {
        accounts {
            /// 0. [] The market PDA `["market"]`.
            market: [] pda({MARKET_SEED}),
            /// 1. [signer] The provider's wallet.
            authority: [signer],
            /// 2. [writable] The provider PDA `["provider", authority]`.
            provider: [writable] pda({PROVIDER_SEED}, authority),
            /// 3. [writable] The job.
            job: [writable],
            /// 4. [] The genome's first layer (its base model is the genome's).
            layer: [],
            /// 5. [] The economy program's config.
            economy_config: [],
            /// 6. [writable] The provider's collateral PDA in the economy program `["collateral", authority]`.
            collateral: [writable],
            /// 7. [] The marketplace authority PDA `["economy_caller"]`.
            marketplace_authority: [] address(MARKETPLACE_CALLER),
            /// 8. [] The economy program.
            economy_program: [] address(economy::ID),
        }
        args {}
    }
}

pub fn process(mut ix: JobClaim, program_id: &Address) -> ProgramResult {
    let market = Market::read(&ix.market, program_id)?;
    let mut provider = Provider::read(&ix.provider, program_id)?;
    provider.check_authority(ix.authority.address())?;
    provider.check_registered()?;
    let mut job = Job::read(&ix.job, program_id)?;
    job.check_status(JobStatus::Open)?;
    if job.requested_provider != Address::default() && &job.requested_provider != ix.authority.address() {
        return Err(MarketError::ProviderMismatch.into());
    }
    if ix.layer.address() != &job.layers[0].layer {
        return Err(MarketError::LayerMismatch.into());
    }
    let layer = Layer::read(&ix.layer, program_id, "layer")?;
    if !provider.serves(layer.base_model.as_bytes()) {
        return Err(MarketError::BaseModelUnsupported.into());
    }
    let economy = economy_config(&ix.economy_config)?;
    check_collateral(&economy, &ix.collateral, ix.authority.address())?;
    let rate = provider.price_per_thousand.max(job.floor_per_thousand);
    if rate > job.max_price_per_thousand {
        return Err(MarketError::PriceExceeded.into());
    }

    let now = Clock::get()?.unix_timestamp;
    job.status = JobStatus::Claimed;
    job.provider = *ix.authority.address();
    job.rate_per_thousand = rate;
    job.deadline_ts = now.checked_add(market.params.job_timeout).ok_or(MarketError::ArithmeticOverflow)?;
    provider.open_jobs = provider.open_jobs.checked_add(1).ok_or(MarketError::ArithmeticOverflow)?;
    collateral_lock(&EconomyCall { program: &ix.economy_program, authority: &ix.marketplace_authority }, &ix.authority, &ix.collateral)?;
    job.save(&mut ix.job)?;
    provider.save(&mut ix.provider)?;

    JobClaimed { job: *ix.job.address(), job_serial: job.serial, provider: job.provider, rate_per_thousand: rate, deadline_ts: job.deadline_ts, open_jobs: provider.open_jobs }.emit();
    Ok(())
}
