//! Moving $COMPUTE out of a job's escrow vault, signed by the marketplace authority, and reading
//! the economy program's configuration the marketplace settles by.

use economy::state::Config;
use pinocchio::{error::ProgramError, AccountView, Address, ProgramResult};
use spicetime_abi::token::{self, TokenAccount, TokenMove};

use crate::economy_cpi::with_authority_seeds;
use crate::errors::MarketError;

/// The economy configuration in place (owned by the economy program, checked), with no copy.
/// Read what is needed before an economy CPI that writes it.
pub fn economy_config(view: &AccountView) -> Result<&Config, ProgramError> {
    Config::read_ref(view, &economy::ID)
}

/// Fails unless `mint` and `token_program` are the economy's $COMPUTE and its program.
pub fn check_compute(config: &Config, mint: &AccountView, token_program: &AccountView) -> Result<(), ProgramError> {
    if mint.address() != &config.compute_mint || token_program.address() != &config.compute_token_program {
        return Err(MarketError::MintMismatch.into());
    }
    Ok(())
}

/// Reads a $COMPUTE token account and checks it belongs to `owner`.
pub fn compute_account(config: &Config, view: &AccountView, token_program: &AccountView, owner: &Address, name: &str) -> Result<TokenAccount, ProgramError> {
    TokenAccount::load(view, token_program, name)?.check_mint(&config.compute_mint, name)?.check_owner(owner, name)
}

/// A vault the marketplace authority owns (a job's escrow, the royalty vault) and what paying out of it needs.
pub struct Escrow<'a> {
    pub token_program: &'a AccountView,
    pub vault: &'a AccountView,
    pub mint: &'a AccountView,
    /// The marketplace authority PDA, the vault's owner.
    pub authority: &'a AccountView,
    pub decimals: u8,
}

impl Escrow<'_> {
    /// Pays `amount` to `to` (nothing when zero).
    pub fn pay(&self, to: &AccountView, amount: u64) -> ProgramResult {
        if amount == 0 {
            return Ok(());
        }
        let m = TokenMove { token_program: self.token_program, from: self.vault, mint: self.mint, to, authority: self.authority };
        with_authority_seeds(|seeds| token::transfer_checked(&m, amount, self.decimals, seeds))
    }

    /// What the vault holds now.
    pub fn balance(&self) -> Result<u64, ProgramError> {
        Ok(TokenAccount::load(self.vault, self.token_program, "job_vault")?.amount)
    }

    /// Pays everything left in the vault to `to` and returns the amount: anything someone sent to
    /// the vault beyond the escrow goes back with the refund, so a donation can never block the
    /// vault's closing.
    pub fn pay_rest(&self, to: &AccountView) -> Result<u64, ProgramError> {
        let rest = self.balance()?;
        self.pay(to, rest)?;
        Ok(rest)
    }

    /// Closes the (empty) vault; its rent goes to `destination`.
    pub fn close(&self, destination: &AccountView) -> ProgramResult {
        with_authority_seeds(|seeds| token::close_account(self.token_program, self.vault, destination, self.authority, seeds))
    }
}

/// Fails unless `vault` is the job's vault.
pub fn check_vault(vault: &AccountView, stored: &Address) -> Result<(), ProgramError> {
    spicetime_abi::account::check_address(vault, stored, "job_vault")
}
