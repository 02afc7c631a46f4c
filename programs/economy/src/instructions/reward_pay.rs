use spicetime_abi::prelude::*;
use spicetime_abi::token::TokenMove;

use crate::errors::EconomyError;
use crate::payout::pay_reward;
use crate::events::ProviderRewarded;
use crate::marketplace::MARKETPLACE_CALLER;
use crate::seeds::{AUTHORITY_SEED, CONFIG_SEED, REWARDS_VAULT_SEED};
use crate::state::Config;

spicetime_abi::instruction! {
    /// Marketplace only: pays a provider reward in $COMPUTE, minted by the program's PDA when it
    /// holds the mint, otherwise from the rewards vault — all of it or nothing.
    pub struct RewardPay = "reward_pay" {
        accounts {
            /// 0. [writable] The config PDA `["config"]`.
            config: [writable] pda({CONFIG_SEED}),
            /// 1. [signer] The marketplace's PDA `["economy_caller"]`, signing through its CPI.
            marketplace_caller: [signer] address(MARKETPLACE_CALLER),
            /// 2. [writable] The $COMPUTE token account paid.
            destination: [writable],
            /// 3. [writable] $COMPUTE.
            compute_mint: [writable],
            /// 4. [] The program's authority PDA `["authority"]`.
            authority: [] pda({AUTHORITY_SEED}),
            /// 5. [writable] The rewards vault PDA `["rewards_vault"]` (existing-mint mode; unused otherwise).
            rewards_vault: [writable] pda({REWARDS_VAULT_SEED}),
            /// 6. [] $COMPUTE's token program.
            token_program: [],
        }
        args {
            /// $COMPUTE in base units.
            amount: u64,
        }
    }
}

pub fn process(mut ix: RewardPay, program_id: &Address) -> ProgramResult {
    let config = Config::read_mut(&mut ix.config, program_id)?;
    config.check_compute(ix.compute_mint.address(), ix.token_program.address())?;
    if ix.amount == 0 {
        return Err(EconomyError::InvalidAmount.into());
    }
    let payout = TokenMove { token_program: &ix.token_program, from: &ix.rewards_vault, mint: &ix.compute_mint, to: &ix.destination, authority: &ix.authority };
    let recipient = pay_reward(config, &payout, ix.amount)?;

    ProviderRewarded { recipient, destination: *ix.destination.address(), amount: ix.amount, total_rewards_paid: config.total_rewards_paid }.emit();
    Ok(())
}
