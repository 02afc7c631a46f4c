use pinocchio::sysvars::{clock::Clock, Sysvar};
use spicetime_abi::borsh::Text;
use spicetime_abi::cpi::{create_pda_account, NewAccount};
use spicetime_abi::prelude::*;

use crate::collateral::check_collateral;
use crate::errors::MarketError;
use crate::escrow::economy_config;
use crate::events::ProviderRegistered;
use crate::seeds::PROVIDER_SEED;
use crate::state::Provider;

spicetime_abi::borsh_struct! {
    /// What a provider offers.
    pub struct ProviderSpec {
        /// The ed25519 key the node signs receipts with.
        node_key: Address,
        /// Price in $COMPUTE base units per 1,000 tokens.
        price_per_thousand: u64,
        /// Where clients reach the node (1 to 128 bytes).
        endpoint: Text<128>,
        /// Base model ids served, comma-separated (1 to 128 bytes).
        base_models: Text<128>,
    }
}

impl ProviderSpec {
    /// Fails on an empty endpoint or model list.
    pub fn check(&self) -> Result<(), ProgramError> {
        if self.endpoint.is_empty() || self.base_models.is_empty() {
            return Err(MarketError::InvalidName.into());
        }
        Ok(())
    }
}

spicetime_abi::instruction! {
    /// Registers a provider; its $UBC collateral in the economy program must hold at least the
    /// economy's provider minimum. A provider that deregistered registers again into its old
    /// record: the new offer, the counters kept.
    pub struct ProviderRegister = "provider_register" {
        accounts {
            /// 0. [writable, signer] The provider's wallet, who pays the rent.
            authority: [writable, signer],
            /// 1. [writable] The provider PDA `["provider", authority]`, created here (or reactivated).
            provider: [writable] seeds({PROVIDER_SEED}, authority),
            /// 2. [] The economy program's config.
            economy_config: [],
            /// 3. [] The wallet's collateral PDA in the economy program `["collateral", authority]`.
            collateral: [],
            /// 4. [] The System program.
            system_program: [] address(SYSTEM_PROGRAM_ID),
        }
        args {
            spec: ProviderSpec,
        }
    }
}

pub fn process(mut ix: ProviderRegister, program_id: &Address) -> ProgramResult {
    ix.spec.check()?;
    let economy = economy_config(&ix.economy_config)?;
    check_collateral(&economy, &ix.collateral, ix.authority.address())?;
    let now = Clock::get()?.unix_timestamp;
    if ix.provider.owned_by(program_id) {
        return reregister(ix, program_id, now);
    }
    if !ix.provider.owned_by(&SYSTEM_PROGRAM_ID) || !ix.provider.is_data_empty() {
        return Err(fail_account(AnchorErrorCode::AccountDiscriminatorAlreadySet, "provider"));
    }
    let provider = Provider {
        authority: *ix.authority.address(),
        node_key: ix.spec.node_key,
        price_per_thousand: ix.spec.price_per_thousand,
        registered_ts: now,
        heartbeat_ts: now,
        bump: ix.provider.bump,
        endpoint: ix.spec.endpoint,
        base_models: ix.spec.base_models,
        ..Provider::default()
    };
    let bump = [ix.provider.bump];
    let seeds = [Seed::from(PROVIDER_SEED), Seed::from(ix.authority.address().as_ref()), Seed::from(&bump)];
    create_pda_account(&NewAccount { payer: &ix.authority, account: &ix.provider, space: Provider::SPACE, owner: program_id }, &seeds)?;
    provider.save(&mut ix.provider)?;

    ProviderRegistered::of(ix.provider.address(), &provider).emit();
    Ok(())
}

/// Reactivates a deregistered provider's record (at its PDA, so its own) with the new offer.
fn reregister(mut ix: ProviderRegister, program_id: &Address, now: i64) -> ProgramResult {
    let mut provider = Provider::read(&ix.provider, program_id)?;
    provider.check_authority(ix.authority.address())?;
    if !provider.deregistered {
        return Err(fail_account(AnchorErrorCode::AccountDiscriminatorAlreadySet, "provider"));
    }
    provider.deregistered = false;
    provider.node_key = ix.spec.node_key;
    provider.price_per_thousand = ix.spec.price_per_thousand;
    provider.endpoint = ix.spec.endpoint;
    provider.base_models = ix.spec.base_models;
    provider.registered_ts = now;
    provider.heartbeat_ts = now;
    provider.save(&mut ix.provider)?;

    ProviderRegistered::of(ix.provider.address(), &provider).emit();
    Ok(())
}
