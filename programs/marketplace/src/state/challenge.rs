use pinocchio::{error::ProgramError, AccountView, Address};

use crate::errors::MarketError;

/// Largest quorum: with votes closing once either side reaches it, at most `2 × 4 − 1` verifiers vote.
pub const MAX_QUORUM: u8 = 4;
/// Votes a challenge can hold.
pub const MAX_VOTERS: usize = 8;

spicetime_abi::borsh_enum! {
    /// How a challenge ended.
    pub enum ChallengeOutcome {
        /// A quorum found the receipt wrong: the provider was slashed, the client refunded.
        Upheld = 0,
        /// A quorum found the receipt right: the bond went to the provider.
        Rejected = 1,
        /// No quorum by the vote deadline: the bond went back; the job settles normally.
        Undecided = 2,
    }
}

impl Default for ChallengeOutcome {
    fn default() -> Self {
        ChallengeOutcome::Undecided
    }
}

spicetime_abi::account! {
    /// A challenge of a job's receipt, at PDA `["challenge", job]`.
    pub struct Challenge {
        job: Address,
        challenger: Address,
        /// $COMPUTE the challenger bonded (held in the job vault).
        bond: u64,
        opened_ts: i64,
        vote_deadline_ts: i64,
        upheld_votes: u8,
        rejected_votes: u8,
        /// Verifiers (authorities) that voted, in order; the rest are zeros.
        voters: [Address; 8],
        /// Canonical bump of the challenge PDA.
        bump: u8,
    }
}

impl Challenge {
    /// Reads a challenge; its owner and discriminator authenticate it, and it must be `job`'s.
    pub fn read(view: &AccountView, program_id: &Address, job: &Address) -> Result<Self, ProgramError> {
        use spicetime_abi::account::AccountData;
        let challenge = Self::load(view, program_id, "challenge")?;
        if &challenge.job != job {
            return Err(MarketError::JobStatusMismatch.into());
        }
        Ok(challenge)
    }

    /// Records `verifier`'s vote: once per verifier, and only until a side reaches `quorum`.
    pub fn vote(&mut self, verifier: &Address, upheld: bool, quorum: u8) -> Result<(), ProgramError> {
        if self.decided(quorum).is_some() {
            return Err(MarketError::VotingClosed.into());
        }
        let cast = (self.upheld_votes as usize).checked_add(self.rejected_votes as usize).ok_or(MarketError::ArithmeticOverflow)?;
        if self.voters[..cast].iter().any(|v| v == verifier) {
            return Err(MarketError::VerifierAlreadyVoted.into());
        }
        let slot = self.voters.get_mut(cast).ok_or(MarketError::VotingClosed)?;
        *slot = *verifier;
        let tally = if upheld { &mut self.upheld_votes } else { &mut self.rejected_votes };
        *tally = tally.checked_add(1).ok_or(MarketError::ArithmeticOverflow)?;
        Ok(())
    }

    /// The outcome once a side has `quorum` votes.
    pub fn decided(&self, quorum: u8) -> Option<ChallengeOutcome> {
        if self.upheld_votes >= quorum {
            Some(ChallengeOutcome::Upheld)
        } else if self.rejected_votes >= quorum {
            Some(ChallengeOutcome::Rejected)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u8) -> Address {
        Address::new_from_array([n; 32])
    }

    #[test]
    fn each_verifier_votes_once_until_a_quorum() {
        let mut c = Challenge::default();
        c.vote(&key(1), true, 2).unwrap();
        assert_eq!(c.vote(&key(1), false, 2), Err(ProgramError::Custom(6028)));
        c.vote(&key(2), false, 2).unwrap();
        assert_eq!(c.decided(2), None);
        c.vote(&key(3), true, 2).unwrap();
        assert_eq!(c.decided(2), Some(ChallengeOutcome::Upheld));
        assert_eq!(c.vote(&key(4), false, 2), Err(ProgramError::Custom(6031)));
    }

    #[test]
    fn the_largest_quorum_fits_the_voters() {
        let mut c = Challenge::default();
        for n in 0..(2 * MAX_QUORUM - 1) {
            c.vote(&key(n + 1), n % 2 == 0, MAX_QUORUM).unwrap();
        }
        assert_eq!(c.decided(MAX_QUORUM), Some(ChallengeOutcome::Upheld));
    }
}
