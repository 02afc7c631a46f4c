//! SpiceTime marketplace program: layers as on-chain assets, providers, job escrow, signed
//! receipts, settlement with royalties, challenges decided by a verifier quorum. This file is
//! the table of contents: the program id, then one line per instruction.
#![cfg_attr(not(any(test, feature = "idl-build")), no_std)]

pinocchio::address::declare_id!("3Rf8ea8PGeZka92tsrQvfGEzSv8jJDqGrcxH71VMXS5k");

pub mod asset;
pub mod collateral;
pub mod economy_cpi;
pub mod errors;
pub mod escrow;
pub mod events;
pub mod genome;
pub mod instructions;
pub mod messages;
pub mod seeds;
pub mod split;
pub mod state;

use instructions::*;

spicetime_abi::program! {
    id = ID;
    name = "marketplace";
    instructions {
        // Admin
        /// Creates the market configuration; the signer becomes its admin.
        market_init::MarketInit => market_init::process,
        /// Replaces the bounded parameters.
        market_update::MarketUpdate => market_update::process,
        // Creator (the layer token's holder)
        /// Publishes a layer: a Token-2022 mint with metadata, supply 1, to the creator.
        layer_publish::LayerPublish => layer_publish::process,
        /// Publishes a new version of a layer's weights.
        layer_version_publish::LayerVersionPublish => layer_version_publish::process,
        /// Sets a layer's floor price.
        layer_update::LayerUpdate => layer_update::process,
        /// Retires a layer: no new jobs.
        layer_retire::LayerRetire => layer_retire::process,
        /// Pays a layer's accrued royalty to its holder, passing the parent's share up (anyone may crank it).
        layer_royalty_claim::LayerRoyaltyClaim => layer_royalty_claim::process,
        // Provider
        /// Registers a provider backed by its economy collateral.
        provider_register::ProviderRegister => provider_register::process,
        /// Changes a provider's node key, price, endpoint and models.
        provider_update::ProviderUpdate => provider_update::process,
        /// Records that the provider's node is alive.
        provider_heartbeat::ProviderHeartbeatIx => provider_heartbeat::process,
        /// Deregisters a provider with no open job (its record stays).
        provider_deregister::ProviderDeregister => provider_deregister::process,
        /// Claims an open job at the provider's price.
        job_claim::JobClaim => job_claim::process,
        /// Records the provider's ed25519-signed receipt.
        job_receipt::JobReceipt => job_receipt::process,
        // Client
        /// Creates a job and escrows its $COMPUTE.
        job_create::JobCreate => job_create::process,
        /// Cancels an unclaimed job: full refund.
        job_cancel::JobCancel => job_cancel::process,
        /// Rates a settled job and closes it.
        job_rate::JobRate => job_rate::process,
        /// Closes a settled job without rating it.
        job_close::JobClose => job_close::process,
        // Verifier
        /// Registers a verifier backed by its economy collateral.
        verifier_register::VerifierRegister => verifier_register::process,
        /// Records a verifier's ed25519-signed verdict on a challenge and locks its collateral.
        challenge_vote::ChallengeVote => challenge_vote::process,
        // Anyone
        /// Settles a job after its challenge window, paying everyone at once.
        job_settle::JobSettle => job_settle::process,
        /// Expires a claimed job with no receipt by its deadline: full refund.
        job_expire::JobExpire => job_expire::process,
        /// Challenges a receipt within its window, with a bond.
        challenge_open::ChallengeOpen => challenge_open::process,
        /// Resolves a challenge by its quorum or its deadline.
        challenge_resolve::ChallengeResolve => challenge_resolve::process,
        /// Releases a voter's collateral lock after resolution and counts its vote won or lost.
        challenge_vote_release::ChallengeVoteRelease => challenge_vote_release::process,
    }
    accounts [state::Market, state::Layer, state::LayerVersion, state::Provider, state::Verifier, state::Job, state::Challenge]
    events [
        events::MarketInitialized, events::MarketUpdated, events::LayerPublished, events::LayerVersionPublished,
        events::LayerUpdated, events::LayerRetired, events::ProviderRegistered, events::ProviderHeartbeat,
        events::ProviderDeregistered, events::VerifierRegistered, events::JobCreated, events::JobClaimed,
        events::ReceiptSubmitted, events::JobSettled, events::JobClosed, events::JobRated, events::ChallengeOpened,
        events::ChallengeVoted, events::ChallengeResolved, events::ChallengeVoteReleased, events::RoyaltyClaimed,
    ]
    types [
        state::MarketParams, state::JobStatus, state::ChallengeOutcome, state::VoteResult, state::JobLayer,
        instructions::job_create::LayerChoice, instructions::layer_publish::LayerSpec, instructions::provider_register::ProviderSpec,
    ]
    errors errors::MarketError;
}

#[cfg(test)]
mod tests {
    #[test]
    fn id_is_the_one_the_economy_trusts() {
        assert_eq!(super::ID, economy::marketplace::MARKETPLACE_PROGRAM_ID);
    }
}
