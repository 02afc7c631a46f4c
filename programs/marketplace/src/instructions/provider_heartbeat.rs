use pinocchio::sysvars::{clock::Clock, Sysvar};
use spicetime_abi::prelude::*;

use crate::events::ProviderHeartbeat;
use crate::state::Provider;

spicetime_abi::instruction! {
    /// Records that the provider's node is alive.
    pub struct ProviderHeartbeatIx = "provider_heartbeat" {
        accounts {
            /// 0. [signer] The provider's wallet or its node key.
            signer: [signer],
            /// 1. [writable] The provider PDA `["provider", authority]`.
            provider: [writable],
        }
        args {}
    }
}

pub fn process(mut ix: ProviderHeartbeatIx, program_id: &Address) -> ProgramResult {
    let mut provider = Provider::read(&ix.provider, program_id)?;
    if ix.signer.address() != &provider.node_key {
        provider.check_authority(ix.signer.address())?;
    }
    provider.check_registered()?;
    provider.heartbeat_ts = Clock::get()?.unix_timestamp;
    provider.save(&mut ix.provider)?;

    ProviderHeartbeat { provider: *ix.provider.address(), heartbeat_ts: provider.heartbeat_ts }.emit();
    Ok(())
}
