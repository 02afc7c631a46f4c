use spicetime_abi::prelude::*;

use crate::events::ProviderRegistered;
use crate::instructions::provider_register::ProviderSpec;
use crate::seeds::PROVIDER_SEED;
use crate::state::Provider;

spicetime_abi::instruction! {
    /// Changes a provider's node key, price, endpoint and models; jobs already claimed keep their rate.
    pub struct ProviderUpdate = "provider_update" {
        accounts {
            /// 0. [signer] The provider's wallet.
            authority: [signer],
            /// 1. [writable] The provider PDA `["provider", authority]`.
            provider: [writable] pda({PROVIDER_SEED}, authority),
        }
        args {
            spec: ProviderSpec,
        }
    }
}

pub fn process(mut ix: ProviderUpdate, program_id: &Address) -> ProgramResult {
    let mut provider = Provider::read(&ix.provider, program_id)?;
    provider.check_authority(ix.authority.address())?;
    provider.check_registered()?;
    ix.spec.check()?;
    provider.node_key = ix.spec.node_key;
    provider.price_per_thousand = ix.spec.price_per_thousand;
    provider.endpoint = ix.spec.endpoint;
    provider.base_models = ix.spec.base_models;
    provider.save(&mut ix.provider)?;

    ProviderRegistered::of(ix.provider.address(), &provider).emit();
    Ok(())
}
