//! A test program for `spicetime-abi`: PDA-signed token transfers through SPL Token and
//! Token-2022, and PDA creation with an account seed. Built by the tests only.
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
    }
    accounts []
    events []
    types []
    errors ProbeError;
}
