//! The marketplace program's errors. Append-only: numbers never change once released.

spicetime_abi::program_errors! {
    /// Errors of the marketplace program.
    pub enum MarketError {
        /// 6000 0x1770
        ParamsOutOfBounds = 6000 => "a market parameter is out of bounds",
        /// 6001 0x1771
        AdminMismatch = 6001 => "only the market admin may do this",
        /// 6002 0x1772
        ArithmeticOverflow = 6002 => "arithmetic overflow",
        /// 6003 0x1773
        InvalidUri = 6003 => "the uri must be ipfs://<CID> (at most 64 CID characters)",
        /// 6004 0x1774
        InvalidName = 6004 => "a name, base model or endpoint must not be empty",
        /// 6005 0x1775
        RoyaltyBpsExceeded = 6005 => "royalty + burn + treasury fee above 100%",
        /// 6006 0x1776
        ParentShareBpsExceeded = 6006 => "the parent share is above 100% of the royalty",
        /// 6007 0x1777
        ParentCycle = 6007 => "a layer cannot descend from itself",
        /// 6008 0x1778
        ParentMismatch = 6008 => "the parent accounts do not match the layer's parent",
        /// 6009 0x1779
        LayerHolderMismatch = 6009 => "the account does not hold the layer token",
        /// 6010 0x177a
        LayerRetired = 6010 => "the layer is retired",
        /// 6011 0x177b
        VersionMismatch = 6011 => "a new version must be the current version + 1",
        /// 6012 0x177c
        CollateralInsufficient = 6012 => "collateral below the economy's provider minimum",
        /// 6013 0x177d
        CannotWhileJobsOpen = 6013 => "the provider has open jobs",
        /// 6014 0x177e
        InvalidAmount = 6014 => "the amount must be greater than zero",
        /// 6015 0x177f
        PriceExceeded = 6015 => "the provider's or layer's price is above the job's maximum",
        /// 6016 0x1780
        JobStatusMismatch = 6016 => "the job is not in a state that allows this",
        /// 6017 0x1781
        ProviderMismatch = 6017 => "not the job's provider",
        /// 6018 0x1782
        BaseModelUnsupported = 6018 => "the provider does not serve the layer's base model",
        /// 6019 0x1783
        DeadlinePassed = 6019 => "the receipt deadline has passed",
        /// 6020 0x1784
        DeadlineNotPassed = 6020 => "the receipt deadline has not passed",
        /// 6021 0x1785
        TokensExceeded = 6021 => "tokens used above the job's maximum",
        /// 6022 0x1786
        SignatureMissing = 6022 => "no Ed25519 verification of one signature right before this instruction",
        /// 6023 0x1787
        SignerMismatch = 6023 => "the signature is not by the expected key",
        /// 6024 0x1788
        SignedMessageMismatch = 6024 => "the signature is over another message",
        /// 6025 0x1789
        ChallengeWindowOpen = 6025 => "the challenge window has not ended",
        /// 6026 0x178a
        ChallengeWindowClosed = 6026 => "the challenge window has ended",
        /// 6027 0x178b
        BondTooSmall = 6027 => "the challenge bond is below the minimum",
        /// 6028 0x178c
        VerifierAlreadyVoted = 6028 => "the verifier already voted on this challenge",
        /// 6029 0x178d
        VerifierNotEligible = 6029 => "the job's provider, challenger or client cannot vote on it",
        /// 6030 0x178e
        VotingNotOver = 6030 => "no quorum yet and the vote is still open",
        /// 6031 0x178f
        VotingClosed = 6031 => "the vote is closed",
        /// 6032 0x1790
        ClientMismatch = 6032 => "only the job's client may do this",
        /// 6033 0x1791
        InvalidRating = 6033 => "a rating is 1 to 5",
        /// 6034 0x1792
        MintMismatch = 6034 => "not the economy's mint or its token program",
        /// 6035 0x1793
        CannotChallengeOwnJob = 6035 => "a provider cannot challenge its own job",
        /// 6036 0x1794
        CannotWhilePaused = 6036 => "the economy is paused: no new jobs",
        /// 6037 0x1795
        ProviderDeregistered = 6037 => "the provider is deregistered: register again first",
        /// 6038 0x1796
        JobSerialMismatch = 6038 => "another instance of the job: it was closed and created again",
        /// 6039 0x1797
        ChallengeNotResolved = 6039 => "the challenge is not resolved yet",
        /// 6040 0x1798
        VoterNotFound = 6040 => "the verifier did not vote on this challenge",
        /// 6041 0x1799
        VoteAlreadyReleased = 6041 => "the verifier's vote on this challenge was already released",
        /// 6042 0x179a
        ChallengeResolved = 6042 => "the challenge is already resolved",
        /// 6043 0x179b
        AlreadyChallenged = 6043 => "the job was already challenged: an instance takes one challenge",
        /// 6044 0x179c
        NothingToClaim = 6044 => "the layer has no royalty to claim",
        /// 6045 0x179d
        InvalidRequestCid = 6045 => "the request CID must be a CIDv1 in base32 (b…), 10 to 64 characters",
        /// 6046 0x179e
        LayerMismatch = 6046 => "the layer accounts are not the job's layers, in order",
        /// 6047 0x179f
        LayerRepeated = 6047 => "a job names each layer once",
        /// 6048 0x17a0
        BaseModelMismatch = 6048 => "a job's layers must all apply to one base model",
        /// 6049 0x17a1
        VersionNotFound = 6049 => "the layer has no such version",
        /// 6050 0x17a2
        ScaleOutOfRange = 6050 => "a layer's scale is 1 to 20000 basis points",
        /// 6051 0x17a3
        LayerCountMismatch = 6051 => "a job takes 1 to 4 layers: one choice per layer account, none beyond",
    }
}
