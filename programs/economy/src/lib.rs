//! SpiceTime economy program: the money rules ($UBC, $COMPUTE, staking, collateral, burn,
//! treasury). This file is the table of contents: the program id, then one line per instruction.
#![cfg_attr(not(any(test, feature = "idl-build")), no_std)]

pinocchio::address::declare_id!("9sfkms9xCETCZUHRfvrrXwxa8ZiCpZiGc63nZ85WPvXg");

pub mod errors;
pub mod events;
pub mod instructions;
pub mod seeds;
pub mod state;

use instructions::*;

spicetime_abi::program! {
    id = ID;
    name = "economy";
    instructions {
        // Admin
        /// Creates the economy configuration; the signer becomes its admin.
        config_init::ConfigInit => config_init::process,
        /// Changes the burn and treasury fee rates.
        config_update::ConfigUpdate => config_update::process,
    }
    accounts [state::Config]
    events [events::ConfigInitialized, events::ConfigUpdated]
    errors errors::EconomyError;
}
