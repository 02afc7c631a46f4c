use spicetime_abi::prelude::*;

use crate::events::ConfigUpdated;
use crate::seeds::CONFIG_SEED;
use crate::state::{Config, ConfigParams};

spicetime_abi::instruction! {
    /// Replaces the bounded parameters.
    pub struct ConfigUpdate = "config_update" {
        accounts {
            /// 0. [writable] The config PDA `["config"]`.
            config: [writable] pda({CONFIG_SEED}),
            /// 1. [signer] The admin.
            admin: [signer],
        }
        args {
            /// The new parameters.
            params: ConfigParams,
        }
    }
}

pub fn process(mut ix: ConfigUpdate, program_id: &Address) -> ProgramResult {
    let config = Config::read_mut(&mut ix.config, program_id)?;
    config.check_admin(ix.admin.address())?;
    ix.params.check()?;
    config.params = ix.params;

    ConfigUpdated { admin: config.admin, params: config.params }.emit();
    Ok(())
}
