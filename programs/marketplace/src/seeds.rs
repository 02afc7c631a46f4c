//! PDA seeds of the marketplace program's accounts.

/// The market configuration: `["market"]`.
pub const MARKET_SEED: &[u8; 6] = b"market";
/// The marketplace's authority `["economy_caller"]`: it owns job vaults, is update authority of
/// layer mints and signs the economy program's marketplace-only entry points.
pub use economy::marketplace::ECONOMY_CALLER_SEED as AUTHORITY_SEED;
/// A layer: `["layer", mint]`.
pub const LAYER_SEED: &[u8; 5] = b"layer";
/// A version of a layer: `["layer_version", layer, version as u32 LE]`.
pub const LAYER_VERSION_SEED: &[u8; 13] = b"layer_version";
/// The seed bytes of version 1, the one `layer_publish` creates.
pub const FIRST_VERSION: [u8; 4] = 1u32.to_le_bytes();
/// A provider: `["provider", authority]`.
pub const PROVIDER_SEED: &[u8; 8] = b"provider";
/// A verifier: `["verifier", authority]`.
pub const VERIFIER_SEED: &[u8; 8] = b"verifier";
/// A job: `["job", client, job_id as u64 LE]`.
pub const JOB_SEED: &[u8; 3] = b"job";
/// The $COMPUTE account holding every layer's accrued royalty: `["royalty_vault"]`.
pub const ROYALTY_VAULT_SEED: &[u8; 13] = b"royalty_vault";
/// A job's escrow token account: `["job_vault", job]`.
pub const JOB_VAULT_SEED: &[u8; 9] = b"job_vault";
/// A job instance's challenge: `["challenge", job, job_serial as u64 LE]`.
pub const CHALLENGE_SEED: &[u8; 9] = b"challenge";
