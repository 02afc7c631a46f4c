//! PDA-signed cross-program invocations to the System program (token CPIs are in [`crate::token`]).

use pinocchio::{
    cpi::{Seed, Signer},
    sysvars::{rent::Rent, Sysvar},
    AccountView, Address, ProgramResult,
};
use pinocchio_system::instructions::{Allocate, Assign, CreateAccount, Transfer};

/// An account to create: who pays, where, how large, and which program will own it.
pub struct NewAccount<'a> {
    pub payer: &'a AccountView,
    pub account: &'a AccountView,
    pub space: usize,
    pub owner: &'a Address,
}

/// Creates a rent-exempt account at a PDA, signed with the PDA's seeds (bump included). An address
/// someone pre-funded to block creation is topped up, allocated and assigned instead, so it cannot
/// be griefed.
#[inline(never)]
pub fn create_pda_account(new: &NewAccount, seeds: &[Seed]) -> ProgramResult {
    let NewAccount { payer, account, space, owner } = *new;
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
