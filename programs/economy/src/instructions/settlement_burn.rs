use spicetime_abi::prelude::*;
use spicetime_abi::token::TokenMove;

use crate::errors::EconomyError;
use crate::events::TokensBurned;
use crate::marketplace::MARKETPLACE_CALLER;
use crate::payout::burn_settlement;
use crate::seeds::CONFIG_SEED;
use crate::state::Config;

spicetime_abi::instruction! {
    /// Marketplace only: burns a settlement's protocol share of $COMPUTE from a token account the
    /// marketplace's PDA owns, and counts it in the all-time total.
    pub struct SettlementBurn = "settlement_burn" {
        accounts {
            /// 0. [writable] The config PDA `["config"]`.
            config: [writable] pda({CONFIG_SEED}),
            /// 1. [signer] The marketplace's PDA `["economy_caller"]`, signing through its CPI; owner of `source`.
            marketplace_caller: [signer] address(MARKETPLACE_CALLER),
            /// 2. [writable] The marketplace's $COMPUTE token account.
            source: [writable],
            /// 3. [writable] $COMPUTE.
            compute_mint: [writable],
            /// 4. [] $COMPUTE's token program.
            token_program: [],
        }
        args {
            amount: u64,
        }
    }
}

pub fn process(mut ix: SettlementBurn, program_id: &Address) -> ProgramResult {
    let config = Config::read_mut(&mut ix.config, program_id)?;
    config.check_compute(ix.compute_mint.address(), ix.token_program.address())?;
    if ix.amount == 0 {
        return Err(EconomyError::InvalidAmount.into());
    }
    let burn = TokenMove { token_program: &ix.token_program, from: &ix.source, mint: &ix.compute_mint, to: &ix.source, authority: &ix.marketplace_caller };
    burn_settlement(config, &burn, ix.amount)?;

    TokensBurned { owner: *ix.marketplace_caller.address(), amount: ix.amount, total_burned: config.total_burned }.emit();
    Ok(())
}
