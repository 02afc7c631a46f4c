use spicetime_abi::prelude::*;
use spicetime_abi::token::TOKEN_2022_PROGRAM_ID;

use crate::events::LayerUpdated;
use crate::seeds::LAYER_SEED;
use crate::state::layer::Held;
use crate::state::Layer;

spicetime_abi::instruction! {
    /// Sets a layer's floor price (holder only); jobs already claimed keep their rate.
    pub struct LayerUpdate = "layer_update" {
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
        args {
            /// Floor price in $COMPUTE base units per 1,000 tokens.
            price_per_thousand: u64,
        }
    }
}

pub fn process(mut ix: LayerUpdate, program_id: &Address) -> ProgramResult {
    let held = Held { mint: &ix.mint, holding: &ix.holding, holder: &ix.holder, token_2022: &ix.token_2022_program };
    let mut layer = Layer::read_held(&ix.layer, program_id, &held)?;
    layer.check_active()?;
    layer.price_per_thousand = ix.price_per_thousand;
    layer.save(&mut ix.layer)?;

    LayerUpdated { layer: *ix.layer.address(), price_per_thousand: layer.price_per_thousand }.emit();
    Ok(())
}
