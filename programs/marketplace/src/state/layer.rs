use pinocchio::{error::ProgramError, AccountView, Address};
use spicetime_abi::borsh::Text;
use spicetime_abi::token::{TokenAccount, TOKEN_2022_PROGRAM_ID};

use crate::errors::MarketError;

spicetime_abi::account! {
    /// A published layer (an adapter over a base model), at PDA `["layer", mint]`. Its Token-2022
    /// mint (supply 1) is the asset: whoever holds the token controls the layer and receives its
    /// royalties. Fixed-size fields first, text last.
    pub struct Layer {
        /// The layer's Token-2022 mint (supply 1, decimals 0, with metadata).
        mint: Address,
        /// Who published it.
        creator: Address,
        /// The parent layer this one derives from; all zeros when none.
        parent: Address,
        /// The parent layer's mint, whose holder receives the parent's share; all zeros when none.
        parent_mint: Address,
        /// The current version (1 at publication).
        version: u32,
        /// Floor price in $COMPUTE base units per 1,000 tokens: a job's rate is never below it.
        price_per_thousand: u64,
        /// Royalty to the holder, in basis points of each job's price.
        royalty_bps: u16,
        /// The parent's share of the royalty, in basis points.
        parent_share_bps: u16,
        /// Size of the current version's weights in bytes.
        size: u64,
        /// SHA-256 of the current version's weights.
        sha256: [u8; 32],
        /// Retired layers take no new jobs.
        retired: bool,
        published_ts: i64,
        /// Jobs settled, challenged, slashed; tokens served; ratings.
        jobs_completed: u64,
        jobs_challenged: u64,
        jobs_slashed: u64,
        tokens_served: u64,
        rating_sum: u64,
        rating_count: u64,
        /// Royalty accrued from the jobs run with this layer, all time.
        royalties_earned: u64,
        /// Royalty its child layers passed up to it, all time.
        royalties_from_children: u64,
        /// Royalty not claimed yet, held in the royalty vault: whoever holds the token when it is
        /// claimed is paid it (selling the layer sells it too).
        accrued_royalty: u64,
        /// Royalty passed up to the parent layer by claims, all time.
        royalties_passed_up: u64,
        /// Royalty paid to holders by claims, all time.
        royalties_claimed: u64,
        /// Canonical bump of the layer PDA.
        bump: u8,
        name: Text<32>,
        /// The base model the adapter applies to.
        base_model: Text<32>,
        license: Text<32>,
        /// The current version's IPFS CID.
        cid: Text<64>,
    }
}

impl Layer {
    /// Reads a layer; its owner and discriminator authenticate it (created only at its PDA).
    pub fn read(view: &AccountView, program_id: &Address, name: &str) -> Result<Self, ProgramError> {
        use spicetime_abi::account::AccountData;
        Self::load(view, program_id, name)
    }

    /// Reads a layer for its holder: `mint` must be its mint and `holding` a token account of
    /// `holder` holding its token (`LayerHolderMismatch` otherwise).
    pub fn read_held(view: &AccountView, program_id: &Address, held: &Held) -> Result<Self, ProgramError> {
        let layer = Self::read(view, program_id, "layer")?;
        if held.mint.address() != &layer.mint || &layer.holder(held.holding, held.token_2022)? != held.holder.address() {
            return Err(MarketError::LayerHolderMismatch.into());
        }
        Ok(layer)
    }

    /// Whether the layer has a parent.
    pub fn has_parent(&self) -> bool {
        self.parent != Address::default()
    }

    /// Fails once retired.
    pub fn check_active(&self) -> Result<(), ProgramError> {
        if self.retired {
            return Err(MarketError::LayerRetired.into());
        }
        Ok(())
    }

    /// Reads `holding`, the token account holding this layer's token, and returns its owner, the
    /// layer's holder.
    pub fn holder(&self, holding: &AccountView, token_2022: &AccountView) -> Result<Address, ProgramError> {
        holder_of(&self.mint, holding, token_2022)
    }
}

/// What proves a wallet holds a layer: the layer mint, the wallet's token account holding it, the
/// wallet, and Token-2022.
pub struct Held<'a> {
    pub mint: &'a AccountView,
    pub holding: &'a AccountView,
    pub holder: &'a AccountView,
    pub token_2022: &'a AccountView,
}

/// The owner of `holding` when it holds the one token of layer mint `mint`.
pub fn holder_of(mint: &Address, holding: &AccountView, token_2022: &AccountView) -> Result<Address, ProgramError> {
    spicetime_abi::account::check_address(token_2022, &TOKEN_2022_PROGRAM_ID, "token_2022_program")?;
    let account = TokenAccount::load(holding, token_2022, "holding")?;
    if &account.mint != mint || account.amount != 1 {
        return Err(MarketError::LayerHolderMismatch.into());
    }
    Ok(account.owner)
}
