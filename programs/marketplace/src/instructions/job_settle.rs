use economy::marketplace::MARKETPLACE_CALLER;
use pinocchio::sysvars::{clock::Clock, Sysvar};
use spicetime_abi::prelude::*;

use crate::economy_cpi::{settlement_finish, EconomyCall, FinishAccounts};
use crate::errors::MarketError;
use crate::escrow::{check_compute, check_vault, compute_account, economy_config, Escrow};
use crate::events::JobSettled;
use crate::seeds::{JOB_VAULT_SEED, MARKET_SEED, ROYALTY_VAULT_SEED};
use crate::split::{split, Rates};
use crate::genome::update_layers;
use crate::state::{Job, JobStatus, Market, Provider, MAX_LAYERS};

spicetime_abi::instruction! {
    /// Settles a job once its challenge window is over (anyone may): in one instruction the
    /// provider is paid, the layer's royalty moves to the royalty vault and accrues on the layer
    /// (its holder claims it, passing the parent's share up, with `layer_royalty_claim`), the
    /// economy program burns its share and pays the provider's reward, the
    /// treasury gets its fee, the unused escrow goes back to the client, the collateral lock is
    /// released (the burn, reward and release are one economy call, `settlement_finish`) and the
    /// vault closed (rent to the client). The job stays for the client's rating.
    pub struct JobSettle = "job_settle" {
        accounts {
            /// 0. [writable] The market PDA `["market"]`.
            market: [writable] pda({MARKET_SEED}),
            /// 1. [writable] The job.
            job: [writable],
            /// 2. [writable] The job's vault PDA `["job_vault", job]`, closed here.
            job_vault: [writable] pda({JOB_VAULT_SEED}, job),
            /// 3. [writable] The job's client (gets the vault's rent).
            client: [writable],
            /// 4. [writable] The client's $COMPUTE account (the refund).
            client_token: [writable, dup],
            /// 5. [writable] The genome's first layer.
            layer: [writable],
            /// 6. [optional, writable] Its second layer.
            layer_2: [optional, writable],
            /// 7. [optional, writable] Its third layer.
            layer_3: [optional, writable],
            /// 8. [optional, writable] Its fourth layer.
            layer_4: [optional, writable],
            /// 9. [writable] The royalty vault PDA `["royalty_vault"]`.
            royalty_vault: [writable] pda({ROYALTY_VAULT_SEED}),
            /// 10. [writable] The job's provider.
            provider: [writable],
            /// 11. [] The provider's wallet.
            provider_authority: [],
            /// 12. [writable] A $COMPUTE account of the provider's wallet (payment and reward).
            provider_token: [writable, dup],
            /// 13. [writable] A $COMPUTE account of the economy's treasury (the fee).
            treasury_token: [writable, dup],
            /// 14. [writable] The economy program's config.
            economy_config: [writable],
            /// 15. [writable] $COMPUTE.
            compute_mint: [writable],
            /// 16. [writable] The provider's collateral PDA in the economy program.
            collateral: [writable],
            /// 17. [] The economy program's authority PDA `["authority"]`.
            economy_authority: [],
            /// 18. [writable] The economy program's rewards vault `["rewards_vault"]`.
            rewards_vault: [writable],
            /// 19. [] The marketplace authority PDA `["economy_caller"]`.
            authority: [] address(MARKETPLACE_CALLER),
            /// 20. [] $COMPUTE's token program.
            token_program: [],
            /// 21. [] The economy program.
            economy_program: [] address(economy::ID),
        }
        args {}
    }
}

