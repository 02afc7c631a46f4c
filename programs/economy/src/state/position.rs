use pinocchio::{error::ProgramError, Address};

use crate::errors::EconomyError;

spicetime_abi::borsh_enum! {
    /// Lockup tiers; their lockups and yield rates live in the config.
    pub enum Tier {
        /// No lockup; withdrawal after the unlock cooldown.
        Flexible = 0,
        /// 90 days by default.
        Days90 = 1,
        /// 165 days by default.
        Days165 = 2,
        /// 365 days by default.
        Days365 = 3,
    }
}

impl Default for Tier {
    fn default() -> Self {
        Tier::Flexible
    }
}

/// Seconds in a day, the unit of yield rates.
const DAY: u128 = 86_400;

spicetime_abi::account! {
    #[zero_copy]
    /// A stake of $UBC, at PDA `["position", owner, position_id]`.
    pub struct Position {
        owner: Address,
        /// The owner's number for this position.
        position_id: u64,
        tier: Tier,
        /// $UBC staked, in base units.
        amount: u64,
        /// The tier's yield rate when the stake was made ($COMPUTE base units per day per 1,000 $UBC).
        rate: u64,
        /// When the stake was made (unix seconds).
        start_ts: i64,
        /// When the lockup ends (unix seconds).
        lockup_end_ts: i64,
        /// When the stake was unlocked; 0 while it is not. Yield stops accruing then.
        unlocked_ts: i64,
        /// Yield paid so far, in $COMPUTE base units.
        claimed: u64,
        /// Canonical bump of the position PDA.
        bump: u8,
    }
}

impl Position {
    /// Reads a position and checks it is `owner`'s number `position_id`: with its owner and
    /// discriminator (the program creates positions only at their canonical PDA, storing both),
    /// that authenticates it as the PDA `["position", owner, position_id]`.
    pub fn read(view: &pinocchio::AccountView, program_id: &Address, owner: &Address, position_id: u64) -> Result<Self, ProgramError> {
        use spicetime_abi::account::AccountData;
        let position = Self::load(view, program_id, "position")?;
        position.check_of(owner, position_id)?;
        Ok(position)
    }

