use spicetime_abi::prelude::*;
use spicetime_abi::token::TOKEN_2022_PROGRAM_ID;

use crate::events::LayerRetired;
use crate::seeds::LAYER_SEED;
use crate::state::layer::Held;
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
    let held = Held { mint: &ix.mint, holding: &ix.holding, holder: &ix.holder, token_2022: &ix.token_2022_program };
    let mut layer = Layer::read_held(&ix.layer, program_id, &held)?;
    layer.check_active()?;
    layer.retired = true;
    layer.save(&mut ix.layer)?;

    LayerRetired { layer: *ix.layer.address() }.emit();
    Ok(())
}
