use spicetime_abi::cpi::{create_pda_account, NewAccount};
use spicetime_abi::prelude::*;
use spicetime_abi::token::{self, Mint, TOKEN_ACCOUNT_SIZE};

use crate::errors::EconomyError;
use crate::events::MintsSet;
use crate::seeds::{AUTHORITY, CONFIG_SEED, REWARDS_VAULT, REWARDS_VAULT_SEED, STAKE_VAULT, STAKE_VAULT_SEED};
use crate::state::{Config, MintMode};

spicetime_abi::instruction! {
    /// Adopts existing $UBC and $COMPUTE mints whose authority the program does not hold, and
    /// creates the stake vault and the rewards vault that yield is paid from.
    pub struct MintsAdopt = "mints_adopt" {
        accounts {
            /// 0. [writable] The config PDA `["config"]`.
            config: [writable] pda({CONFIG_SEED}),
            /// 1. [writable, signer] The admin, who pays the rent.
            admin: [writable, signer],
            /// 2. [] The program's authority PDA `["authority"]`, owner of both vaults.
            authority: [] known(AUTHORITY),
            /// 3. [] The existing $UBC mint.
            ubc_mint: [],
            /// 4. [] The existing $COMPUTE mint.
            compute_mint: [],
            /// 5. [writable] The stake vault PDA `["stake_vault"]` ($UBC), created here.
            stake_vault: [writable] known(STAKE_VAULT),
            /// 6. [writable] The rewards vault PDA `["rewards_vault"]` ($COMPUTE), created here.
            rewards_vault: [writable] known(REWARDS_VAULT),
            /// 7. [] $UBC's token program.
            ubc_token_program: [],
            /// 8. [] $COMPUTE's token program.
            compute_token_program: [],
            /// 9. [] The System program.
            system_program: [] address(SYSTEM_PROGRAM_ID),
        }
        args {}
    }
}

pub fn process(mut ix: MintsAdopt, program_id: &Address) -> ProgramResult {
    let config = Config::read_mut(&mut ix.config, program_id)?;
    config.check_admin(ix.admin.address())?;
    if config.mint_mode != MintMode::Unset {
        return Err(EconomyError::MintsAlreadySet.into());
    }
    let ubc = Mint::load(&ix.ubc_mint, &ix.ubc_token_program, "ubc_mint")?;
    let compute = Mint::load(&ix.compute_mint, &ix.compute_token_program, "compute_mint")?;
    let authority = *ix.authority.address();

    let vaults = [
        (&ix.stake_vault, STAKE_VAULT_SEED.as_slice(), &ix.ubc_token_program, &ix.ubc_mint),
        (&ix.rewards_vault, REWARDS_VAULT_SEED.as_slice(), &ix.compute_token_program, &ix.compute_mint),
    ];
    for (vault, seed, program, mint) in vaults {
        let bump = [vault.bump];
        create_pda_account(&NewAccount { payer: &ix.admin, account: vault, space: TOKEN_ACCOUNT_SIZE, owner: program.address() }, &[Seed::from(seed), Seed::from(&bump)])?;
        token::initialize_account(program, vault, mint, &authority)?;
    }

    config.mint_mode = MintMode::ExistingMints;
    config.ubc_mint = *ix.ubc_mint.address();
    config.compute_mint = *ix.compute_mint.address();
    config.ubc_token_program = *ix.ubc_token_program.address();
    config.compute_token_program = *ix.compute_token_program.address();
    config.ubc_decimals = ubc.decimals;
    config.compute_decimals = compute.decimals;
    config.authority = authority;
    config.authority_bump = ix.authority.bump;
    config.stake_vault = *ix.stake_vault.address();
    config.rewards_vault = *ix.rewards_vault.address();

    MintsSet::of(&config).emit();
    Ok(())
}
