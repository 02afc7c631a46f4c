//! A stand-in for the marketplace program, built by the tests only: it forwards its instruction
//! data to the program in account 0, with accounts 1.. passed through, and signs with its own PDA
//! `["economy_caller"]` — whatever program id it is deployed at. Deployed at the marketplace's id
//! it is the marketplace as far as the economy program can tell; anywhere else its PDA is not.
#![cfg_attr(not(test), no_std)]

use pinocchio::{
    cpi::{invoke_signed_with_bounds, Seed, Signer},
    error::ProgramError,
    instruction::{InstructionAccount, InstructionView},
    AccountView, Address, ProgramResult,
};

/// The seed of the PDA the economy program accepts from the marketplace.
const ECONOMY_CALLER_SEED: &[u8] = b"economy_caller";
/// The most accounts forwarded.
const MAX_ACCOUNTS: usize = 16;

#[cfg(any(target_os = "solana", target_arch = "bpf"))]
pinocchio::program_entrypoint!(process_instruction);
#[cfg(any(target_os = "solana", target_arch = "bpf"))]
pinocchio::nostd_panic_handler!();
#[cfg(any(target_os = "solana", target_arch = "bpf"))]
pinocchio::no_allocator!();

/// Forwards `data` to `accounts[0]` with `accounts[1..]`, signing for `["economy_caller"]`.
pub fn process_instruction(program_id: &Address, accounts: &mut [AccountView], data: &[u8]) -> ProgramResult {
    let (target, forwarded) = accounts.split_first().ok_or(ProgramError::NotEnoughAccountKeys)?;
    if forwarded.is_empty() || forwarded.len() > MAX_ACCOUNTS {
        return Err(ProgramError::InvalidArgument);
    }
    let (caller, bump) = find_caller(program_id);
    let last = forwarded.len() - 1;
    let metas: [InstructionAccount; MAX_ACCOUNTS] = core::array::from_fn(|i| {
        let a = &forwarded[if i < last { i } else { last }];
        InstructionAccount::new(a.address(), a.is_writable(), a.is_signer() || a.address() == &caller)
    });
    let instruction = InstructionView { program_id: target.address(), accounts: &metas[..forwarded.len()], data };
    let bump = [bump];
    let seeds = [Seed::from(ECONOMY_CALLER_SEED), Seed::from(&bump)];
    invoke_signed_with_bounds::<MAX_ACCOUNTS, AccountView>(&instruction, forwarded, &[Signer::from(&seeds)])
}

#[cfg(any(target_os = "solana", target_arch = "bpf"))]
fn find_caller(program_id: &Address) -> (Address, u8) {
    Address::find_program_address(&[ECONOMY_CALLER_SEED], program_id)
}

#[cfg(not(any(target_os = "solana", target_arch = "bpf")))]
fn find_caller(_program_id: &Address) -> (Address, u8) {
    unreachable!("PDAs are derived on chain only")
}
