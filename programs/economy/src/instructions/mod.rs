//! One file per instruction: the account list, checks, effects, event.

pub mod admin_accept;
pub mod admin_propose;
pub mod config_init;
pub mod config_update;
pub mod mints_adopt;
pub mod mints_create;
pub mod pause_set;
pub mod stake_claim;
pub mod stake_deposit;
pub mod stake_unlock;
pub mod stake_withdraw;
pub mod token_burn;
pub mod ubc_genesis;
