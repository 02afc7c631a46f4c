use economy::marketplace::MARKETPLACE_CALLER;
use pinocchio::sysvars::{clock::Clock, Sysvar};
use spicetime_abi::borsh::Text;
use spicetime_abi::cpi::{create_pda_account, NewAccount};
use spicetime_abi::prelude::*;
use spicetime_abi::token::{self, NewAssociatedAccount, TokenMove, ASSOCIATED_TOKEN_PROGRAM_ID, TOKEN_2022_PROGRAM_ID};

use crate::asset::{cid_of, LayerMetadata, MintAccounts};
use crate::errors::MarketError;
use crate::escrow::economy_config;
use crate::events::LayerPublished;
use crate::seeds::{FIRST_VERSION, LAYER_SEED, LAYER_VERSION_SEED, MARKET_SEED};
use crate::state::market::BPS;
use crate::state::{Layer, LayerVersion, Market};

spicetime_abi::borsh_struct! {
    /// What a creator publishes.
    pub struct LayerSpec {
        /// Display name (1 to 32 bytes).
        name: Text<32>,
        /// `ipfs://<CID>` of the weights.
        uri: Text<71>,
        /// SHA-256 of the weights.
        sha256: [u8; 32],
        /// Size of the weights in bytes.
        size: u64,
        /// The base model id the adapter applies to (1 to 32 bytes).
        base_model: Text<32>,
        license: Text<32>,
        /// Floor price in $COMPUTE base units per 1,000 tokens.
        price_per_thousand: u64,
        /// Royalty in basis points of each job's price; with the economy's burn and fee at most 100%.
        royalty_bps: u16,
        /// The parent layer's share of the royalty in basis points (0 without a parent).
        parent_share_bps: u16,
    }
}

spicetime_abi::instruction! {
    /// Publishes a layer: a Token-2022 mint with metadata (supply 1, minted to the creator's
    /// associated account, then no mint authority), the layer account and its version 1.
    pub struct LayerPublish = "layer_publish" {
        accounts {
            /// 0. [writable] The market PDA `["market"]` (counts layers).
            market: [writable] pda({MARKET_SEED}),
            /// 1. [] The economy program's config (its burn and fee bound the royalty).
            economy_config: [],
            /// 2. [writable, signer] The creator, who pays and receives the layer token.
            creator: [writable, signer],
            /// 3. [writable, signer] The new layer mint (a fresh keypair).
            mint: [writable, signer],
            /// 4. [writable] The layer PDA `["layer", mint]`, created here.
            layer: [writable] seeds({LAYER_SEED}, mint),
            /// 5. [writable] The version PDA `["layer_version", layer, 1u32]`, created here.
            layer_version: [writable] seeds({LAYER_VERSION_SEED}, layer, {FIRST_VERSION}),
            /// 6. [writable] The creator's associated token account of the mint, created here.
            creator_holding: [writable],
            /// 7. [optional] The parent layer.
            parent_layer: [optional],
            /// 8. [] The marketplace authority PDA `["economy_caller"]` (update authority).
            authority: [] address(MARKETPLACE_CALLER),
            /// 9. [] Token-2022.
            token_2022_program: [] address(TOKEN_2022_PROGRAM_ID),
            /// 10. [] The Associated Token Account program.
            associated_token_program: [] address(ASSOCIATED_TOKEN_PROGRAM_ID),
            /// 11. [] The System program.
            system_program: [] address(SYSTEM_PROGRAM_ID),
        }
        args {
            spec: LayerSpec,
        }
    }
}

