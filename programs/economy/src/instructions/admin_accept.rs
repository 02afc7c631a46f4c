use spicetime_abi::prelude::*;

use crate::errors::EconomyError;
use crate::events::AdminAccepted;
use crate::seeds::CONFIG_SEED;
use crate::state::Config;

spicetime_abi::instruction! {
    /// The proposed admin accepts and becomes the admin.
    pub struct AdminAccept = "admin_accept" {
        accounts {
            /// 0. [writable] The config PDA `["config"]`.
            config: [writable] pda({CONFIG_SEED}),
            /// 1. [signer] The proposed admin.
            pending_admin: [signer],
        }
        args {}
    }
}

pub fn process(mut ix: AdminAccept, program_id: &Address) -> ProgramResult {
    let config = Config::read_mut(&mut ix.config, program_id)?;
    if config.pending_admin == Address::default() || ix.pending_admin.address() != &config.pending_admin {
        return Err(EconomyError::PendingAdminMismatch.into());
    }
    config.admin = config.pending_admin;
    config.pending_admin = Address::default();

    AdminAccepted { admin: config.admin }.emit();
    Ok(())
}