    /// The position in place (same checks as [`Self::read`]): changes need no save.
    pub fn read_mut<'a>(view: &'a mut pinocchio::AccountView, program_id: &Address, owner: &Address, position_id: u64) -> Result<&'a mut Self, ProgramError> {
        use spicetime_abi::account::AccountData;
        let position = Self::load_mut(view, program_id, "position")?;
        position.check_of(owner, position_id)?;
        Ok(position)
    }

    /// Fails unless this is `owner`'s position number `position_id`.
    fn check_of(&self, owner: &Address, position_id: u64) -> Result<(), ProgramError> {
        if &self.owner != owner || { self.position_id } != position_id {
            return Err(EconomyError::PositionOwnerMismatch.into());
        }
        Ok(())
    }

    /// All yield earned from the start to `now` (or to the unlock), rounded down:
    /// `amount × rate × seconds / (86,400 × 1,000 × 10^ubc_decimals)`, exact in u128.
    /// Computed from the start each time, so repeated claims never drift.
    pub fn accrued(&self, now: i64, ubc_decimals: u8) -> Result<u64, ProgramError> {
        let end = if self.unlocked_ts != 0 { self.unlocked_ts } else { now };
        let seconds = end.saturating_sub(self.start_ts).max(0) as u128;
        let overflow = || ProgramError::from(EconomyError::ArithmeticOverflow);
        let denominator = DAY
            .checked_mul(1_000)
            .and_then(|d| d.checked_mul(10u128.checked_pow(ubc_decimals as u32)?))
            .ok_or_else(overflow)?;
        let per_second = (self.amount as u128).checked_mul(self.rate as u128).ok_or_else(overflow)?;
        // (q·d + r)·s / d = q·s + r·s / d, with r·s < d·s small enough for u128. One division
        // gives q and r (128-bit division is a software loop on SBPF).
        let q = per_second / denominator;
        let r = per_second - q * denominator;
        let whole = q.checked_mul(seconds).ok_or_else(overflow)?;
        let part = r.checked_mul(seconds).ok_or_else(overflow)? / denominator;
        let total = whole.checked_add(part).ok_or_else(overflow)?;
        u64::try_from(total).map_err(|_| overflow())
    }

    /// Yield earned and not yet paid.
    pub fn claimable(&self, now: i64, ubc_decimals: u8) -> Result<u64, ProgramError> {
        self.accrued(now, ubc_decimals)?.checked_sub(self.claimed).ok_or_else(|| EconomyError::ArithmeticOverflow.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn position(amount: u64, rate: u64) -> Position {
        Position { amount, rate, start_ts: 1_000, lockup_end_ts: 1_000, ..Position::default() }
    }

    /// The same formula over big integers: what the u128 arithmetic must match.
    fn reference(amount: u64, rate: u64, seconds: u64, decimals: u32) -> u128 {
        let numerator = amount as u128 * rate as u128;
        // numerator × seconds can exceed u128: split seconds to stay exact.
        let d = 86_400u128 * 1_000 * 10u128.pow(decimals);
        (numerator / d) * seconds as u128 + (numerator % d) * seconds as u128 / d
    }

    #[test]
    fn pays_the_tokenomics_rates() {
        // 1,000 $UBC (9 decimals) at 0.3 $COMPUTE/day (9 decimals) for one day = 0.3 $COMPUTE.
        let p = position(1_000 * 10u64.pow(9), 300_000_000);
        assert_eq!(p.accrued(1_000 + 86_400, 9), Ok(300_000_000));
        assert_eq!(p.accrued(1_000 + 365 * 86_400, 9), Ok(109_500_000_000));
    }

    #[test]
    fn rounds_down_never_in_the_users_favour() {
        // 1 base unit at 1 $COMPUTE/day: 1e9 / (86400 * 1000 * 1e9) per second rounds to 0.
        let p = position(1, 1_000_000_000);
        assert_eq!(p.accrued(1_000 + 86_399, 9), Ok(0));
        let q = position(7, 999);
        for s in [0u64, 1, 59, 86_399, 10_000_000] {
            assert_eq!(q.accrued(1_000 + s as i64, 0), Ok(reference(7, 999, s, 0) as u64));
        }
    }

    #[test]
    fn claims_in_pieces_sum_to_one_claim() {
        let mut p = position(123_456_789_012, 777_777_777);
        let mut paid = 0u64;
        for now in (1_000..1_000 + 30 * 86_400).step_by(3_607) {
            let due = p.claimable(now, 6).unwrap();
            p.claimed += due;
            paid += due;
        }
        let end = 1_000 + 30 * 86_400;
        paid += p.claimable(end, 6).unwrap();
        assert_eq!(paid, p.accrued(end, 6).unwrap());
        assert_eq!(paid as u128, reference(123_456_789_012, 777_777_777, 30 * 86_400, 6));
    }

    #[test]
    fn stops_at_unlock_and_before_start() {
        let mut p = position(1_000_000_000_000, 1_000_000_000);
        p.unlocked_ts = 1_000 + 86_400;
        assert_eq!(p.accrued(1_000 + 10 * 86_400, 9), p.accrued(1_000 + 86_400, 9));
        // A clock before the start (it never runs backwards, but) earns nothing.
        assert_eq!(position(1_000_000_000_000, 1_000_000_000).accrued(0, 9), Ok(0));
    }

    #[test]
    fn overflow_is_an_error_not_a_wrap() {
        let p = position(u64::MAX, MAX);
        assert_eq!(p.accrued(i64::MAX, 0), Err(ProgramError::Custom(6015)));
    }

    const MAX: u64 = u64::MAX;
}
