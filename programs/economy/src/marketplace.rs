//! The marketplace program, the one caller of the economy's provider entry points (collateral
//! lock, release and slash, provider rewards, settlement burns). It proves itself by signing
//! with its PDA `["economy_caller"]`, which only the marketplace program can sign for.

use pinocchio::address::address;
use pinocchio::Address;

/// The marketplace program's id (reserved; its keypair is `programs/keys/marketplace-keypair.json`).
pub const MARKETPLACE_PROGRAM_ID: Address = address!("3Rf8ea8PGeZka92tsrQvfGEzSv8jJDqGrcxH71VMXS5k");
/// Seed of the marketplace's signing PDA: `["economy_caller"]`.
pub const ECONOMY_CALLER_SEED: &[u8; 14] = b"economy_caller";
/// Canonical bump of `["economy_caller"]` under [`MARKETPLACE_PROGRAM_ID`] (found and checked off
/// chain: the SDK tests derive it with `findProgramAddressSync`).
pub const MARKETPLACE_CALLER_BUMP: u8 = 253;
/// The marketplace's signing PDA, derived at compile time so checking it costs one comparison.
pub const MARKETPLACE_CALLER: Address = spicetime_abi::pda::derive_const(ECONOMY_CALLER_SEED, MARKETPLACE_CALLER_BUMP, &MARKETPLACE_PROGRAM_ID);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caller_is_the_marketplace_pda() {
        assert_eq!(MARKETPLACE_CALLER, Address::from_str_const("3pmyAK4uyPXVDoDSg7hWmJksCANB96DmM7gM4QDFsH1P"));
    }
}
