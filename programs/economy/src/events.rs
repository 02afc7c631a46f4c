//! Events, one per state change, carrying the post-change values an indexer needs.

use pinocchio::Address;

spicetime_abi::event! {
    /// The configuration was created.
    pub struct ConfigInitialized {
        admin: Address,
        treasury: Address,
        burn_bps: u16,
        treasury_fee_bps: u16,
    }
}

spicetime_abi::event! {
    /// Fee rates changed.
    pub struct ConfigUpdated {
        admin: Address,
        burn_bps: u16,
        treasury_fee_bps: u16,
    }
}
