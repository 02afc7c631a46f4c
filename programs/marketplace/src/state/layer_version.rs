use pinocchio::Address;
use spicetime_abi::borsh::Text;

spicetime_abi::account! {
    /// One published version of a layer, at PDA `["layer_version", layer, version]`: earlier
    /// versions stay addressable after a new one is published.
    pub struct LayerVersion {
        layer: Address,
        version: u32,
        /// SHA-256 of the weights.
        sha256: [u8; 32],
        /// Size of the weights in bytes.
        size: u64,
        published_ts: i64,
        /// Canonical bump of the version PDA.
        bump: u8,
        /// The weights' IPFS CID.
        cid: Text<64>,
    }
}
