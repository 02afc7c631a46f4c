//! Program-derived addresses: canonical-bump verification.

use core::ops::{Deref, DerefMut};
use pinocchio::{error::ProgramError, AccountView, Address};

use crate::error::{fail_account, AnchorErrorCode};

/// An account verified to sit at the canonical PDA of its seeds, with that bump.
#[derive(Clone, Copy)]
pub struct Pda {
    pub view: AccountView,
    /// The canonical bump (the highest that yields an off-curve address).
    pub bump: u8,
}

impl Deref for Pda {
    type Target = AccountView;
    fn deref(&self) -> &AccountView {
        &self.view
    }
}

impl DerefMut for Pda {
    fn deref_mut(&mut self) -> &mut AccountView {
        &mut self.view
    }
}

/// The canonical PDA of `seeds` under `program_id` and its bump.
#[cfg(any(target_os = "solana", target_arch = "bpf"))]
#[inline(always)]
pub fn find(seeds: &[&[u8]], program_id: &Address) -> (Address, u8) {
    Address::find_program_address(seeds, program_id)
}

/// PDA derivation needs the runtime's syscall; host builds (IDL, unit tests) never derive.
#[cfg(not(any(target_os = "solana", target_arch = "bpf")))]
pub fn find(_seeds: &[&[u8]], _program_id: &Address) -> (Address, u8) {
    panic!("PDAs are derived on chain only")
}

/// Checks that `view` is the canonical PDA of `seeds`; `ConstraintSeeds` (2006) otherwise.
#[inline(always)]
pub fn verify(view: AccountView, seeds: &[&[u8]], program_id: &Address, name: &str) -> Result<Pda, ProgramError> {
    match canonical_bump(&view, seeds, program_id) {
        Some(bump) => Ok(Pda { view, bump }),
        None => Err(fail_account(AnchorErrorCode::ConstraintSeeds, name)),
    }
}

/// The canonical bump when `view` sits at the canonical PDA of `seeds`. Kept out of line (and to
/// four argument registers) so the derivation is emitted once, not in every instruction.
#[inline(never)]
fn canonical_bump(view: &AccountView, seeds: &[&[u8]], program_id: &Address) -> Option<u8> {
    let (expected, bump) = find(seeds, program_id);
    (view.address() == &expected).then_some(bump)
}

/// Checks that a bump read back from an account is the canonical one found now.
#[inline(always)]
pub fn check_stored_bump(pda: &Pda, stored: u8, name: &str) -> Result<(), ProgramError> {
    if pda.bump != stored {
        return Err(fail_account(AnchorErrorCode::ConstraintSeeds, name));
    }
    Ok(())
}
