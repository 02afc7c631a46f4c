//! PDA-signed cross-program invocations to pinned programs: System, SPL Token and Token-2022.

use pinocchio::{
    address::address,
    cpi::{invoke_signed, Seed, Signer},
    error::ProgramError,
    instruction::{InstructionAccount, InstructionView},
    sysvars::{rent::Rent, Sysvar},
    AccountView, Address, ProgramResult,
};
use pinocchio_system::instructions::{Allocate, Assign, CreateAccount, Transfer};

use crate::error::{fail_account, AnchorErrorCode};

/// The SPL Token program.
pub const TOKEN_PROGRAM_ID: Address = address!("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
/// The Token-2022 program.
pub const TOKEN_2022_PROGRAM_ID: Address = address!("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");

/// Creates a rent-exempt account of `space` bytes at a PDA, owned by `owner`, signed with the
/// PDA's seeds (bump included). An address someone pre-funded to block creation is topped up,
/// allocated and assigned instead, so it cannot be griefed.
pub fn create_pda_account(
    payer: &AccountView,
    account: &AccountView,
    space: usize,
    owner: &Address,
    seeds: &[Seed],
) -> ProgramResult {
    let rent = Rent::get()?.try_minimum_balance(space)?;
    let signer = [Signer::from(seeds)];
    if account.lamports() == 0 {
        return CreateAccount { from: payer, to: account, lamports: rent, space: space as u64, owner }.invoke_signed(&signer);
    }
    let top_up = rent.saturating_sub(account.lamports());
    if top_up > 0 {
        Transfer { from: payer, to: account, lamports: top_up }.invoke()?;
    }
    Allocate { account, space: space as u64 }.invoke_signed(&signer)?;
    Assign { account, owner }.invoke_signed(&signer)
}

/// `InvalidProgramId` (3008) unless `program` is SPL Token or Token-2022: a token CPI never goes
/// to a program the caller picked.
#[inline(always)]
pub fn check_token_program(program: &AccountView, name: &str) -> Result<(), ProgramError> {
    let id = program.address();
    if id != &TOKEN_PROGRAM_ID && id != &TOKEN_2022_PROGRAM_ID {
        return Err(fail_account(AnchorErrorCode::InvalidProgramId, name));
    }
    Ok(())
}

/// `TransferChecked` (instruction 12, the same in both token programs) from `from` to `to`,
/// authorised by `authority`, signed with `seeds` when the authority is a PDA.
pub fn token_transfer_checked(
    token_program: &AccountView,
    from: &AccountView,
    mint: &AccountView,
    to: &AccountView,
    authority: &AccountView,
    amount: u64,
    decimals: u8,
    seeds: &[Seed],
) -> ProgramResult {
    check_token_program(token_program, "token_program")?;
    let mut data = [0u8; 10];
    data[0] = 12;
    data[1..9].copy_from_slice(&amount.to_le_bytes());
    data[9] = decimals;
    let accounts = [
        InstructionAccount::writable(from.address()),
        InstructionAccount::readonly(mint.address()),
        InstructionAccount::writable(to.address()),
        InstructionAccount::readonly_signer(authority.address()),
    ];
    let instruction = InstructionView { program_id: token_program.address(), accounts: &accounts, data: &data };
    let signers = [Signer::from(seeds)];
    invoke_signed(&instruction, &[from, mint, to, authority], if seeds.is_empty() { &[] } else { &signers })
}
