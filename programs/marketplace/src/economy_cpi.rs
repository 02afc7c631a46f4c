//! Calls into the economy program's marketplace-only entry points, signed by the marketplace's
//! authority PDA `["economy_caller"]` (which the economy program pins at compile time). The
//! instruction layouts come from the economy crate itself: its discriminators and account order.

use economy::instructions::{
    collateral_lock::CollateralLock, collateral_release::CollateralRelease, collateral_slash::CollateralSlash, settlement_finish::SettlementFinish,
};
use economy::marketplace::MARKETPLACE_CALLER_BUMP;
use pinocchio::{
    cpi::{invoke_signed, Seed, Signer},
    instruction::{InstructionAccount, InstructionView},
    AccountView, ProgramResult,
};
use spicetime_abi::error::{fail_account, AnchorErrorCode};

use crate::seeds::AUTHORITY_SEED;

/// The economy program and the marketplace's authority that signs for it.
pub struct EconomyCall<'a> {
    /// The economy program (checked against its pinned id).
    pub program: &'a AccountView,
    /// The marketplace authority PDA `["economy_caller"]`.
    pub authority: &'a AccountView,
}

/// Signs as the marketplace authority PDA.
pub fn with_authority_seeds<R>(f: impl FnOnce(&[Seed]) -> R) -> R {
    let bump = [MARKETPLACE_CALLER_BUMP];
    let seeds = [Seed::from(&AUTHORITY_SEED[..]), Seed::from(&bump)];
    f(&seeds)
}

#[inline(never)]
fn invoke<const N: usize>(call: &EconomyCall, metas: &[InstructionAccount], data: &[u8], views: &[&AccountView; N]) -> ProgramResult {
    if call.program.address() != &economy::ID {
        return Err(fail_account(AnchorErrorCode::InvalidProgramId, "economy_program"));
    }
    let ix = InstructionView { program_id: &economy::ID, accounts: metas, data };
    with_authority_seeds(|seeds| invoke_signed(&ix, views, &[Signer::from(seeds)]))
}

/// `collateral_lock` or `collateral_release` (`discriminator`): one open job more or fewer for `provider`.
fn collateral_count(call: &EconomyCall, discriminator: &[u8; 8], provider: &AccountView, collateral: &AccountView) -> ProgramResult {
    let metas = [InstructionAccount::readonly_signer(call.authority.address()), InstructionAccount::readonly(provider.address()), InstructionAccount::writable(collateral.address())];
    invoke(call, &metas, discriminator, &[call.authority, provider, collateral])
}

/// `collateral_lock`: one more open job for `provider`.
pub fn collateral_lock(call: &EconomyCall, provider: &AccountView, collateral: &AccountView) -> ProgramResult {
    collateral_count(call, &CollateralLock::DISCRIMINATOR, provider, collateral)
}

/// `collateral_release`: one job fewer for `provider`.
pub fn collateral_release(call: &EconomyCall, provider: &AccountView, collateral: &AccountView) -> ProgramResult {
    collateral_count(call, &CollateralRelease::DISCRIMINATOR, provider, collateral)
}

/// The economy accounts a slash moves $UBC between.
pub struct SlashAccounts<'a> {
    pub config: &'a AccountView,
    pub provider: &'a AccountView,
    pub collateral: &'a AccountView,
    /// The challenger's $UBC token account.
    pub challenger: &'a AccountView,
    /// The treasury's $UBC token account.
    pub treasury: &'a AccountView,
    pub stake_vault: &'a AccountView,
    pub ubc_mint: &'a AccountView,
    /// The economy's authority PDA `["authority"]`.
    pub economy_authority: &'a AccountView,
    pub token_program: &'a AccountView,
}

/// `collateral_slash` of `amount`: `challenger_bps` of it to the challenger, the rest to the treasury.
pub fn collateral_slash(call: &EconomyCall, a: &SlashAccounts, amount: u64, challenger_bps: u16) -> ProgramResult {
    let mut data = [0u8; 18];
    data[..8].copy_from_slice(&CollateralSlash::DISCRIMINATOR);
    data[8..16].copy_from_slice(&amount.to_le_bytes());
    data[16..18].copy_from_slice(&challenger_bps.to_le_bytes());
    let metas = [
        InstructionAccount::writable(a.config.address()),
        InstructionAccount::readonly_signer(call.authority.address()),
        InstructionAccount::readonly(a.provider.address()),
        InstructionAccount::writable(a.collateral.address()),
        InstructionAccount::writable(a.challenger.address()),
        InstructionAccount::writable(a.treasury.address()),
        InstructionAccount::writable(a.stake_vault.address()),
        InstructionAccount::readonly(a.ubc_mint.address()),
        InstructionAccount::readonly(a.economy_authority.address()),
        InstructionAccount::readonly(a.token_program.address()),
    ];
    let views = [a.config, call.authority, a.provider, a.collateral, a.challenger, a.treasury, a.stake_vault, a.ubc_mint, a.economy_authority, a.token_program];
    invoke(call, &metas, &data, &views)
}

/// The economy accounts a settlement's burn, reward and lock release use.
pub struct FinishAccounts<'a> {
    pub config: &'a AccountView,
    /// The provider's wallet.
    pub provider: &'a AccountView,
    /// The provider's collateral.
    pub collateral: &'a AccountView,
    /// The job's vault, burned from (owned by the marketplace authority).
    pub source: &'a AccountView,
    /// The provider's $COMPUTE account (the reward).
    pub destination: &'a AccountView,
    pub compute_mint: &'a AccountView,
    pub economy_authority: &'a AccountView,
    pub rewards_vault: &'a AccountView,
    pub token_program: &'a AccountView,
}

/// `settlement_finish`: burns `burn` from the vault, pays `reward` to the provider, releases the lock.
pub fn settlement_finish(call: &EconomyCall, a: &FinishAccounts, burn: u64, reward: u64) -> ProgramResult {
    let mut data = [0u8; 24];
    data[..8].copy_from_slice(&SettlementFinish::DISCRIMINATOR);
    data[8..16].copy_from_slice(&burn.to_le_bytes());
    data[16..24].copy_from_slice(&reward.to_le_bytes());
    let metas = [
        InstructionAccount::writable(a.config.address()),
        InstructionAccount::readonly_signer(call.authority.address()),
        InstructionAccount::readonly(a.provider.address()),
        InstructionAccount::writable(a.collateral.address()),
        InstructionAccount::writable(a.source.address()),
        InstructionAccount::writable(a.destination.address()),
        InstructionAccount::writable(a.compute_mint.address()),
        InstructionAccount::readonly(a.economy_authority.address()),
        InstructionAccount::writable(a.rewards_vault.address()),
        InstructionAccount::readonly(a.token_program.address()),
    ];
    let views = [a.config, call.authority, a.provider, a.collateral, a.source, a.destination, a.compute_mint, a.economy_authority, a.rewards_vault, a.token_program];
    invoke(call, &metas, &data, &views)
}