pub fn process(mut ix: JobSettle, program_id: &Address) -> ProgramResult {
    let mut market = Market::read(&ix.market, program_id)?;
    let mut job = Job::read(&ix.job, program_id)?;
    job.check_status(JobStatus::Submitted)?;
    if Clock::get()?.unix_timestamp < job.settle_after_ts {
        return Err(MarketError::ChallengeWindowOpen.into());
    }
    check_vault(&ix.job_vault, &job.vault)?;
    job.check_client(ix.client.address())?;
    job.check_layers([Some(ix.layer.address()), ix.layer_2.as_ref().map(|v| v.address()), ix.layer_3.as_ref().map(|v| v.address()), ix.layer_4.as_ref().map(|v| v.address())])?;
    let mut provider = Provider::read(&ix.provider, program_id)?;
    provider.check_authority(&job.provider)?;
    spicetime_abi::account::check_address(&ix.provider_authority, &job.provider, "provider_authority")?;
    let economy = economy_config(&ix.economy_config)?;
    check_compute(&economy, &ix.compute_mint, &ix.token_program)?;

    spicetime_abi::account::check_address(&ix.royalty_vault, &market.royalty_vault, "royalty_vault")?;
    compute_account(&economy, &ix.provider_token, &ix.token_program, &job.provider, "provider_token")?;
    compute_account(&economy, &ix.treasury_token, &ix.token_program, &economy.treasury, "treasury_token")?;
    compute_account(&economy, &ix.client_token, &ix.token_program, &job.client, "client_token")?;

    let rates = Rates {
        burn_bps: economy.params.burn_bps,
        fee_bps: economy.params.treasury_fee_bps,
        royalty_bps: job.layers.map(|l| l.royalty_bps),
        reward_bps: market.params.reward_bps,
    };
    let s = split(job.escrow, job.tokens_used, job.rate_per_thousand, rates)?;

    let escrow = Escrow { token_program: &ix.token_program, vault: &ix.job_vault, mint: &ix.compute_mint, authority: &ix.authority, decimals: economy.compute_decimals };
    escrow.pay(&ix.provider_token, s.provider)?;
    escrow.pay(&ix.royalty_vault, s.royalty)?;
    escrow.pay(&ix.treasury_token, s.fee)?;
    let finish = FinishAccounts {
        config: &ix.economy_config,
        provider: &ix.provider_authority,
        collateral: &ix.collateral,
        source: &ix.job_vault,
        destination: &ix.provider_token,
        compute_mint: &ix.compute_mint,
        economy_authority: &ix.economy_authority,
        rewards_vault: &ix.rewards_vault,
        token_program: &ix.token_program,
    };
    settlement_finish(&EconomyCall { program: &ix.economy_program, authority: &ix.authority }, &finish, s.burn, s.reward)?;
    // The unused escrow (plus anything sent to the vault on top) goes back to the client.
    let refund = escrow.pay_rest(&ix.client_token)?;
    escrow.close(&ix.client)?;

    job.status = JobStatus::Settled;
    let tokens = job.tokens_used;
    provider.open_jobs = provider.open_jobs.checked_sub(1).ok_or(MarketError::ArithmeticOverflow)?;
    provider.jobs_completed = provider.jobs_completed.checked_add(1).ok_or(MarketError::ArithmeticOverflow)?;
    provider.tokens_served = provider.tokens_served.checked_add(tokens).ok_or(MarketError::ArithmeticOverflow)?;
    provider.earned = provider.earned.checked_add(s.provider).ok_or(MarketError::ArithmeticOverflow)?;
    // Each layer accrues its royalty and counts the job and its tokens.
    let mut accrued = [0u64; MAX_LAYERS];
    let mut completed = [0u64; MAX_LAYERS];
    update_layers(&job, program_id, &mut ix.layer, [&mut ix.layer_2, &mut ix.layer_3, &mut ix.layer_4], |i, layer| {
        layer.accrued_royalty = layer.accrued_royalty.checked_add(s.royalties[i]).ok_or(MarketError::ArithmeticOverflow)?;
        layer.royalties_earned = layer.royalties_earned.checked_add(s.royalties[i]).ok_or(MarketError::ArithmeticOverflow)?;
        layer.jobs_completed = layer.jobs_completed.checked_add(1).ok_or(MarketError::ArithmeticOverflow)?;
        layer.tokens_served = layer.tokens_served.checked_add(tokens).ok_or(MarketError::ArithmeticOverflow)?;
        (accrued[i], completed[i]) = (layer.accrued_royalty, layer.jobs_completed);
        Ok(())
    })?;
    let royalties = s.royalty;
    market.jobs_settled = market.jobs_settled.checked_add(1).ok_or(MarketError::ArithmeticOverflow)?;
    market.total_royalties = market.total_royalties.checked_add(royalties).ok_or(MarketError::ArithmeticOverflow)?;
    market.total_provider_payments = market.total_provider_payments.checked_add(s.provider).ok_or(MarketError::ArithmeticOverflow)?;
    job.save(&mut ix.job)?;
    provider.save(&mut ix.provider)?;
    market.save(&mut ix.market)?;

    JobSettled {
        job: *ix.job.address(),
        job_serial: job.serial,
        provider: job.provider,
        client: job.client,
        tokens_used: tokens,
        price: s.price,
        provider_payment: s.provider,
        royalty: s.royalty,
        royalties: s.royalties,
        accrued_royalties: accrued,
        burned: s.burn,
        fee: s.fee,
        refund,
        reward: s.reward,
        provider_jobs_completed: provider.jobs_completed,
        layer_jobs_completed: completed,
    }
    .emit();
    Ok(())
}
