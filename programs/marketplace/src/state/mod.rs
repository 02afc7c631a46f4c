//! The marketplace program's accounts, one file each.

pub mod challenge;
pub mod job;
pub mod layer;
pub mod layer_version;
pub mod market;
pub mod provider;
pub mod verifier;

pub use challenge::{Challenge, ChallengeOutcome, VoteResult, MAX_VOTERS};
pub use job::{Job, JobLayer, JobStatus, MAX_LAYERS, MAX_SCALE_BPS};
pub use layer::Layer;
pub use layer_version::LayerVersion;
pub use market::{Market, MarketParams};
pub use provider::Provider;
pub use verifier::Verifier;
