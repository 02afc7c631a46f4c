//! Program accounts and the types they hold, one file each.

mod collateral;
mod config;
mod position;

pub use collateral::Collateral;
pub use config::{Config, ConfigParams, MintMode, MAX_BURN_BPS, MAX_TREASURY_FEE_BPS};
pub use position::{Position, Tier};
