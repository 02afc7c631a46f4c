use spicetime_abi::prelude::*;
use spicetime_abi::token::{self, TokenAccount, TokenMove};

use crate::errors::EconomyError;
use crate::events::TokensBurned;
use crate::seeds::CONFIG_SEED;
use crate::state::Config;

spicetime_abi::instruction! {
    /// Burns the signer's $COMPUTE and counts it in the all-time total.
    pub struct TokenBurn = "token_burn" {
        accounts {
            /// 0. [writable] The config PDA `["config"]`.
            config: [writable] pda({CONFIG_SEED}),
            /// 1. [signer] The owner of the tokens.
            owner: [signer],
            /// 2. [writable] The owner's $COMPUTE token account.
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

pub fn process(mut ix: TokenBurn, program_id: &Address) -> ProgramResult {
    let config = Config::read_mut(&mut ix.config, program_id)?;
    config.check_compute(ix.compute_mint.address(), ix.token_program.address())?;
    if ix.amount == 0 {
        return Err(EconomyError::InvalidAmount.into());
    }
    TokenAccount::load(&ix.source, &ix.token_program, "source")?.check_mint(&config.compute_mint, "source")?.check_owner(ix.owner.address(), "source")?;
    config.total_burned = config.total_burned.checked_add(ix.amount).ok_or(EconomyError::ArithmeticOverflow)?;
    let burn = TokenMove { token_program: &ix.token_program, from: &ix.source, mint: &ix.compute_mint, to: &ix.source, authority: &ix.owner };
    token::burn_checked(&burn, ix.amount, config.compute_decimals, &[])?;

    TokensBurned { owner: *ix.owner.address(), amount: ix.amount, total_burned: config.total_burned }.emit();
    Ok(())
}
