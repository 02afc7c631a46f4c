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

/// A program's singleton PDA of one constant seed, known at compile time: its canonical bump is
/// found off chain and written down, and a test derives it again (the IDL carries both the seed and
/// the address, so a client-side `findProgramAddressSync` check covers every one). Checking an
/// account against it costs one comparison instead of a derivation (1,500 CU per bump tried).
#[derive(Clone, Copy)]
pub struct KnownPda {
    /// The one seed.
    pub seed: &'static [u8],
    /// Its canonical bump under the program.
    pub bump: u8,
    /// `derive_const(seed, bump, program_id)`.
    pub address: Address,
}

impl KnownPda {
    /// The PDA of `seed` with `bump` under `program_id`.
    pub const fn new(seed: &'static [u8], bump: u8, program_id: &Address) -> Self {
        KnownPda { seed, bump, address: derive_const(seed, bump, program_id) }
    }
}

/// Checks that `view` is the known PDA; `ConstraintSeeds` (2006) otherwise, as a derivation would.
#[inline(always)]
pub fn verify_known(view: AccountView, known: &KnownPda, name: &str) -> Result<Pda, ProgramError> {
    if view.address() != &known.address {
        return Err(fail_account(AnchorErrorCode::ConstraintSeeds, name));
    }
    Ok(Pda { view, bump: known.bump })
}

/// Checks that a bump read back from an account is the canonical one found now.
#[inline(always)]
pub fn check_stored_bump(pda: &Pda, stored: u8, name: &str) -> Result<(), ProgramError> {
    if pda.bump != stored {
        return Err(fail_account(AnchorErrorCode::ConstraintSeeds, name));
    }
    Ok(())
}

/// The address of the program-derived address of one `seed` with `bump` under `program_id`,
/// computed at compile time: `sha256(seed ++ [bump] ++ program_id ++ "ProgramDerivedAddress")`.
/// It does not check that the result is off the curve (that needs the runtime or a curve library):
/// use it for another program's well-known PDA, with the canonical bump found and tested off chain.
pub const fn derive_const(seed: &[u8], bump: u8, program_id: &Address) -> Address {
    const MARKER: &[u8; 21] = b"ProgramDerivedAddress";
    let mut tail = [0u8; 1 + 32 + 21];
    tail[0] = bump;
    let id = program_id.as_array();
    let mut i = 0;
    while i < 32 {
        tail[1 + i] = id[i];
        i += 1;
    }
    let mut j = 0;
    while j < MARKER.len() {
        tail[33 + j] = MARKER[j];
        j += 1;
    }
    Address::new_from_array(crate::sha256::sha256_concat(seed, &tail))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derive_const_matches_web3js() {
        // PublicKey.createProgramAddressSync([Buffer.from("economy_caller"), Buffer.from([253])],
        //   new PublicKey("3Rf8ea8PGeZka92tsrQvfGEzSv8jJDqGrcxH71VMXS5k"))
        let program = Address::from_str_const("3Rf8ea8PGeZka92tsrQvfGEzSv8jJDqGrcxH71VMXS5k");
        let pda = derive_const(b"economy_caller", 253, &program);
        assert_eq!(pda, Address::from_str_const("3pmyAK4uyPXVDoDSg7hWmJksCANB96DmM7gM4QDFsH1P"));
    }
}
