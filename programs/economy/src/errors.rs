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
        /// 6003 0x1773
        PendingAdminMismatch = 6003 => "only the proposed admin may accept",
        /// 6004 0x1774
        CannotWhilePaused = 6004 => "the program is paused",
        /// 6005 0x1775
        MintsAlreadySet = 6005 => "the mints are already set",
        /// 6006 0x1776
        MintsNotSet = 6006 => "the mints are not set yet",
        /// 6007 0x1777
        MintMismatch = 6007 => "not the configured mint",
        /// 6008 0x1778
        TokenProgramMismatch = 6008 => "not the token program of this mint",
        /// 6009 0x1779
        InvalidAmount = 6009 => "the amount must be greater than zero",
        /// 6010 0x177a
        LockupNotEnded = 6010 => "the lockup has not ended",
        /// 6011 0x177b
        CannotUnlockTwice = 6011 => "the stake is already unlocked",
        /// 6012 0x177c
        StakeNotUnlocked = 6012 => "unlock the stake first",
        /// 6013 0x177d
        CooldownNotEnded = 6013 => "the unlock cooldown has not ended",
        /// 6014 0x177e
        RewardsVaultInsufficient = 6014 => "the rewards vault holds less than the yield due",
        /// 6015 0x177f
        ArithmeticOverflow = 6015 => "arithmetic overflow",
        /// 6016 0x1780
        LockupExceeded = 6016 => "a tier lockup is out of bounds (flexible must be 0, others at most 5 years)",
        /// 6017 0x1781
        YieldRateExceeded = 6017 => "a yield rate is above the maximum",
        /// 6018 0x1782
        CooldownExceeded = 6018 => "the unlock cooldown is out of bounds (0 to 30 days)",
        /// 6019 0x1783
        CannotMintGenesisTwice = 6019 => "the $UBC genesis supply is already minted",
        /// 6020 0x1784
        MintModeMismatch = 6020 => "not available in this mint mode",
        /// 6021 0x1785
        PositionOwnerMismatch = 6021 => "only the position's owner may do this",
        /// 6022 0x1786
        YieldUnclaimed = 6022 => "claim the yield before withdrawing",
        /// 6023 0x1787
        CannotWhileJobsOpen = 6023 => "the provider has open jobs",
        /// 6024 0x1788
        CollateralNotUnlocked = 6024 => "unlock the collateral first",
        /// 6025 0x1789
        CollateralInsufficient = 6025 => "the amount exceeds the provider's collateral",
        /// 6026 0x178a
        CannotUnlockCollateralTwice = 6026 => "the collateral is already unlocking",
        /// 6027 0x178b
        NoOpenJobs = 6027 => "the provider has no open job to release",
        /// 6028 0x178c
        CollateralProviderMismatch = 6028 => "not this provider's collateral",
        /// 6029 0x178d
        SlashBpsExceeded = 6029 => "the challenger's share is above 10000 bps",
    }
}
