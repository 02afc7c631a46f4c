use spicetime_abi::prelude::*;
use spicetime_abi::token::{self, TokenAccount, TokenMove};

use crate::errors::EconomyError;
use crate::events::UbcGenesisMinted;
use crate::seeds::{AUTHORITY_SEED, CONFIG_SEED};
use crate::state::{Config, MintMode};

spicetime_abi::instruction! {
    /// Mints the whole fixed $UBC supply to the genesis distribution account, then removes the
    /// mint authority for good (program-mint mode, once).
    pub struct UbcGenesis = "ubc_genesis" {
        accounts {
            /// 0. [writable] The config PDA `["config"]`.
            config: [writable] pda({CONFIG_SEED}),
            /// 1. [signer] The admin.
            admin: [signer],
            /// 2. [] The program's authority PDA `["authority"]`, $UBC's mint authority until now.
            authority: [] pda({AUTHORITY_SEED}),
            /// 3. [writable] $UBC.
            ubc_mint: [writable],
            /// 4. [writable] The $UBC token account receiving the supply.
            destination: [writable],
            /// 5. [] $UBC's token program.
            token_program: [],
        }
        args {
            /// The whole supply, in base units.
            supply: u64,
        }
    }
}

pub fn process(mut ix: UbcGenesis, program_id: &Address) -> ProgramResult {
    let config = Config::read_mut(&mut ix.config, program_id)?;
    config.check_admin(ix.admin.address())?;
    if config.mint_mode != MintMode::ProgramMints {
        return Err(EconomyError::MintModeMismatch.into());
    }
    if config.genesis_minted {
        return Err(EconomyError::CannotMintGenesisTwice.into());
    }
    config.check_ubc(ix.ubc_mint.address(), ix.token_program.address())?;
    Config::check_stored(&ix.authority, &config.authority, "authority")?;
    if ix.supply == 0 {
        return Err(EconomyError::InvalidAmount.into());
    }
    TokenAccount::load(&ix.destination, &ix.token_program, "destination")?.check_mint(&config.ubc_mint, "destination")?;

    let bump = [config.authority_bump];
    let seeds = [Seed::from(AUTHORITY_SEED), Seed::from(&bump)];
    let mint_to = TokenMove { token_program: &ix.token_program, from: &ix.destination, mint: &ix.ubc_mint, to: &ix.destination, authority: &ix.authority };
    token::mint_to_checked(&mint_to, ix.supply, config.ubc_decimals, &seeds)?;
    token::remove_mint_authority(&ix.token_program, &ix.ubc_mint, &ix.authority, &seeds)?;
    config.genesis_minted = true;

    UbcGenesisMinted { supply: ix.supply, destination: *ix.destination.address() }.emit();
    Ok(())
}
