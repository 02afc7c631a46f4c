use pinocchio::{error::ProgramError, AccountView, Address};

spicetime_abi::account! {
    /// A registered verifier, at PDA `["verifier", authority]`: it re-runs challenged jobs and
    /// signs its verdict with its authority key.
    pub struct Verifier {
        authority: Address,
        votes_cast: u64,
        /// Votes on challenges not yet resolved and released: its collateral stays locked meanwhile.
        open_votes: u64,
        /// Votes on the winning side of a decided challenge.
        votes_won: u64,
        /// Votes on the losing side of a decided challenge.
        votes_lost: u64,
        registered_ts: i64,
        /// Canonical bump of the verifier PDA.
        bump: u8,
    }
}

impl Verifier {
    /// Reads a verifier; its owner and discriminator authenticate it.
    pub fn read(view: &AccountView, program_id: &Address) -> Result<Self, ProgramError> {
        use spicetime_abi::account::AccountData;
        Self::load(view, program_id, "verifier")
    }
}
