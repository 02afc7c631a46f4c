use economy::marketplace::MARKETPLACE_CALLER;
use pinocchio::sysvars::{clock::Clock, Sysvar};
use spicetime_abi::borsh::Text;
use spicetime_abi::cpi::{create_pda_account, NewAccount};
use spicetime_abi::prelude::*;
use spicetime_abi::token::{self, TokenMove, TOKEN_ACCOUNT_SIZE};

use crate::errors::MarketError;
use crate::escrow::{check_compute, compute_account, economy_config};
use crate::events::JobCreated;
use crate::seeds::{JOB_SEED, JOB_VAULT_SEED, MARKET_SEED};
use crate::split::MIN_JOB_PRICE;
use crate::state::market::BPS;
use crate::state::{Job, JobLayer, JobStatus, Layer, Market, MAX_LAYERS, MAX_SCALE_BPS};

spicetime_abi::borsh_struct! {
    /// The version and scale a client picks for one layer of its genome.
    pub struct LayerChoice {
        /// 1 to the layer's current version.
        version: u32,
        /// 1 to 20,000 basis points (10,000 = 1.0).
        scale_bps: u16,
    }
}

spicetime_abi::instruction! {
    /// Creates a job running a genome of 1 to 4 layers over one base model, each active, at a
    /// version it has and a scale, named once, the royalties of two or more with the burn and fee
    /// at most 100%; the request document sits on IPFS at `request_cid`
    /// and hashes to `request_hash`. Escrows the most expensive outcome,
    /// `ceil(max_tokens × max_price_per_thousand / 1000)` $COMPUTE (at least the minimum job
    /// price), in the job's vault; the maximum price must cover the sum of the layers' floors. The
    /// job gets the next serial of the market's job count, which no other instance of a job ever
    /// has. Refused while the economy is paused.
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
            /// 4. [] The genome's first layer.
            layer: [],
            /// 5. [optional] Its second layer.
            layer_2: [optional],
            /// 6. [optional] Its third layer.
            layer_3: [optional],
            /// 7. [optional] Its fourth layer.
            layer_4: [optional],
            /// 8. [] The economy program's config.
            economy_config: [],
            /// 9. [] $COMPUTE.
            compute_mint: [],
            /// 10. [writable] The client's $COMPUTE token account.
            client_token: [writable],
            /// 11. [] The marketplace authority PDA `["economy_caller"]`, owner of the vault.
            authority: [] address(MARKETPLACE_CALLER),
            /// 12. [] $COMPUTE's token program.
            token_program: [],
            /// 13. [] The System program.
            system_program: [] address(SYSTEM_PROGRAM_ID),
        }
        args {
            /// The client's number for the job.
            job_id: u64,
            /// The provider (wallet) asked for; all zeros for any registered provider.
            provider: Address,
            /// SHA-256 of the request document's canonical bytes.
            request_hash: [u8; 32],
            max_tokens: u64,
            /// The most the client pays per 1,000 tokens.
            max_price_per_thousand: u64,
            /// The version and scale of each layer account, in order; all zeros past the last.
            layers: [LayerChoice; 4],
            /// The request document's IPFS CID: a CIDv1 in base32 (`b…`), at most 64 characters.
            request_cid: Text<64>,
        }
    }
}

/// Whether `cid` has the shape of a CIDv1 in base32: multibase `b`, then `a` (version 1), then the
/// lower-case RFC 4648 alphabet, 10 to 64 characters in all.
pub fn is_cid_v1(cid: &[u8]) -> bool {
    (10..=64).contains(&cid.len()) && cid.starts_with(b"ba") && cid.iter().all(|c| c.is_ascii_lowercase() || (b'2'..=b'7').contains(c))
}

