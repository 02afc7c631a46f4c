use spicetime_abi::cpi::{create_pda_account, NewAccount};
use spicetime_abi::prelude::*;

use crate::events::ConfigInitialized;
use crate::seeds::{CONFIG, CONFIG_SEED};
use crate::state::{Config, ConfigParams};

spicetime_abi::instruction! {
    /// Creates the economy configuration; the signer becomes its admin.
    pub struct ConfigInit = "config_init" {
        accounts {
            /// 0. [writable] The config PDA `["config"]`, not yet created.
            config: [writable] known(CONFIG),
            /// 1. [writable, signer] The admin, who pays the rent.
            admin: [writable, signer],
            /// 2. [] The System program.
            system_program: [] address(SYSTEM_PROGRAM_ID),
        }
        args {
            /// Where treasury fees go.
            treasury: Address,
            /// The bounded parameters.
            params: ConfigParams,
        }
    }
}

pub fn process(mut ix: ConfigInit, program_id: &Address) -> ProgramResult {
    if !ix.config.owned_by(&SYSTEM_PROGRAM_ID) || !ix.config.is_data_empty() {
        return Err(fail_account(AnchorErrorCode::AccountDiscriminatorAlreadySet, "config"));
    }
    ix.params.check()?;
    let config = Config { admin: *ix.admin.address(), treasury: ix.treasury, params: ix.params, bump: ix.config.bump, ..Config::default() };

    let bump = [ix.config.bump];
    let seeds = [Seed::from(CONFIG_SEED), Seed::from(&bump)];
    create_pda_account(&NewAccount { payer: &ix.admin, account: &ix.config, space: Config::SPACE, owner: program_id }, &seeds)?;
    config.save(&mut ix.config)?;

    ConfigInitialized { admin: config.admin, treasury: config.treasury, params: config.params }.emit();
    Ok(())
}
