//! Anchor's ABI on top of pinocchio, for programs built by the project's own SBPF toolchain:
//! what `@coral-xyz/anchor` needs to drive a program unchanged, and the checks every
//! instruction makes, declared once.
#![cfg_attr(not(any(test, feature = "idl-build")), no_std)]

pub use pinocchio;
pub use pinocchio_system;
pub use solana_program_log;

/// Account checks and typed program accounts (`account!`).
pub mod account;
/// Base58 text of addresses.
pub mod base58;
/// Fixed-size Borsh layouts (`borsh_struct!`).
pub mod borsh;
/// PDA-signed account creation through the System program.
pub mod cpi;
/// Anchor discriminators.
pub mod discriminator;
/// Ed25519 signatures verified in the same transaction, read back through the instructions sysvar.
pub mod ed25519;
/// Anchor-shaped errors (`program_errors!`).
pub mod error;
/// Events Anchor's `EventParser` decodes (`event!`).
pub mod event;
/// Instruction declarations (`instruction!`).
pub mod instruction;
/// PDA verification with canonical bumps.
pub mod pda;
/// The entrypoint and dispatch table (`program!`).
pub mod program;
/// Compile-time SHA-256.
pub mod sha256;
/// SPL Token and Token-2022: reading mints and token accounts, PDA-signed CPIs.
pub mod token;
/// Token-2022 metadata pointer and token metadata extensions.
pub mod token_metadata;

/// IDL JSON assembly (host builds with `idl-build` only).
#[cfg(feature = "idl-build")]
pub mod idl;

/// What instruction files import.
pub mod prelude {
    pub use crate::account::{AccountData, SYSTEM_PROGRAM_ID};
    pub use crate::error::{fail, fail_account, AnchorErrorCode};
    pub use crate::pda::Pda;
    pub use pinocchio::{cpi::Seed, error::ProgramError, AccountView, Address, ProgramResult};
}