pub fn process(mut ix: JobCreate, program_id: &Address) -> ProgramResult {
    let mut market = Market::read(&ix.market, program_id)?;
    let economy = economy_config(&ix.economy_config)?;
    if economy.paused {
        return Err(MarketError::CannotWhilePaused.into());
    }
    check_compute(&economy, &ix.compute_mint, &ix.token_program)?;
    if !is_cid_v1(ix.request_cid.as_bytes()) {
        return Err(MarketError::InvalidRequestCid.into());
    }
    let views = [Some(&ix.layer), ix.layer_2.as_ref(), ix.layer_3.as_ref(), ix.layer_4.as_ref()];
    let mut layers = [JobLayer::default(); MAX_LAYERS];
    let mut count = 0usize;
    let mut floor: u64 = 0;
    // Several layers' royalties with the protocol's burn and fee stay within the price (a stack of
    // greedy layers cannot dilute an honest one or leave the provider nothing; found in review).
    let mut royalty_bps = (economy.params.burn_bps as u64).checked_add(economy.params.treasury_fee_bps as u64).ok_or(MarketError::ArithmeticOverflow)?;
    let mut base_model = Text::default();
    for (i, (view, choice)) in views.iter().zip(ix.layers.iter()).enumerate() {
        let Some(view) = view else {
            // No layer here: none after it, and no choice for it.
            if views[i..].iter().any(Option::is_some) || choice.version != 0 || choice.scale_bps != 0 {
                return Err(MarketError::LayerCountMismatch.into());
            }
            continue;
        };
        let layer = Layer::read(view, program_id, "layer")?;
        layer.check_active()?;
        if choice.version == 0 || choice.version > layer.version {
            return Err(MarketError::VersionNotFound.into());
        }
        if choice.scale_bps == 0 || choice.scale_bps > MAX_SCALE_BPS {
            return Err(MarketError::ScaleOutOfRange.into());
        }
        if layers[..count].iter().any(|l| &l.layer == view.address()) {
            return Err(MarketError::LayerRepeated.into());
        }
        if i == 0 {
            base_model = layer.base_model;
        } else if layer.base_model.as_bytes() != base_model.as_bytes() {
            return Err(MarketError::BaseModelMismatch.into());
        }
        floor = floor.checked_add(layer.price_per_thousand).ok_or(MarketError::ArithmeticOverflow)?;
        royalty_bps = royalty_bps.checked_add(layer.royalty_bps as u64).ok_or(MarketError::ArithmeticOverflow)?;
        layers[count] = JobLayer { layer: *view.address(), version: choice.version, scale_bps: choice.scale_bps, royalty_bps: layer.royalty_bps };
        count += 1;
    }
    // A single layer may still ask more than the burn and fee now leave (they may have risen since
    // it was published): settlement caps it, diluting no one else.
    if count > 1 && royalty_bps > BPS {
        return Err(MarketError::RoyaltyBpsExceeded.into());
    }
    if ix.max_price_per_thousand < floor {
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
        layer_count: count as u8,
        layers,
        floor_per_thousand: floor,
        requested_provider: ix.provider,
        status: JobStatus::Open,
        request_hash: ix.request_hash,
        max_tokens: ix.max_tokens,
        max_price_per_thousand: ix.max_price_per_thousand,
        escrow,
        created_ts: Clock::get()?.unix_timestamp,
        vault: *ix.job_vault.address(),
        bump: ix.job.bump,
        request_cid: ix.request_cid,
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
        layer_count: job.layer_count,
        layers: job.layers,
        floor_per_thousand: job.floor_per_thousand,
        provider: job.requested_provider,
        request_hash: job.request_hash,
        max_tokens: job.max_tokens,
        max_price_per_thousand: job.max_price_per_thousand,
        escrow,
        created_ts: job.created_ts,
        request_cid: job.request_cid,
    }
    .emit();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::is_cid_v1;

    #[test]
    fn request_cids_are_cid_v1_in_base32() {
        assert!(is_cid_v1(b"bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"));
        assert!(is_cid_v1(b"bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"));
        for bad in [&b"QmYwAPJzv5CZsnA625s3Xf2nemtYgPpHdWEz79ojWnPbdG"[..], b"BAFKREIHDWDCEFGH4DQKJV67UZCMW7OJEE6XEDZDETOJUZJEVTENXQUVYKU", b"zb2rhe5P4gXftAwvA4eXQ5HJwsER2owDyS9sKaQRRVQPn93bA", b"bafkrei!", b"ba", b"bafkrei1dwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"] {
            assert!(!is_cid_v1(bad), "{}", core::str::from_utf8(bad).unwrap());
        }
        assert!(!is_cid_v1(&[b'b'; 65]));
    }
}
