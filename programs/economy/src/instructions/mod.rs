//! One file per instruction: the account list, checks, effects, event.

pub mod config_init;
pub mod config_update;
