//! One file per instruction: the account list, checks, effects, event.

pub mod admin_accept;
pub mod admin_propose;
pub mod collateral_deposit;
pub mod collateral_lock;
pub mod collateral_release;
pub mod collateral_slash;
pub mod collateral_unlock;
pub mod collateral_withdraw;
pub mod config_init;
pub mod config_update;
pub mod mints_adopt;
pub mod mints_create;
pub mod pause_set;
pub mod reward_pay;
pub mod settlement_burn;
pub mod settlement_finish;
pub mod stake_claim;
pub mod stake_deposit;
pub mod stake_unlock;
pub mod stake_withdraw;
pub mod token_burn;
pub mod ubc_genesis;
