use spicetime_abi::prelude::*;
use spicetime_abi::token::TOKEN_2022_PROGRAM_ID;

use crate::errors::MarketError;
use crate::events::LayerRetired;
use crate::seeds::LAYER_SEED;
use crate::state::Layer;

spicetime_abi::instruction! {
    /// Retires a layer (holder only): it takes no new jobs; open jobs finish, and the token still
    /// earns their royalties.
    pub struct LayerRetire = "layer_retire" {
        accounts {
            /// 0. [signer] The layer token's holder.
            holder: [signer],
            /// 1. [] The holder's token account holding the layer token.
            holding: [],
            /// 2. [writable] The layer PDA `["layer", mint]`.
            layer: [writable] pda({LAYER_SEED}, mint),
            /// 3. [] The layer mint.
            mint: [],
            /// 4. [] Token-2022.
            token_2022_program: [] address(TOKEN_2022_PROGRAM_ID),
        }
        args {}
    }
}

pub fn process(mut ix: LayerRetire, program_id: &Address) -> ProgramResult {
    let mut layer = Layer::read(&ix.layer, program_id, "layer")?;
    if ix.mint.address() != &layer.mint || &layer.holder(&ix.holding, &ix.token_2022_program)? != ix.holder.address() {
        return Err(MarketError::LayerHolderMismatch.into());
    }
    layer.check_active()?;
    layer.retired = true;
    layer.save(&mut ix.layer)?;

    LayerRetired { layer: *ix.layer.address() }.emit();
    Ok(())
}
