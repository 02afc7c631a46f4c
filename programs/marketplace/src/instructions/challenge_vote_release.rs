use economy::marketplace::MARKETPLACE_CALLER;
use spicetime_abi::prelude::*;

use crate::economy_cpi::{collateral_release, EconomyCall};
use crate::errors::MarketError;
use crate::events::ChallengeVoteReleased;
use crate::state::{Challenge, Verifier, VoteResult};

spicetime_abi::instruction! {
    /// After a challenge is resolved, releases one voter's collateral lock (anyone may) and counts
    /// its vote as won or lost on its verifier account (neither when the challenge ended
    /// undecided). The last release closes the challenge (rent to the challenger).
    pub struct ChallengeVoteRelease = "challenge_vote_release" {
        accounts {
            /// 0. [writable] The resolved challenge.
            challenge: [writable],
            /// 1. [writable] The challenger (gets the rent when the challenge closes).
            challenger: [writable],
            /// 2. [writable] The voter's verifier PDA `["verifier", verifier_authority]`.
            verifier: [writable],
            /// 3. [] The voter's wallet.
            verifier_authority: [],
            /// 4. [writable] The voter's collateral PDA in the economy program.
            collateral: [writable],
            /// 5. [] The marketplace authority PDA `["economy_caller"]`.
            authority: [] address(MARKETPLACE_CALLER),
            /// 6. [] The economy program.
            economy_program: [] address(economy::ID),
        }
        args {}
    }
}

pub fn process(mut ix: ChallengeVoteRelease, program_id: &Address) -> ProgramResult {
    let mut challenge = Challenge::read_any(&ix.challenge, program_id)?;
    spicetime_abi::account::check_address(&ix.challenger, &challenge.challenger, "challenger")?;
    let mut verifier = Verifier::read(&ix.verifier, program_id)?;
    spicetime_abi::account::check_address(&ix.verifier_authority, &verifier.authority, "verifier_authority")?;
    let (result, closed) = challenge.release(&verifier.authority)?;

    collateral_release(&EconomyCall { program: &ix.economy_program, authority: &ix.authority }, &ix.verifier_authority, &ix.collateral)?;
    verifier.open_votes = verifier.open_votes.checked_sub(1).ok_or(MarketError::ArithmeticOverflow)?;
    match result {
        VoteResult::Won => verifier.votes_won = verifier.votes_won.checked_add(1).ok_or(MarketError::ArithmeticOverflow)?,
        VoteResult::Lost => verifier.votes_lost = verifier.votes_lost.checked_add(1).ok_or(MarketError::ArithmeticOverflow)?,
        VoteResult::Undecided => {}
    }
    verifier.save(&mut ix.verifier)?;
    if closed {
        spicetime_abi::account::close(&mut ix.challenge, &mut ix.challenger)?;
    } else {
        challenge.save(&mut ix.challenge)?;
    }

    ChallengeVoteReleased {
        challenge: *ix.challenge.address(),
        verifier: verifier.authority,
        result,
        votes_won: verifier.votes_won,
        votes_lost: verifier.votes_lost,
        open_votes: verifier.open_votes,
        closed,
    }
    .emit();
    Ok(())
}
