//! One module per instruction.

pub mod challenge_open;
pub mod challenge_resolve;
pub mod challenge_vote;
pub mod challenge_vote_release;
pub mod job_cancel;
pub mod job_claim;
pub mod job_close;
pub mod job_create;
pub mod job_expire;
pub mod job_rate;
pub mod job_receipt;
pub mod job_settle;
pub mod layer_publish;
pub mod layer_retire;
pub mod layer_royalty_claim;
pub mod layer_update;
pub mod layer_version_publish;
pub mod market_init;
pub mod market_update;
pub mod provider_deregister;
pub mod provider_heartbeat;
pub mod provider_register;
pub mod provider_update;
pub mod verifier_register;
