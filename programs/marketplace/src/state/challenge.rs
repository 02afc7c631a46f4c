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

spicetime_abi::borsh_enum! {
    /// How a verifier's vote fared once its challenge was resolved.
    pub enum VoteResult {
        /// On the side that reached the quorum.
        Won = 0,
        /// On the losing side of a decided challenge.
        Lost = 1,
        /// The challenge ended without a quorum.
        Undecided = 2,
    }
}

impl Default for VoteResult {
    fn default() -> Self {
        VoteResult::Undecided
    }
}

impl Default for ChallengeOutcome {
    fn default() -> Self {
        ChallengeOutcome::Undecided
    }
}

spicetime_abi::account! {
    /// A challenge of a job's receipt, at PDA `["challenge", job, job_serial]`: one per job
    /// instance. It stays after it is resolved until every voter's collateral lock is released.
    pub struct Challenge {
        job: Address,
        /// The serial of the job instance challenged.
        job_serial: u64,
        /// The market's challenge count at opening: unique to this challenge, part of every verdict.
        serial: u64,
        challenger: Address,
        /// $COMPUTE the challenger bonded (held in the job vault).
        bond: u64,
        opened_ts: i64,
        vote_deadline_ts: i64,
        /// Votes that decide it either way: the market's quorum when it opened (a later change of the
        /// market's parameters cannot turn a vote under way).
        quorum: u8,
        upheld_votes: u8,
        rejected_votes: u8,
        /// Verifiers (authorities) that voted, in order; the rest are zeros.
        voters: [Address; 8],
        /// Bit `i` set: voter `i` voted to uphold.
        upheld_mask: u8,
        /// Bit `i` set: voter `i`'s collateral lock was released after resolution.
        released_mask: u8,
        /// Set once resolved, with its outcome.
        resolved: bool,
        outcome: ChallengeOutcome,
        /// Canonical bump of the challenge PDA.
        bump: u8,
    }
}

impl Challenge {
    /// Reads a challenge; its owner and discriminator authenticate it (created only at its PDA).
    pub fn read_any(view: &AccountView, program_id: &Address) -> Result<Self, ProgramError> {
        use spicetime_abi::account::AccountData;
        Self::load(view, program_id, "challenge")
    }

    /// Reads the open challenge of `job`'s instance `job_serial`.
    pub fn read(view: &AccountView, program_id: &Address, job: &Address, job_serial: u64) -> Result<Self, ProgramError> {
        let challenge = Self::read_any(view, program_id)?;
        if &challenge.job != job {
            return Err(MarketError::JobStatusMismatch.into());
        }
        if challenge.job_serial != job_serial {
            return Err(MarketError::JobSerialMismatch.into());
        }
        if challenge.resolved {
            return Err(MarketError::ChallengeResolved.into());
        }
        Ok(challenge)
    }

    /// Votes cast so far.
    pub fn cast(&self) -> usize {
        self.upheld_votes as usize + self.rejected_votes as usize
    }

    /// Records `verifier`'s vote: once per verifier, and only until a side reaches `quorum`.
    pub fn vote(&mut self, verifier: &Address, upheld: bool, quorum: u8) -> Result<(), ProgramError> {
        if self.decided(quorum).is_some() {
            return Err(MarketError::VotingClosed.into());
        }
        let cast = self.cast();
        if self.voters[..cast].iter().any(|v| v == verifier) {
            return Err(MarketError::VerifierAlreadyVoted.into());
        }
        let slot = self.voters.get_mut(cast).ok_or(MarketError::VotingClosed)?;
        *slot = *verifier;
        if upheld {
            self.upheld_mask |= 1 << cast;
        }
        let tally = if upheld { &mut self.upheld_votes } else { &mut self.rejected_votes };
        *tally = tally.checked_add(1).ok_or(MarketError::ArithmeticOverflow)?;
        Ok(())
    }

    /// Marks `verifier`'s vote released after resolution and returns how it fared, and whether
    /// every voter is now released.
    pub fn release(&mut self, verifier: &Address) -> Result<(VoteResult, bool), ProgramError> {
        if !self.resolved {
            return Err(MarketError::ChallengeNotResolved.into());
        }
        let cast = self.cast();
        let i = self.voters[..cast].iter().position(|v| v == verifier).ok_or(MarketError::VoterNotFound)?;
        if self.released_mask & (1 << i) != 0 {
            return Err(MarketError::VoteAlreadyReleased.into());
        }
        self.released_mask |= 1 << i;
        let upheld = self.upheld_mask & (1 << i) != 0;
        let won = match self.outcome {
            ChallengeOutcome::Upheld => upheld,
            ChallengeOutcome::Rejected => !upheld,
            ChallengeOutcome::Undecided => return Ok((VoteResult::Undecided, self.all_released())),
        };
        Ok((if won { VoteResult::Won } else { VoteResult::Lost }, self.all_released()))
    }

    /// Whether every voter's lock is released (true with no voters).
    pub fn all_released(&self) -> bool {
        self.released_mask.count_ones() as usize == self.cast()
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
    fn each_voter_is_released_once_after_resolution_and_judged_by_the_outcome() {
        let mut c = Challenge::default();
        c.vote(&key(1), true, 2).unwrap();
        c.vote(&key(2), false, 2).unwrap();
        c.vote(&key(3), true, 2).unwrap();
        assert_eq!(c.release(&key(1)), Err(ProgramError::Custom(6039)));
        c.resolved = true;
        c.outcome = ChallengeOutcome::Upheld;
        assert_eq!(c.release(&key(9)), Err(ProgramError::Custom(6040)));
        assert_eq!(c.release(&key(2)), Ok((VoteResult::Lost, false)));
        assert_eq!(c.release(&key(2)), Err(ProgramError::Custom(6041)));
        assert_eq!(c.release(&key(1)), Ok((VoteResult::Won, false)));
        assert_eq!(c.release(&key(3)), Ok((VoteResult::Won, true)));
        let mut u = Challenge { resolved: true, ..Challenge::default() };
        assert!(u.all_released());
        u.vote(&key(1), false, 2).unwrap();
        assert_eq!(u.release(&key(1)), Ok((VoteResult::Undecided, true)));
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
