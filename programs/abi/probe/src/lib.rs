//! A test program for `spicetime-abi`: PDA-signed token transfers through SPL Token and
//! Token-2022, PDA creation with an account seed, and the account work of Anchor's own compute-unit
//! benchmark (one signer, one token account, initialising one account) to measure the framework
//! against it. Built by the tests only.
#![cfg_attr(not(any(test, feature = "idl-build")), no_std)]

pinocchio::address::declare_id!("ProbeAbi11111111111111111111111111111111111");

use spicetime_abi::cpi::{create_pda_account, NewAccount};
use spicetime_abi::token::{transfer_checked, TokenMove};
use spicetime_abi::prelude::*;

spicetime_abi::instruction! {
    /// Moves tokens out of a vault owned by the PDA `["vault"]`.
    pub struct VaultTransfer = "vault_transfer" {
        accounts {
            vault_authority: [] seeds(b"vault"),
            vault: [writable],
            mint: [],
            destination: [writable],
            token_program: [],
        }
        args {
            amount: u64,
            decimals: u8,
        }
    }
}

fn vault_transfer(ix: VaultTransfer, _program_id: &Address) -> ProgramResult {
    let bump = [ix.vault_authority.bump];
    let seeds = [Seed::from(b"vault"), Seed::from(&bump)];
    let transfer = TokenMove { token_program: &ix.token_program, from: &ix.vault, mint: &ix.mint, to: &ix.destination, authority: &ix.vault_authority };
    transfer_checked(&transfer, ix.amount, ix.decimals, &seeds)
}

spicetime_abi::instruction! {
    /// Creates the PDA `["item", owner]` with `space` bytes, paid by the owner.
    pub struct ItemCreate = "item_create" {
        accounts {
            item: [writable] seeds(b"item", owner),
            owner: [writable, signer],
            system_program: [] address(SYSTEM_PROGRAM_ID),
        }
        args {
            space: u16,
        }
    }
}

fn item_create(ix: ItemCreate, program_id: &Address) -> ProgramResult {
    let bump = [ix.item.bump];
    let seeds = [Seed::from(b"item"), Seed::from(ix.owner.address().as_ref()), Seed::from(&bump)];
    create_pda_account(&NewAccount { payer: &ix.owner, account: &ix.item, space: ix.space as usize, owner: program_id }, &seeds)
}

spicetime_abi::instruction! {
    /// Anchor's benchmark `signer1`: one signer, nothing else.
    pub struct SignerCheck = "signer_check" {
        accounts {
            signer: [signer],
        }
        args {}
    }
}

fn signer_check(_ix: SignerCheck, _program_id: &Address) -> ProgramResult {
    Ok(())
}

spicetime_abi::instruction! {
    /// Anchor's benchmark `tokenAccount1`: one token account, read and checked.
    pub struct TokenAccountRead = "token_account_read" {
        accounts {
            token_account: [],
            token_program: [],
        }
        args {}
    }
}

fn token_account_read(ix: TokenAccountRead, _program_id: &Address) -> ProgramResult {
    spicetime_abi::token::TokenAccount::load(&ix.token_account, &ix.token_program, "token_account")?;
    Ok(())
}

spicetime_abi::account! {
    /// An empty program account, as in Anchor's benchmark.
    pub struct Empty {}
}

spicetime_abi::instruction! {
    /// Anchor's benchmark `accountEmptyInit1`: initialises one (keypair) account of an empty type.
    pub struct EmptyInit = "empty_init" {
        accounts {
            payer: [writable, signer],
            account: [writable, signer],
            system_program: [] address(SYSTEM_PROGRAM_ID),
        }
        args {}
    }
}

fn empty_init(mut ix: EmptyInit, program_id: &Address) -> ProgramResult {
    use pinocchio::sysvars::{rent::Rent, Sysvar};
    let lamports = Rent::get()?.try_minimum_balance(Empty::SPACE)?;
    spicetime_abi::pinocchio_system::instructions::CreateAccount { from: &ix.payer, to: &ix.account, lamports, space: Empty::SPACE as u64, owner: program_id }.invoke()?;
    Empty {}.save(&mut ix.account)
}

spicetime_abi::program_errors! {
    /// The probe has no errors of its own.
    pub enum ProbeError {
        /// 6000
        Unused = 6000 => "unused",
    }
}

spicetime_abi::program! {
    id = ID;
    name = "abi_probe";
    instructions {
        VaultTransfer => vault_transfer,
        ItemCreate => item_create,
        SignerCheck => signer_check,
        TokenAccountRead => token_account_read,
        EmptyInit => empty_init,
    }
    accounts [Empty]
    events []
    types []
    errors ProbeError;
}
