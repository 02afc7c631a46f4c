use pinocchio::{error::ProgramError, AccountView, Address};
use spicetime_abi::borsh::Text;

use crate::errors::MarketError;

spicetime_abi::account! {
    /// A registered inference provider, at PDA `["provider", authority]`, with its reputation.
    pub struct Provider {
        /// The wallet that registered (holds the collateral, is paid).
        authority: Address,
        /// The ed25519 key the provider's node signs receipts with.
        node_key: Address,
        /// Price in $COMPUTE base units per 1,000 tokens.
        price_per_thousand: u64,
        /// Jobs claimed and not yet settled, cancelled, expired or slashed.
        open_jobs: u64,
        jobs_completed: u64,
        jobs_challenged: u64,
        jobs_slashed: u64,
        tokens_served: u64,
        rating_sum: u64,
        rating_count: u64,
        /// $COMPUTE earned from jobs, all time.
        earned: u64,
        registered_ts: i64,
        heartbeat_ts: i64,
        /// Canonical bump of the provider PDA.
        bump: u8,
        /// Deregistered providers keep their record (counters included) and take no jobs until
        /// they register again.
        deregistered: bool,
        /// Where clients reach the node.
        endpoint: Text<128>,
        /// Base model ids served, comma-separated.
        base_models: Text<128>,
    }
}

impl Provider {
    /// Reads a provider; its owner and discriminator authenticate it (created only at its PDA,
    /// storing its authority).
    pub fn read(view: &AccountView, program_id: &Address) -> Result<Self, ProgramError> {
        use spicetime_abi::account::AccountData;
        Self::load(view, program_id, "provider")
    }

    /// Fails unless `authority` is the provider's.
    pub fn check_authority(&self, authority: &Address) -> Result<(), ProgramError> {
        if &self.authority != authority {
            return Err(MarketError::ProviderMismatch.into());
        }
        Ok(())
    }

    /// Fails once deregistered.
    pub fn check_registered(&self) -> Result<(), ProgramError> {
        if self.deregistered {
            return Err(MarketError::ProviderDeregistered.into());
        }
        Ok(())
    }

    /// Whether `model` is one of the comma-separated base models served.
    pub fn serves(&self, model: &[u8]) -> bool {
        self.base_models.as_bytes().split(|b| *b == b',').any(|m| m.trim_ascii() == model)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serves_each_listed_model_exactly() {
        let p = Provider { base_models: Text::new(b"llama-3-8b, qwen2-0.5b").unwrap(), ..Provider::default() };
        assert!(p.serves(b"llama-3-8b"));
        assert!(p.serves(b"qwen2-0.5b"));
        assert!(!p.serves(b"llama-3"));
        assert!(!p.serves(b""));
    }
}
