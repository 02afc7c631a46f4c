use spicetime_abi::prelude::*;

use crate::errors::MarketError;
use crate::events::MarketUpdated;
use crate::seeds::MARKET_SEED;
use crate::state::{Market, MarketParams};

spicetime_abi::instruction! {
    /// Replaces the bounded parameters (admin only). Jobs already claimed keep their deadline;
    /// receipts already in keep their window.
    pub struct MarketUpdate = "market_update" {
        accounts {
            /// 0. [writable] The market PDA `["market"]`.
            market: [writable] pda({MARKET_SEED}),
            /// 1. [signer] The admin.
            admin: [signer],
        }
        args {
            params: MarketParams,
        }
    }
}

pub fn process(mut ix: MarketUpdate, program_id: &Address) -> ProgramResult {
    let mut market = Market::read(&ix.market, program_id)?;
    if ix.admin.address() != &market.admin {
        return Err(MarketError::AdminMismatch.into());
    }
    ix.params.check()?;
    market.params = ix.params;
    market.save(&mut ix.market)?;

    MarketUpdated { admin: market.admin, params: market.params }.emit();
    Ok(())
}
