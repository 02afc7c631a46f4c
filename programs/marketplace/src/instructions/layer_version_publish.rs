use economy::marketplace::MARKETPLACE_CALLER;
use pinocchio::sysvars::{clock::Clock, Sysvar};
use spicetime_abi::borsh::Text;
use spicetime_abi::cpi::{create_pda_account, NewAccount};
use spicetime_abi::prelude::*;
use spicetime_abi::token::TOKEN_2022_PROGRAM_ID;

use crate::asset::{cid_of, MintAccounts, VersionUpdate};
use crate::errors::MarketError;
use crate::events::LayerVersionPublished;
use crate::seeds::{LAYER_SEED, LAYER_VERSION_SEED};
use crate::state::layer::Held;
use crate::state::{Layer, LayerVersion};

spicetime_abi::instruction! {
    /// Publishes a new version of a layer (holder only): new weights, the version number up by
    /// one, the metadata updated; earlier versions stay addressable.
    pub struct LayerVersionPublish = "layer_version_publish" {
        accounts {
            /// 0. [writable, signer] The layer token's holder, who pays.
            holder: [writable, signer],
            /// 1. [] The holder's token account holding the layer token.
            holding: [],
            /// 2. [writable] The layer PDA `["layer", mint]`.
            layer: [writable] pda({LAYER_SEED}, mint),
            /// 3. [writable] The layer mint (its metadata changes).
            mint: [writable],
            /// 4. [writable] The new version PDA `["layer_version", layer, version]`, created here.
            layer_version: [writable] seeds({LAYER_VERSION_SEED}, layer, [version]),
            /// 5. [] The marketplace authority PDA `["economy_caller"]` (update authority).
            authority: [] address(MARKETPLACE_CALLER),
            /// 6. [] Token-2022.
            token_2022_program: [] address(TOKEN_2022_PROGRAM_ID),
            /// 7. [] The System program.
            system_program: [] address(SYSTEM_PROGRAM_ID),
        }
        args {
            /// The layer's current version + 1.
            version: u32,
            /// `ipfs://<CID>` of the new weights.
            uri: Text<71>,
            sha256: [u8; 32],
            size: u64,
        }
    }
}

pub fn process(mut ix: LayerVersionPublish, program_id: &Address) -> ProgramResult {
    let held = Held { mint: &ix.mint, holding: &ix.holding, holder: &ix.holder, token_2022: &ix.token_2022_program };
    let mut layer = Layer::read_held(&ix.layer, program_id, &held)?;
    layer.check_active()?;
    if Some(ix.version) != layer.version.checked_add(1) {
        return Err(MarketError::VersionMismatch.into());
    }
    let cid = cid_of(ix.uri.as_bytes())?;
    if ix.size == 0 {
        return Err(MarketError::InvalidAmount.into());
    }

    let update = VersionUpdate { uri: ix.uri.as_bytes(), cid, old_cid_len: layer.cid.len(), sha256: &ix.sha256, version: ix.version };
    update.apply(&MintAccounts { payer: &ix.holder, mint: &ix.mint, authority: &ix.authority, token_2022: &ix.token_2022_program })?;

    let now = Clock::get()?.unix_timestamp;
    layer.version = ix.version;
    layer.cid = Text::new(cid).ok_or(MarketError::InvalidUri)?;
    layer.sha256 = ix.sha256;
    layer.size = ix.size;
    let version = LayerVersion { layer: *ix.layer.address(), version: ix.version, sha256: ix.sha256, size: ix.size, published_ts: now, bump: ix.layer_version.bump, cid: layer.cid };
    let number = ix.version.to_le_bytes();
    let bump = [ix.layer_version.bump];
    let seeds = [Seed::from(LAYER_VERSION_SEED), Seed::from(ix.layer.address().as_ref()), Seed::from(&number), Seed::from(&bump)];
    create_pda_account(&NewAccount { payer: &ix.holder, account: &ix.layer_version, space: LayerVersion::SPACE, owner: program_id }, &seeds)?;
    version.save(&mut ix.layer_version)?;
    layer.save(&mut ix.layer)?;

    LayerVersionPublished { layer: *ix.layer.address(), version: ix.version, sha256: ix.sha256, size: ix.size, published_ts: now, cid: layer.cid }.emit();
    Ok(())
}
