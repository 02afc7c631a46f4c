use spicetime_abi::pda::check_stored_bump;
use spicetime_abi::prelude::*;

use crate::errors::EconomyError;
use crate::events::ConfigUpdated;
use crate::seeds::CONFIG_SEED;
use crate::state::Config;

spicetime_abi::instruction! {
    /// Changes the burn and treasury fee rates.
    pub struct ConfigUpdate = "config_update" {
        accounts {
            /// 0. [writable] The config PDA `["config"]`.
            config: [writable] seeds({CONFIG_SEED}),
            /// 1. [signer] The configured admin.
            admin: [signer],
        }
        args {
            /// New burn rate in basis points (at most 1000).
            burn_bps: u16,
            /// New treasury fee in basis points (at most 1000).
            treasury_fee_bps: u16,
        }
    }
}

pub fn process(mut ix: ConfigUpdate, program_id: &Address) -> ProgramResult {
    let mut config = Config::load(&ix.config, program_id, "config")?;
    check_stored_bump(&ix.config, config.bump, "config")?;
    if ix.admin.address() != &config.admin {
        return Err(EconomyError::AdminMismatch.into());
    }
    config.set_rates(ix.burn_bps, ix.treasury_fee_bps)?;
    config.save(&mut ix.config)?;

    ConfigUpdated { admin: config.admin, burn_bps: config.burn_bps, treasury_fee_bps: config.treasury_fee_bps }.emit();
    Ok(())
}
