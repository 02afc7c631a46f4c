use spicetime_abi::prelude::*;

use crate::events::AdminProposed;
use crate::seeds::CONFIG_SEED;
use crate::state::Config;

spicetime_abi::instruction! {
    /// Proposes a new admin, who takes over only by accepting (a typo cannot lose the program).
    pub struct AdminPropose = "admin_propose" {
        accounts {
            /// 0. [writable] The config PDA `["config"]`.
            config: [writable] pda({CONFIG_SEED}),
            /// 1. [signer] The admin.
            admin: [signer],
        }
        args {
            /// The proposed admin.
            pending_admin: Address,
        }
    }
}

pub fn process(mut ix: AdminPropose, program_id: &Address) -> ProgramResult {
    let config = Config::read_mut(&mut ix.config, program_id)?;
    config.check_admin(ix.admin.address())?;
    config.pending_admin = ix.pending_admin;

    AdminProposed { admin: config.admin, pending_admin: config.pending_admin }.emit();
    Ok(())
}
