//! Program accounts, one file each.

mod config;

pub use config::Config;
