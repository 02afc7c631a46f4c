use economy::marketplace::MARKETPLACE_CALLER;
use pinocchio::sysvars::{clock::Clock, Sysvar};
use spicetime_abi::cpi::{create_pda_account, NewAccount};
use spicetime_abi::prelude::*;
use spicetime_abi::token::{self, TokenMove, TOKEN_ACCOUNT_SIZE};

use crate::errors::MarketError;
use crate::escrow::{check_compute, compute_account, economy_config};
use crate::events::JobCreated;
use crate::seeds::{JOB_SEED, JOB_VAULT_SEED, MARKET_SEED};
use crate::split::MIN_JOB_PRICE;
use crate::state::{Job, JobStatus, Layer, Market};

spicetime_abi::instruction! {
    /// Creates a job for a layer and escrows its most expensive outcome,
    /// `ceil(max_tokens × max_price_per_thousand / 1000)` $COMPUTE (at least the minimum job price),
    /// in the job's vault. The job gets the next serial of the market's job count, which no other
    /// instance of a job ever has. Refused while the economy is paused.
    pub struct JobCreate = "job_create" {
        accounts {
            /// 0. [writable] The market PDA `["market"]` (counts jobs: the serial).
            market: [writable] pda({MARKET_SEED}),
            /// 1. [writable, signer] The client, who pays the escrow and the rent.
            client: [writable, signer],
            /// 2. [writable] The job PDA `["job", client, job_id]`, created here.
            job: [writable] seeds({JOB_SEED}, client, [job_id]),
            /// 3. [writable] The job's vault PDA `["job_vault", job]`, a $COMPUTE account created here.
            job_vault: [writable] seeds({JOB_VAULT_SEED}, job),
            /// 4. [] The layer to run.
            layer: [],
            /// 5. [] The economy program's config.
            economy_config: [],
            /// 6. [] $COMPUTE.
            compute_mint: [],
            /// 7. [writable] The client's $COMPUTE token account.
            client_token: [writable],
            /// 8. [] The marketplace authority PDA `["economy_caller"]`, owner of the vault.
            authority: [] address(MARKETPLACE_CALLER),
            /// 9. [] $COMPUTE's token program.
            token_program: [],
            /// 10. [] The System program.
            system_program: [] address(SYSTEM_PROGRAM_ID),
        }
        args {
            /// The client's number for the job.
            job_id: u64,
            /// The provider (wallet) asked for; all zeros for any registered provider.
            provider: Address,
            /// SHA-256 of the prompt.
            prompt_hash: [u8; 32],
            max_tokens: u64,
            /// The most the client pays per 1,000 tokens.
            max_price_per_thousand: u64,
        }
    }
}

pub fn process(mut ix: JobCreate, program_id: &Address) -> ProgramResult {
    let mut market = Market::read(&ix.market, program_id)?;
    let economy = economy_config(&ix.economy_config)?;
    if economy.paused {
        return Err(MarketError::CannotWhilePaused.into());
    }
    check_compute(&economy, &ix.compute_mint, &ix.token_program)?;
    let layer = Layer::read(&ix.layer, program_id, "layer")?;
    layer.check_active()?;
    if ix.max_price_per_thousand < layer.price_per_thousand {
        return Err(MarketError::PriceExceeded.into());
    }
    let escrow = Job::price_of(ix.max_tokens, ix.max_price_per_thousand)?;
    if escrow < MIN_JOB_PRICE {
        return Err(MarketError::InvalidAmount.into());
    }
    compute_account(&economy, &ix.client_token, &ix.token_program, ix.client.address(), "client_token")?;
    if !ix.job.owned_by(&SYSTEM_PROGRAM_ID) || !ix.job.is_data_empty() {
        return Err(fail_account(AnchorErrorCode::AccountDiscriminatorAlreadySet, "job"));
    }

    let job = Job {
        client: *ix.client.address(),
        job_id: ix.job_id,
        serial: market.next_job_serial()?,
        layer: *ix.layer.address(),
        layer_version: layer.version,
        requested_provider: ix.provider,
        status: JobStatus::Open,
        prompt_hash: ix.prompt_hash,
        max_tokens: ix.max_tokens,
        max_price_per_thousand: ix.max_price_per_thousand,
        escrow,
        created_ts: Clock::get()?.unix_timestamp,
        vault: *ix.job_vault.address(),
        bump: ix.job.bump,
        ..Job::default()
    };
    let id = ix.job_id.to_le_bytes();
    let bump = [ix.job.bump];
    let seeds = [Seed::from(JOB_SEED), Seed::from(ix.client.address().as_ref()), Seed::from(&id), Seed::from(&bump)];
    create_pda_account(&NewAccount { payer: &ix.client, account: &ix.job, space: Job::SPACE, owner: program_id }, &seeds)?;
    job.save(&mut ix.job)?;

    let bump = [ix.job_vault.bump];
    let seeds = [Seed::from(JOB_VAULT_SEED), Seed::from(ix.job.address().as_ref()), Seed::from(&bump)];
    create_pda_account(&NewAccount { payer: &ix.client, account: &ix.job_vault, space: TOKEN_ACCOUNT_SIZE, owner: ix.token_program.address() }, &seeds)?;
    token::initialize_account(&ix.token_program, &ix.job_vault, &ix.compute_mint, &MARKETPLACE_CALLER)?;
    let deposit = TokenMove { token_program: &ix.token_program, from: &ix.client_token, mint: &ix.compute_mint, to: &ix.job_vault, authority: &ix.client };
    token::transfer_checked(&deposit, escrow, economy.compute_decimals, &[])?;

    market.save(&mut ix.market)?;

    JobCreated {
        job: *ix.job.address(),
        client: job.client,
        job_id: job.job_id,
        serial: job.serial,
        layer: job.layer,
        layer_version: job.layer_version,
        provider: job.requested_provider,
        prompt_hash: job.prompt_hash,
        max_tokens: job.max_tokens,
        max_price_per_thousand: job.max_price_per_thousand,
        escrow,
        created_ts: job.created_ts,
    }
    .emit();
    Ok(())
}
