//! How a settled job's escrow divides, to the base unit: the job's price (tokens used at the
//! claimed rate, rounded up, and at least [`MIN_JOB_PRICE`] once it is not zero) pays the burn,
//! the treasury fee, each layer's royalty (accrued to the layer; the parent's share passes up when
//! it is claimed) and the provider; the rest of the escrow goes back to the client. The parts always add
//! up to the escrow exactly.
//!
//! The protocol's parts (burn and fee) are rounded up, so no job escapes them by being small: a
//! priced job pays at least one base unit of each non-zero rate. The royalty rounds down. The
//! provider's reward, paid by the economy program on top, never exceeds the burn and fee together:
//! a provider that is its own client and layer holder gets back at most what it paid the protocol.

use pinocchio::error::ProgramError;

use crate::errors::MarketError;
use crate::state::market::BPS;
use crate::state::MAX_LAYERS;

/// The rates a split applies, in basis points.
#[derive(Clone, Copy, Debug, Default)]
pub struct Rates {
    pub burn_bps: u16,
    pub fee_bps: u16,
    /// Each layer's royalty (0 past the genome's last layer).
    pub royalty_bps: [u16; MAX_LAYERS],
    pub reward_bps: u16,
}

/// The least a job that used tokens at a non-zero rate pays, in base units: with each protocol rate
/// at most 10% (the economy's bounds), rounding both up still leaves their sum within the price.
pub const MIN_JOB_PRICE: u64 = 2;

/// A settled job's payments in $COMPUTE base units.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Split {
    /// The job's price: tokens used at the rate, rounded up, at least [`MIN_JOB_PRICE`] unless zero.
    pub price: u64,
    pub burn: u64,
    pub fee: u64,
    /// Royalty accrued to each layer.
    pub royalties: [u64; MAX_LAYERS],
    /// Their sum.
    pub royalty: u64,
    pub provider: u64,
    pub refund: u64,
    /// Reward the economy program pays the provider on top (not from the escrow): at most burn + fee.
    pub reward: u64,
}

fn bps_product(amount: u64, bps: u16) -> Result<u128, ProgramError> {
    // amount × bps / 10,000 ≤ amount when bps ≤ 10,000; larger bps can still not overflow u128.
    (amount as u128).checked_mul(bps as u128).ok_or_else(|| MarketError::ArithmeticOverflow.into())
}

fn to_u64(part: u128) -> Result<u64, ProgramError> {
    u64::try_from(part).map_err(|_| MarketError::ArithmeticOverflow.into())
}

/// `bps` of `amount`, rounded down.
pub fn bps_of(amount: u64, bps: u16) -> Result<u64, ProgramError> {
    to_u64(bps_product(amount, bps)? / BPS as u128)
}

/// `bps` of `amount`, rounded up.
fn bps_of_ceil(amount: u64, bps: u16) -> Result<u64, ProgramError> {
    to_u64(bps_product(amount, bps)?.div_ceil(BPS as u128))
}

/// What a job escrowing `escrow` that used `tokens` at `rate_per_thousand` costs: rounded up, and
/// at least [`MIN_JOB_PRICE`] when not zero, never more than the escrow.
pub fn price(escrow: u64, tokens: u64, rate_per_thousand: u64) -> Result<u64, ProgramError> {
    let price = crate::state::Job::price_of(tokens, rate_per_thousand)?;
    Ok(if price == 0 { 0 } else { price.max(MIN_JOB_PRICE).min(escrow) })
}

/// Splits `escrow` (at least [`MIN_JOB_PRICE`], as `job_create` requires) for a job that used
/// `tokens` at `rate_per_thousand`.
pub fn split(escrow: u64, tokens: u64, rate_per_thousand: u64, rates: Rates) -> Result<Split, ProgramError> {
    let price = price(escrow, tokens, rate_per_thousand)?;
    let refund = escrow.checked_sub(price).ok_or(MarketError::ArithmeticOverflow)?;
    // Rounded up, then bounded by what is left, so the parts never exceed the price even under
    // rates beyond the economy's bounds.
    let overflow = || ProgramError::from(MarketError::ArithmeticOverflow);
    let burn = bps_of_ceil(price, rates.burn_bps)?.min(price);
    let after_burn = price.checked_sub(burn).ok_or_else(overflow)?;
    let fee = bps_of_ceil(price, rates.fee_bps)?.min(after_burn);
    let after_protocol = after_burn.checked_sub(fee).ok_or_else(overflow)?;
    // Economy parameters may change after a layer is published: the royalties never take more than
    // what the burn and fee leave, so settlement cannot fail on it.
    // what the burn and fee leave, shared pro rata (rounded down; the dust to the provider) when capped.
    // (summed in u128: four royalties of a price near u64::MAX must not overflow)
    let mut royalties = [0u64; MAX_LAYERS];
    let mut wanted: u128 = 0;
    for (r, bps) in royalties.iter_mut().zip(rates.royalty_bps) {
        *r = bps_of(price, bps)?;
        wanted = wanted.checked_add(*r as u128).ok_or_else(overflow)?;
    }
    if wanted > after_protocol as u128 {
        for r in royalties.iter_mut() {
            *r = to_u64((*r as u128).checked_mul(after_protocol as u128).ok_or_else(overflow)? / wanted)?;
        }
    }
    let royalty = royalties.iter().try_fold(0u64, |a, r| a.checked_add(*r)).ok_or_else(overflow)?;
    let provider = after_protocol.checked_sub(royalty).ok_or_else(overflow)?;
    let reward = bps_of(price, rates.reward_bps)?.min(burn.checked_add(fee).ok_or_else(overflow)?);
    Ok(Split { price, burn, fee, royalties, royalty, provider, refund, reward })
}