pub fn process(mut ix: LayerPublish, program_id: &Address) -> ProgramResult {
    let mut market = Market::read(&ix.market, program_id)?;
    let economy = economy_config(&ix.economy_config)?;
    let spec = &ix.spec;
    if spec.name.is_empty() || spec.base_model.is_empty() {
        return Err(MarketError::InvalidName.into());
    }
    let cid = cid_of(spec.uri.as_bytes())?;
    if spec.size == 0 {
        return Err(MarketError::InvalidAmount.into());
    }
    let protocol_bps = economy.params.burn_bps as u64 + economy.params.treasury_fee_bps as u64;
    if spec.royalty_bps as u64 + protocol_bps > BPS {
        return Err(MarketError::RoyaltyBpsExceeded.into());
    }
    if spec.parent_share_bps as u64 > BPS {
        return Err(MarketError::ParentShareBpsExceeded.into());
    }
    let parent = match &ix.parent_layer {
        Some(view) if view.address() == ix.layer.address() => return Err(MarketError::ParentCycle.into()),
        Some(view) => Some((*view.address(), Layer::read(view, program_id, "parent_layer")?.mint)),
        None if spec.parent_share_bps > 0 => return Err(MarketError::ParentMismatch.into()),
        None => None,
    };
    if !ix.layer.owned_by(&SYSTEM_PROGRAM_ID) || !ix.layer.is_data_empty() {
        return Err(fail_account(AnchorErrorCode::AccountDiscriminatorAlreadySet, "layer"));
    }

    let now = Clock::get()?.unix_timestamp;
    let metadata = LayerMetadata {
        name: spec.name.as_bytes(),
        uri: spec.uri.as_bytes(),
        cid,
        sha256: &spec.sha256,
        base_model: spec.base_model.as_bytes(),
        parent: parent.as_ref().map(|(layer, _)| layer),
        license: spec.license.as_bytes(),
        version: 1,
    };
    let mint_accounts = MintAccounts { payer: &ix.creator, mint: &ix.mint, authority: &ix.authority, token_2022: &ix.token_2022_program };
    metadata.create_mint(&mint_accounts)?;
    token::create_associated_account(&NewAssociatedAccount {
        payer: &ix.creator,
        account: &ix.creator_holding,
        wallet: &ix.creator,
        mint: &ix.mint,
        system_program: &ix.system_program,
        token_program: &ix.token_2022_program,
        ata_program: &ix.associated_token_program,
    })?;
    let one = TokenMove { token_program: &ix.token_2022_program, from: &ix.creator_holding, mint: &ix.mint, to: &ix.creator_holding, authority: &ix.authority };
    crate::economy_cpi::with_authority_seeds(|seeds| {
        token::mint_to_checked(&one, 1, 0, seeds)?;
        token::remove_mint_authority(&ix.token_2022_program, &ix.mint, &ix.authority, seeds)
    })?;

    let (parent_layer, parent_mint) = parent.unwrap_or_default();
    let layer = Layer {
        mint: *ix.mint.address(),
        creator: *ix.creator.address(),
        parent: parent_layer,
        parent_mint,
        version: 1,
        price_per_thousand: spec.price_per_thousand,
        royalty_bps: spec.royalty_bps,
        parent_share_bps: spec.parent_share_bps,
        size: spec.size,
        sha256: spec.sha256,
        published_ts: now,
        bump: ix.layer.bump,
        name: spec.name,
        base_model: spec.base_model,
        license: spec.license,
        cid: Text::new(cid).ok_or(MarketError::InvalidUri)?,
        ..Layer::default()
    };
    let bump = [ix.layer.bump];
    let seeds = [Seed::from(LAYER_SEED), Seed::from(ix.mint.address().as_ref()), Seed::from(&bump)];
    create_pda_account(&NewAccount { payer: &ix.creator, account: &ix.layer, space: Layer::SPACE, owner: program_id }, &seeds)?;
    layer.save(&mut ix.layer)?;

    let version = LayerVersion { layer: *ix.layer.address(), version: 1, sha256: spec.sha256, size: spec.size, published_ts: now, bump: ix.layer_version.bump, cid: layer.cid };
    let bump = [ix.layer_version.bump];
    let seeds = [Seed::from(LAYER_VERSION_SEED), Seed::from(ix.layer.address().as_ref()), Seed::from(&FIRST_VERSION), Seed::from(&bump)];
    create_pda_account(&NewAccount { payer: &ix.creator, account: &ix.layer_version, space: LayerVersion::SPACE, owner: program_id }, &seeds)?;
    version.save(&mut ix.layer_version)?;

    market.layers_published = market.layers_published.checked_add(1).ok_or(MarketError::ArithmeticOverflow)?;
    market.save(&mut ix.market)?;

    LayerPublished {
        layer: *ix.layer.address(),
        mint: layer.mint,
        creator: layer.creator,
        parent: layer.parent,
        version: 1,
        sha256: layer.sha256,
        size: layer.size,
        price_per_thousand: layer.price_per_thousand,
        royalty_bps: layer.royalty_bps,
        parent_share_bps: layer.parent_share_bps,
        published_ts: now,
        name: layer.name,
        base_model: layer.base_model,
        license: layer.license,
        cid: layer.cid,
    }
    .emit();
    Ok(())
}
