use spicetime_abi::prelude::*;

use crate::errors::MarketError;
use crate::events::ProviderDeregistered;
use crate::seeds::PROVIDER_SEED;
use crate::state::Provider;

spicetime_abi::instruction! {
    /// Closes a provider with no open job; the rent goes back to its wallet.
    pub struct ProviderDeregister = "provider_deregister" {
        accounts {
            /// 0. [writable, signer] The provider's wallet.
            authority: [writable, signer],
            /// 1. [writable] The provider PDA `["provider", authority]`, closed here.
            provider: [writable] pda({PROVIDER_SEED}, authority),
        }
        args {}
    }
}

pub fn process(mut ix: ProviderDeregister, program_id: &Address) -> ProgramResult {
    let provider = Provider::read(&ix.provider, program_id)?;
    provider.check_authority(ix.authority.address())?;
    if provider.open_jobs > 0 {
        return Err(MarketError::CannotWhileJobsOpen.into());
    }
    spicetime_abi::account::close(&mut ix.provider, &mut ix.authority)?;

    ProviderDeregistered { provider: *ix.provider.address(), authority: provider.authority }.emit();
    Ok(())
}
