use spicetime_abi::prelude::*;

use crate::errors::MarketError;
use crate::events::ProviderDeregistered;
use crate::seeds::PROVIDER_SEED;
use crate::state::Provider;

spicetime_abi::instruction! {
    /// Deregisters a provider with no open job. The account stays, marked deregistered, with its
    /// counters (jobs completed, challenged, slashed, ratings): registering again resumes the same
    /// record, so a provider cannot shed a bad one by leaving.
    pub struct ProviderDeregister = "provider_deregister" {
        accounts {
            /// 0. [signer] The provider's wallet.
            authority: [signer],
            /// 1. [writable] The provider PDA `["provider", authority]`.
            provider: [writable] pda({PROVIDER_SEED}, authority),
        }
        args {}
    }
}

pub fn process(mut ix: ProviderDeregister, program_id: &Address) -> ProgramResult {
    let mut provider = Provider::read(&ix.provider, program_id)?;
    provider.check_authority(ix.authority.address())?;
    provider.check_registered()?;
    if provider.open_jobs > 0 {
        return Err(MarketError::CannotWhileJobsOpen.into());
    }
    provider.deregistered = true;
    provider.save(&mut ix.provider)?;

    ProviderDeregistered { provider: *ix.provider.address(), authority: provider.authority }.emit();
    Ok(())
}
