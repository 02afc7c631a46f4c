//! The economy program's errors. Append-only: numbers never change once released.

spicetime_abi::program_errors! {
    /// Errors of the economy program.
    pub enum EconomyError {
        /// 6000 0x1770
        BurnBpsExceeded = 6000 => "burn rate above the maximum (1000 bps)",
        /// 6001 0x1771
        TreasuryFeeBpsExceeded = 6001 => "treasury fee above the maximum (1000 bps)",
        /// 6002 0x1772
        AdminMismatch = 6002 => "only the configured admin may do this",
    }
}
