use spicetime_abi::cpi::create_pda_account;
use spicetime_abi::prelude::*;

use crate::events::ConfigInitialized;
use crate::seeds::CONFIG_SEED;
use crate::state::Config;

spicetime_abi::instruction! {
    /// Creates the economy configuration; the signer becomes its admin.
    pub struct ConfigInit = "config_init" {
        accounts {
            /// 0. [writable] The config PDA `["config"]`, not yet created.
            config: [writable] seeds({CONFIG_SEED}),
            /// 1. [writable, signer] The admin, who pays the rent.
            admin: [writable, signer],
            /// 2. [] The System program.
            system_program: [] address(SYSTEM_PROGRAM_ID),
        }
        args {
            /// Where treasury fees go.
            treasury: Address,
            /// Burn rate in basis points (at most 1000).
            burn_bps: u16,
            /// Treasury fee in basis points (at most 1000).
            treasury_fee_bps: u16,
        }
    }
}

pub fn process(mut ix: ConfigInit, program_id: &Address) -> ProgramResult {
    if !ix.config.owned_by(&SYSTEM_PROGRAM_ID) || !ix.config.is_data_empty() {
        return Err(fail_account(AnchorErrorCode::AccountDiscriminatorAlreadySet, "config"));
    }
    let mut config = Config {
        admin: *ix.admin.address(),
        treasury: ix.treasury,
        burn_bps: 0,
        treasury_fee_bps: 0,
        bump: ix.config.bump,
    };
    config.set_rates(ix.burn_bps, ix.treasury_fee_bps)?;

    let bump = [ix.config.bump];
    let seeds = [Seed::from(CONFIG_SEED), Seed::from(&bump)];
    create_pda_account(&ix.admin, &ix.config, Config::SPACE, program_id, &seeds)?;
    config.save(&mut ix.config)?;

    ConfigInitialized {
        admin: config.admin,
        treasury: config.treasury,
        burn_bps: config.burn_bps,
        treasury_fee_bps: config.treasury_fee_bps,
    }
    .emit();
    Ok(())
}