impl Split {
    /// The sum of every part paid out of the escrow.
    pub fn total(&self) -> Option<u64> {
        [self.burn, self.fee, self.royalty, self.provider, self.refund].iter().try_fold(0u64, |a, b| a.checked_add(*b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rates() -> Rates {
        Rates { burn_bps: 50, fee_bps: 100, royalty_bps: [1_000, 0, 0, 0], reward_bps: 200 }
    }

    #[test]
    fn a_worked_example() {
        // 1,500 tokens at 2,000 per 1k = 3,000; escrow for 2,000 tokens at 2,500 per 1k = 5,000.
        let s = split(5_000, 1_500, 2_000, rates()).unwrap();
        assert_eq!(s, Split { price: 3_000, burn: 15, fee: 30, royalties: [300, 0, 0, 0], royalty: 300, provider: 2_655, refund: 2_000, reward: 45 });
    }

    #[test]
    fn tiny_jobs_pay_one_base_unit_of_each_protocol_rate() {
        // 1 token at 1,000 per 1k costs 1, raised to the minimum of 2: one unit burned, one to the treasury.
        let s = split(10, 1, 1_000, Rates { burn_bps: 50, fee_bps: 100, ..Rates::default() }).unwrap();
        assert_eq!((s.price, s.burn, s.fee, s.provider, s.refund), (2, 1, 1, 0, 8));
        // 199 base units used to burn 0 (0.5% rounded down) and pay no fee below 100.
        let s = split(1_000, 199, 1_000, Rates { burn_bps: 50, fee_bps: 100, ..Rates::default() }).unwrap();
        assert_eq!((s.burn, s.fee), (1, 2));
        // Nothing used, nothing paid.
        let s = split(10, 0, 1_000, rates()).unwrap();
        assert_eq!((s.price, s.burn, s.fee, s.refund), (0, 0, 0, 10));
        // A rate of zero prices nothing.
        assert_eq!(split(10, 1_000, 0, rates()).unwrap().price, 0);
        // An escrow of 1 (created before the minimum) still settles: the price never exceeds it.
        let s = split(1, 1, 1_000, rates()).unwrap();
        assert_eq!((s.price, s.total()), (1, Some(1)));
    }

    #[test]
    fn the_reward_never_exceeds_what_the_protocol_took() {
        let s = split(10_000, 1_000, 10_000, Rates { burn_bps: 50, fee_bps: 100, reward_bps: 10_000, ..Rates::default() }).unwrap();
        assert_eq!((s.burn, s.fee, s.reward), (50, 100, 150));
        let s = split(10_000, 1_000, 10_000, Rates { burn_bps: 0, fee_bps: 0, reward_bps: 5_000, ..Rates::default() }).unwrap();
        assert_eq!(s.reward, 0);
    }

    #[test]
    fn parts_always_add_up_to_the_escrow() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = |m: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % m
        };
        for _ in 0..100_000 {
            let max_tokens = next(1_000_000) + 1;
            let max_price = next(10_000_000) + 1;
            let escrow = crate::state::Job::price_of(max_tokens, max_price).unwrap().max(MIN_JOB_PRICE);
            let tokens = next(max_tokens + 1);
            let rate = next(max_price + 1);
            let r = Rates { burn_bps: next(1_001) as u16, fee_bps: next(1_001) as u16, royalty_bps: [next(10_001) as u16, next(10_001) as u16, next(10_001) as u16, next(10_001) as u16], reward_bps: next(10_001) as u16 };
            let s = split(escrow, tokens, rate, r).unwrap();
            assert_eq!(s.total(), Some(escrow));
            assert!(s.price <= escrow);
            // A priced job pays at least one unit of each non-zero protocol rate, and the reward
            // never exceeds what the protocol took.
            if s.price > 0 {
                assert!(r.burn_bps == 0 || s.burn >= 1);
                assert!(r.fee_bps == 0 || s.fee >= 1);
            }
            assert!(s.reward <= s.burn + s.fee);
        }
    }

    #[test]
    fn the_royalty_yields_to_the_protocol_share() {
        let s = split(10_000, 1_000, 10_000, Rates { burn_bps: 1_000, fee_bps: 1_000, royalty_bps: [9_000, 0, 0, 0], ..Rates::default() }).unwrap();
        assert_eq!((s.burn, s.fee, s.royalty, s.provider), (1_000, 1_000, 8_000, 0));
        // Four layers asking 3,000 + 3,000 + 2,000 + 1,000 bps of 10,000 share the 8,000 left pro rata
        let s = split(10_000, 1_000, 10_000, Rates { burn_bps: 1_000, fee_bps: 1_000, royalty_bps: [3_000, 3_000, 2_000, 1_000], ..Rates::default() }).unwrap();
        assert_eq!((s.royalties, s.royalty, s.provider), ([2_666, 2_666, 1_777, 888], 7_997, 3));
        // Four royalties of a price near u64::MAX are summed without overflow (found in review)
        let big = u64::MAX / 2;
        let s = split(big, big, 1_000, Rates { burn_bps: 0, fee_bps: 0, royalty_bps: [3_000; 4], ..Rates::default() }).unwrap();
        assert_eq!(s.total(), Some(big));
        assert!(s.royalty <= big);
    }
}
