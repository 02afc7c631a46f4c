use economy::marketplace::MARKETPLACE_CALLER;
use spicetime_abi::prelude::*;
use spicetime_abi::token::TOKEN_2022_PROGRAM_ID;

use crate::errors::MarketError;
use crate::escrow::{check_compute, compute_account, economy_config, Escrow};
use crate::events::RoyaltyClaimed;
use crate::seeds::{MARKET_SEED, ROYALTY_VAULT_SEED};
use crate::split::bps_of;
use crate::state::market::BPS;
use crate::state::{Layer, Market};

spicetime_abi::instruction! {
    /// Pays a layer's accrued royalty (anyone may crank it) to a $COMPUTE account of whoever holds
    /// the layer token now, after passing the parent's share (its bps of the amount, rounded down)
    /// up to the parent layer's accrued royalty: a parent's holder cranks its children's claims,
    /// then its own, and so up the lineage to any depth.
    pub struct LayerRoyaltyClaim = "layer_royalty_claim" {
        accounts {
            /// 0. [] The market PDA `["market"]`.
            market: [] pda({MARKET_SEED}),
            /// 1. [writable] The layer.
            layer: [writable],
            /// 2. [optional, writable] The layer's parent layer (when it has one).
            parent: [optional, writable],
            /// 3. [] The token account holding the layer token.
            holding: [],
            /// 4. [writable] A $COMPUTE account of the layer token's holder.
            holder_token: [writable],
            /// 5. [writable] The royalty vault PDA `["royalty_vault"]`.
            royalty_vault: [writable] pda({ROYALTY_VAULT_SEED}),
            /// 6. [] The economy program's config.
            economy_config: [],
            /// 7. [] $COMPUTE.
            compute_mint: [],
            /// 8. [] The marketplace authority PDA `["economy_caller"]`, owner of the vault.
            authority: [] address(MARKETPLACE_CALLER),
            /// 9. [] $COMPUTE's token program.
            token_program: [],
            /// 10. [] Token-2022 (layer tokens).
            token_2022_program: [] address(TOKEN_2022_PROGRAM_ID),
        }
        args {}
    }
}

pub fn process(mut ix: LayerRoyaltyClaim, program_id: &Address) -> ProgramResult {
    let market = Market::read(&ix.market, program_id)?;
    spicetime_abi::account::check_address(&ix.royalty_vault, &market.royalty_vault, "royalty_vault")?;
    let mut layer = Layer::read(&ix.layer, program_id, "layer")?;
    let mut parent = match (&ix.parent, layer.has_parent()) {
        (Some(view), true) if view.address() == &layer.parent => Some(Layer::read(view, program_id, "parent")?),
        (None, false) => None,
        _ => return Err(MarketError::ParentMismatch.into()),
    };
    let holder = layer.holder(&ix.holding, &ix.token_2022_program)?;
    let economy = economy_config(&ix.economy_config)?;
    check_compute(economy, &ix.compute_mint, &ix.token_program)?;
    compute_account(economy, &ix.holder_token, &ix.token_program, &holder, "holder_token")?;
    let amount = layer.accrued_royalty;
    if amount == 0 {
        return Err(MarketError::NothingToClaim.into());
    }

    let overflow = || ProgramError::from(MarketError::ArithmeticOverflow);
    let share = if parent.is_some() { bps_of(amount, layer.parent_share_bps.min(BPS as u16))? } else { 0 };
    let paid = amount.checked_sub(share).ok_or_else(overflow)?;
    let vault = Escrow { token_program: &ix.token_program, vault: &ix.royalty_vault, mint: &ix.compute_mint, authority: &ix.authority, decimals: economy.compute_decimals };
    vault.pay(&ix.holder_token, paid)?;
    layer.accrued_royalty = 0;
    layer.royalties_passed_up = layer.royalties_passed_up.checked_add(share).ok_or_else(overflow)?;
    layer.royalties_claimed = layer.royalties_claimed.checked_add(paid).ok_or_else(overflow)?;
    layer.save(&mut ix.layer)?;
    let parent_accrued_royalty = match (&mut parent, &mut ix.parent) {
        (Some(p), Some(view)) => {
            p.accrued_royalty = p.accrued_royalty.checked_add(share).ok_or_else(overflow)?;
            p.royalties_from_children = p.royalties_from_children.checked_add(share).ok_or_else(overflow)?;
            p.save(view)?;
            p.accrued_royalty
        }
        _ => 0,
    };

    RoyaltyClaimed { layer: *ix.layer.address(), holder, paid, parent: layer.parent, passed_to_parent: share, parent_accrued_royalty }.emit();
    Ok(())
}
