//! PDA seeds of the economy program's accounts.

/// The configuration: `["config"]`.
pub const CONFIG_SEED: &[u8; 6] = b"config";
