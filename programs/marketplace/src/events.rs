//! Events, one per state change, carrying the post-change values an indexer needs.

use pinocchio::Address;
use spicetime_abi::borsh::Text;

use crate::state::{ChallengeOutcome, JobLayer, MarketParams, Provider, VoteResult};

spicetime_abi::event! {
    /// The market configuration was created.
    pub struct MarketInitialized { admin: Address, cluster: Address, royalty_vault: Address, params: MarketParams }
}

spicetime_abi::event! {
    /// The market parameters changed.
    pub struct MarketUpdated { admin: Address, params: MarketParams }
}

spicetime_abi::event! {
    /// A layer was published (version 1).
    pub struct LayerPublished {
        layer: Address,
        mint: Address,
        creator: Address,
        /// All zeros when none.
        parent: Address,
        version: u32,
        sha256: [u8; 32],
        size: u64,
        price_per_thousand: u64,
        royalty_bps: u16,
        parent_share_bps: u16,
        published_ts: i64,
        name: Text<32>,
        base_model: Text<32>,
        license: Text<32>,
        cid: Text<64>,
    }
}

spicetime_abi::event! {
    /// A new version of a layer was published.
    pub struct LayerVersionPublished { layer: Address, version: u32, sha256: [u8; 32], size: u64, published_ts: i64, cid: Text<64> }
}

spicetime_abi::event! {
    /// A layer's floor price changed.
    pub struct LayerUpdated { layer: Address, price_per_thousand: u64 }
}

spicetime_abi::event! {
    /// A layer was retired.
    pub struct LayerRetired { layer: Address }
}

spicetime_abi::event! {
    /// A provider registered or changed its offer.
    pub struct ProviderRegistered {
        provider: Address,
        authority: Address,
        node_key: Address,
        price_per_thousand: u64,
        endpoint: Text<128>,
        base_models: Text<128>,
    }
}

impl ProviderRegistered {
    /// The event for `provider` at `address`.
    pub fn of(address: &Address, provider: &Provider) -> Self {
        ProviderRegistered {
            provider: *address,
            authority: provider.authority,
            node_key: provider.node_key,
            price_per_thousand: provider.price_per_thousand,
            endpoint: provider.endpoint,
            base_models: provider.base_models,
        }
    }
}

spicetime_abi::event! {
    /// A provider's node reported in.
    pub struct ProviderHeartbeat { provider: Address, heartbeat_ts: i64 }
}

spicetime_abi::event! {
    /// A provider left: its account stays, with its counters, marked deregistered.
    pub struct ProviderDeregistered { provider: Address, authority: Address }
}

spicetime_abi::event! {
    /// A verifier registered.
    pub struct VerifierRegistered { verifier: Address, authority: Address }
}

spicetime_abi::event! {
    /// A job was created and its escrow deposited: everything an indexer needs to rebuild it.
    pub struct JobCreated {
        job: Address,
        client: Address,
        job_id: u64,
        /// Unique to this instance of the job (its address repeats when the job id is re-used).
        serial: u64,
        layer_count: u8,
        /// The genome: the first `layer_count` entries, in order.
        layers: [JobLayer; 4],
        floor_per_thousand: u64,
        /// The provider asked for; all zeros for any.
        provider: Address,
        request_hash: [u8; 32],
        max_tokens: u64,
        max_price_per_thousand: u64,
        escrow: u64,
        created_ts: i64,
        request_cid: Text<64>,
    }
}

spicetime_abi::event! {
    /// A provider claimed a job.
    pub struct JobClaimed { job: Address, job_serial: u64, provider: Address, rate_per_thousand: u64, deadline_ts: i64, open_jobs: u64 }
}

spicetime_abi::event! {
    /// The provider's signed receipt was recorded.
    pub struct ReceiptSubmitted { job: Address, job_serial: u64, provider: Address, output_hash: [u8; 32], tokens_used: u64, settle_after_ts: i64, output_cid: Text<64> }
}

spicetime_abi::event! {
    /// A job was settled: every payment out of its escrow, to the base unit.
    pub struct JobSettled {
        job: Address,
        job_serial: u64,
        provider: Address,
        client: Address,
        tokens_used: u64,
        /// Tokens used at the job's rate, rounded up.
        price: u64,
        provider_payment: u64,
        /// All the layers' royalties, moved to the royalty vault.
        royalty: u64,
        /// Each layer's royalty, in the genome's order (0 past its last layer).
        royalties: [u64; 4],
        /// Each layer's unclaimed royalty now.
        accrued_royalties: [u64; 4],
        burned: u64,
        fee: u64,
        refund: u64,
        /// Paid by the economy program on top of the escrow.
        reward: u64,
        provider_jobs_completed: u64,
        /// Each layer's jobs completed now.
        layer_jobs_completed: [u64; 4],
    }
}

spicetime_abi::event! {
    /// A job was closed: cancelled, expired (`expired`), or closed after settlement (refund 0).
    pub struct JobClosed { job: Address, job_serial: u64, client: Address, provider: Address, refund: u64, expired: bool }
}

spicetime_abi::event! {
    /// The client rated a settled job.
    pub struct JobRated {
        job: Address,
        job_serial: u64,
        provider: Address,
        rating: u8,
        provider_rating_sum: u64,
        provider_rating_count: u64,
        /// Each layer's rating sum and count now, in the genome's order.
        layer_rating_sums: [u64; 4],
        layer_rating_counts: [u64; 4],
    }
}

spicetime_abi::event! {
    /// A receipt was challenged.
    pub struct ChallengeOpened { job: Address, job_serial: u64, challenge: Address, serial: u64, challenger: Address, bond: u64, vote_deadline_ts: i64 }
}

spicetime_abi::event! {
    /// A verifier voted; its collateral stays locked until its vote is released after resolution.
    pub struct ChallengeVoted { job: Address, challenge: Address, serial: u64, verifier: Address, upheld: bool, result_hash: [u8; 32], upheld_votes: u8, rejected_votes: u8 }
}

spicetime_abi::event! {
    /// A challenge was resolved.
    pub struct ChallengeResolved {
        job: Address,
        challenge: Address,
        serial: u64,
        outcome: ChallengeOutcome,
        challenger: Address,
        provider: Address,
        bond: u64,
        /// $UBC slashed from the provider's collateral.
        slashed: u64,
        /// $COMPUTE refunded to the client.
        refund: u64,
        upheld_votes: u8,
        rejected_votes: u8,
    }
}

spicetime_abi::event! {
    /// A voter's collateral lock was released after its challenge was resolved.
    pub struct ChallengeVoteReleased {
        challenge: Address,
        verifier: Address,
        result: VoteResult,
        votes_won: u64,
        votes_lost: u64,
        open_votes: u64,
        /// Whether it was the last voter, closing the challenge.
        closed: bool,
    }
}

spicetime_abi::event! {
    /// A layer's accrued royalty was claimed: the parent's share passed up to the parent layer's
    /// accrued royalty, the rest paid to the layer token's holder.
    pub struct RoyaltyClaimed {
        layer: Address,
        holder: Address,
        paid: u64,
        /// All zeros without a parent.
        parent: Address,
        passed_to_parent: u64,
        /// The parent's unclaimed royalty now (0 without a parent).
        parent_accrued_royalty: u64,
    }
}
