use pinocchio::sysvars::{clock::Clock, Sysvar};
use spicetime_abi::cpi::{create_pda_account, NewAccount};
use spicetime_abi::prelude::*;
use spicetime_abi::token::{self, TokenAccount, TokenMove};

use crate::errors::EconomyError;
use crate::events::StakeDeposited;
use crate::seeds::{CONFIG_SEED, POSITION_SEED, STAKE_VAULT_SEED};
use crate::state::{Config, Position, Tier};

spicetime_abi::instruction! {
    /// Stakes $UBC into a new position of a tier; it earns that tier's $COMPUTE yield per second.
    pub struct StakeDeposit = "stake_deposit" {
        accounts {
            /// 0. [writable] The config PDA `["config"]`.
            config: [writable] pda({CONFIG_SEED}),
            /// 1. [writable, signer] The staker, who pays the position's rent.
            owner: [writable, signer],
            /// 2. [writable] The position PDA `["position", owner, position_id]`, created here.
            position: [writable] seeds({POSITION_SEED}, owner, [position_id]),
            /// 3. [writable] The staker's $UBC token account.
            source: [writable],
            /// 4. [writable] The stake vault PDA `["stake_vault"]`.
            stake_vault: [writable] pda({STAKE_VAULT_SEED}),
            /// 5. [] $UBC.
            ubc_mint: [],
            /// 6. [] $UBC's token program.
            token_program: [],
            /// 7. [] The System program.
            system_program: [] address(SYSTEM_PROGRAM_ID),
        }
        args {
            /// The owner's number for the new position.
            position_id: u64,
            tier: Tier,
            /// $UBC in base units.
            amount: u64,
        }
    }
}

pub fn process(mut ix: StakeDeposit, program_id: &Address) -> ProgramResult {
    let config = Config::read_mut(&mut ix.config, program_id)?;
    config.check_not_paused()?;
    config.check_mints_set()?;
    config.check_ubc(ix.ubc_mint.address(), ix.token_program.address())?;
    Config::check_stored(&ix.stake_vault, &config.stake_vault, "stake_vault")?;
    if ix.amount == 0 {
        return Err(EconomyError::InvalidAmount.into());
    }
    if !ix.position.owned_by(&SYSTEM_PROGRAM_ID) || !ix.position.is_data_empty() {
        return Err(fail_account(AnchorErrorCode::AccountDiscriminatorAlreadySet, "position"));
    }
    TokenAccount::load(&ix.source, &ix.token_program, "source")?.check_mint(&config.ubc_mint, "source")?.check_owner(ix.owner.address(), "source")?;

    let now = Clock::get()?.unix_timestamp;
    let tier = ix.tier as usize;
    let position = Position {
        owner: *ix.owner.address(),
        position_id: ix.position_id,
        tier: ix.tier,
        amount: ix.amount,
        rate: config.params.tier_rates[tier],
        start_ts: now,
        lockup_end_ts: now.checked_add(config.params.tier_lockups[tier]).ok_or(EconomyError::ArithmeticOverflow)?,
        unlocked_ts: 0,
        claimed: 0,
        bump: ix.position.bump,
    };
    config.total_staked = config.total_staked.checked_add(ix.amount).ok_or(EconomyError::ArithmeticOverflow)?;

    let id = ix.position_id.to_le_bytes();
    let bump = [ix.position.bump];
    let seeds = [Seed::from(POSITION_SEED), Seed::from(ix.owner.address().as_ref()), Seed::from(&id), Seed::from(&bump)];
    create_pda_account(&NewAccount { payer: &ix.owner, account: &ix.position, space: Position::SPACE, owner: program_id }, &seeds)?;
    position.save(&mut ix.position)?;
    let deposit = TokenMove { token_program: &ix.token_program, from: &ix.source, mint: &ix.ubc_mint, to: &ix.stake_vault, authority: &ix.owner };
    token::transfer_checked(&deposit, ix.amount, config.ubc_decimals, &[])?;

    StakeDeposited {
        owner: position.owner,
        position: *ix.position.address(),
        position_id: position.position_id,
        tier: position.tier,
        amount: position.amount,
        rate: position.rate,
        start_ts: position.start_ts,
        lockup_end_ts: position.lockup_end_ts,
        total_staked: config.total_staked,
    }
    .emit();
    Ok(())
}
