//! PDA seeds of the economy program's accounts.

/// The configuration: `["config"]`.
pub const CONFIG_SEED: &[u8; 6] = b"config";
/// The authority that owns the vaults and mints $COMPUTE in program-mint mode: `["authority"]`.
pub const AUTHORITY_SEED: &[u8; 9] = b"authority";
/// $UBC created by the program: `["ubc_mint"]`.
pub const UBC_MINT_SEED: &[u8; 8] = b"ubc_mint";
/// $COMPUTE created by the program: `["compute_mint"]`.
pub const COMPUTE_MINT_SEED: &[u8; 12] = b"compute_mint";
/// The $UBC token account holding every stake: `["stake_vault"]`.
pub const STAKE_VAULT_SEED: &[u8; 11] = b"stake_vault";
/// The $COMPUTE token account yield is paid from for existing mints: `["rewards_vault"]`.
pub const REWARDS_VAULT_SEED: &[u8; 13] = b"rewards_vault";
/// A stake position: `["position", owner, position_id as u64 LE]`.
pub const POSITION_SEED: &[u8; 8] = b"position";
/// A provider's collateral: `["collateral", provider]`.
pub const COLLATERAL_SEED: &[u8; 10] = b"collateral";

use spicetime_abi::pda::KnownPda;

/// The config PDA, known at compile time (bump checked by `sdk/test/program-ids.test.ts`).
pub const CONFIG: KnownPda = KnownPda::new(CONFIG_SEED, 253, &crate::ID);
/// The authority PDA, known at compile time.
pub const AUTHORITY: KnownPda = KnownPda::new(AUTHORITY_SEED, 255, &crate::ID);
/// The program-created $UBC mint PDA, known at compile time.
pub const UBC_MINT: KnownPda = KnownPda::new(UBC_MINT_SEED, 255, &crate::ID);
/// The program-created $COMPUTE mint PDA, known at compile time.
pub const COMPUTE_MINT: KnownPda = KnownPda::new(COMPUTE_MINT_SEED, 255, &crate::ID);
/// The stake vault PDA, known at compile time.
pub const STAKE_VAULT: KnownPda = KnownPda::new(STAKE_VAULT_SEED, 255, &crate::ID);
/// The rewards vault PDA, known at compile time.
pub const REWARDS_VAULT: KnownPda = KnownPda::new(REWARDS_VAULT_SEED, 255, &crate::ID);
