use spicetime_abi::prelude::*;
use spicetime_abi::token::TokenMove;

use crate::events::{CollateralReleased, ProviderRewarded, TokensBurned};
use crate::marketplace::MARKETPLACE_CALLER;
use crate::payout::{burn_settlement, pay_reward};
use crate::seeds::{AUTHORITY_SEED, COLLATERAL_SEED, CONFIG_SEED, REWARDS_VAULT_SEED};
use crate::state::{Collateral, Config};

spicetime_abi::instruction! {
    /// Marketplace only: the economy's side of a job's settlement in one call — burns the
    /// protocol's share of $COMPUTE from a token account the marketplace's PDA owns (counted in
    /// the all-time total), pays the provider's reward (minted, or from the rewards vault: all of
    /// it or nothing), and releases the job's collateral lock.
    pub struct SettlementFinish = "settlement_finish" {
        accounts {
            /// 0. [writable] The config PDA `["config"]`.
            config: [writable] pda({CONFIG_SEED}),
            /// 1. [signer] The marketplace's PDA `["economy_caller"]`, signing through its CPI; owner of `source`.
            marketplace_caller: [signer] address(MARKETPLACE_CALLER),
            /// 2. [] The provider.
            provider: [],
            /// 3. [writable] The collateral PDA `["collateral", provider]`.
            collateral: [writable] pda({COLLATERAL_SEED}, provider),
            /// 4. [writable] The marketplace's $COMPUTE token account burned from.
            source: [writable],
            /// 5. [writable] The $COMPUTE token account the reward is paid to.
            destination: [writable],
            /// 6. [writable] $COMPUTE.
            compute_mint: [writable],
            /// 7. [] The program's authority PDA `["authority"]`.
            authority: [] pda({AUTHORITY_SEED}),
            /// 8. [writable] The rewards vault PDA `["rewards_vault"]` (existing-mint mode; unused otherwise).
            rewards_vault: [writable] pda({REWARDS_VAULT_SEED}),
            /// 9. [] $COMPUTE's token program.
            token_program: [],
        }
        args {
            /// $COMPUTE burned, in base units (may be zero).
            burn: u64,
            /// $COMPUTE paid to the provider, in base units (may be zero).
            reward: u64,
        }
    }
}

pub fn process(mut ix: SettlementFinish, program_id: &Address) -> ProgramResult {
    let config = Config::read_mut(&mut ix.config, program_id)?;
    config.check_compute(ix.compute_mint.address(), ix.token_program.address())?;
    let collateral = Collateral::read_mut(&mut ix.collateral, program_id, ix.provider.address())?;
    collateral.release()?;

    if ix.burn > 0 {
        let burn = TokenMove { token_program: &ix.token_program, from: &ix.source, mint: &ix.compute_mint, to: &ix.source, authority: &ix.marketplace_caller };
        burn_settlement(config, &burn, ix.burn)?;
    }
    let mut recipient = Address::default();
    if ix.reward > 0 {
        let payout = TokenMove { token_program: &ix.token_program, from: &ix.rewards_vault, mint: &ix.compute_mint, to: &ix.destination, authority: &ix.authority };
        recipient = pay_reward(config, &payout, ix.reward)?;
    }

    if ix.burn > 0 {
        TokensBurned { owner: *ix.marketplace_caller.address(), amount: ix.burn, total_burned: config.total_burned }.emit();
    }
    if ix.reward > 0 {
        ProviderRewarded { recipient, destination: *ix.destination.address(), amount: ix.reward, total_rewards_paid: config.total_rewards_paid }.emit();
    }
    CollateralReleased { provider: collateral.provider, open_jobs: collateral.open_jobs }.emit();
    Ok(())
}
