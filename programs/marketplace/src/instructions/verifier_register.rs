use pinocchio::sysvars::{clock::Clock, Sysvar};
use spicetime_abi::cpi::{create_pda_account, NewAccount};
use spicetime_abi::prelude::*;

use crate::collateral::check_collateral;
use crate::escrow::economy_config;
use crate::events::VerifierRegistered;
use crate::seeds::VERIFIER_SEED;
use crate::state::Verifier;

spicetime_abi::instruction! {
    /// Registers a verifier, staked like a provider: its $UBC collateral must hold at least the
    /// economy's provider minimum.
    pub struct VerifierRegister = "verifier_register" {
        accounts {
            /// 0. [writable, signer] The verifier's wallet (it signs verdicts), who pays the rent.
            authority: [writable, signer],
            /// 1. [writable] The verifier PDA `["verifier", authority]`, created here.
            verifier: [writable] seeds({VERIFIER_SEED}, authority),
            /// 2. [] The economy program's config.
            economy_config: [],
            /// 3. [] The wallet's collateral PDA in the economy program `["collateral", authority]`.
            collateral: [],
            /// 4. [] The System program.
            system_program: [] address(SYSTEM_PROGRAM_ID),
        }
        args {}
    }
}

pub fn process(mut ix: VerifierRegister, program_id: &Address) -> ProgramResult {
    let economy = economy_config(&ix.economy_config)?;
    check_collateral(&economy, &ix.collateral, ix.authority.address())?;
    if !ix.verifier.owned_by(&SYSTEM_PROGRAM_ID) || !ix.verifier.is_data_empty() {
        return Err(fail_account(AnchorErrorCode::AccountDiscriminatorAlreadySet, "verifier"));
    }
    let verifier = Verifier { authority: *ix.authority.address(), registered_ts: Clock::get()?.unix_timestamp, bump: ix.verifier.bump, ..Verifier::default() };
    let bump = [ix.verifier.bump];
    let seeds = [Seed::from(VERIFIER_SEED), Seed::from(ix.authority.address().as_ref()), Seed::from(&bump)];
    create_pda_account(&NewAccount { payer: &ix.authority, account: &ix.verifier, space: Verifier::SPACE, owner: program_id }, &seeds)?;
    verifier.save(&mut ix.verifier)?;

    VerifierRegistered { verifier: *ix.verifier.address(), authority: verifier.authority }.emit();
    Ok(())
}
