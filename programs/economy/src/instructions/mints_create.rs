use spicetime_abi::cpi::{create_pda_account, NewAccount};
use spicetime_abi::prelude::*;
use spicetime_abi::token::{self, MINT_SIZE, TOKEN_ACCOUNT_SIZE};

use crate::errors::EconomyError;
use crate::events::MintsSet;
use crate::seeds::{AUTHORITY, COMPUTE_MINT, COMPUTE_MINT_SEED, CONFIG_SEED, STAKE_VAULT, STAKE_VAULT_SEED, UBC_MINT, UBC_MINT_SEED};
use crate::state::{Config, MintMode};

spicetime_abi::instruction! {
    /// Creates $UBC and $COMPUTE (program-mint mode) and the stake vault. Both mints start with
    /// the program's authority PDA as mint authority; `ubc_genesis` then mints the fixed $UBC supply
    /// and removes it.
    pub struct MintsCreate = "mints_create" {
        accounts {
            /// 0. [writable] The config PDA `["config"]`.
            config: [writable] pda({CONFIG_SEED}),
            /// 1. [writable, signer] The admin, who pays the rent.
            admin: [writable, signer],
            /// 2. [] The program's authority PDA `["authority"]`.
            authority: [] known(AUTHORITY),
            /// 3. [writable] $UBC, PDA `["ubc_mint"]`, created here.
            ubc_mint: [writable] known(UBC_MINT),
            /// 4. [writable] $COMPUTE, PDA `["compute_mint"]`, created here.
            compute_mint: [writable] known(COMPUTE_MINT),
            /// 5. [writable] The stake vault PDA `["stake_vault"]`, created here.
            stake_vault: [writable] known(STAKE_VAULT),
            /// 6. [] SPL Token or Token-2022.
            token_program: [],
            /// 7. [] The System program.
            system_program: [] address(SYSTEM_PROGRAM_ID),
        }
        args {
            ubc_decimals: u8,
            compute_decimals: u8,
        }
    }
}

pub fn process(mut ix: MintsCreate, program_id: &Address) -> ProgramResult {
    let config = Config::read_mut(&mut ix.config, program_id)?;
    config.check_admin(ix.admin.address())?;
    if config.mint_mode != MintMode::Unset {
        return Err(EconomyError::MintsAlreadySet.into());
    }
    token::check_token_program(&ix.token_program, "token_program")?;
    let token_program = *ix.token_program.address();
    let authority = *ix.authority.address();

    for (mint, seed, decimals) in [(&ix.ubc_mint, UBC_MINT_SEED.as_slice(), ix.ubc_decimals), (&ix.compute_mint, COMPUTE_MINT_SEED.as_slice(), ix.compute_decimals)] {
        let bump = [mint.bump];
        create_pda_account(&NewAccount { payer: &ix.admin, account: &mint, space: MINT_SIZE, owner: &token_program }, &[Seed::from(seed), Seed::from(&bump)])?;
        token::initialize_mint(&ix.token_program, mint, decimals, &authority)?;
    }
    let bump = [ix.stake_vault.bump];
    create_pda_account(&NewAccount { payer: &ix.admin, account: &ix.stake_vault, space: TOKEN_ACCOUNT_SIZE, owner: &token_program }, &[Seed::from(STAKE_VAULT_SEED), Seed::from(&bump)])?;
    token::initialize_account(&ix.token_program, &ix.stake_vault, &ix.ubc_mint, &authority)?;

    config.mint_mode = MintMode::ProgramMints;
    config.ubc_mint = *ix.ubc_mint.address();
    config.compute_mint = *ix.compute_mint.address();
    config.ubc_token_program = token_program;
    config.compute_token_program = token_program;
    config.ubc_decimals = ix.ubc_decimals;
    config.compute_decimals = ix.compute_decimals;
    config.authority = authority;
    config.authority_bump = ix.authority.bump;
    config.stake_vault = *ix.stake_vault.address();

    MintsSet::of(&config).emit();
    Ok(())
}
