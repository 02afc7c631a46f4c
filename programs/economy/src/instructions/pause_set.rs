use spicetime_abi::prelude::*;

use crate::events::PauseSet;
use crate::seeds::CONFIG_SEED;
use crate::state::Config;

spicetime_abi::instruction! {
    /// Pauses or resumes deposits. Unstaking, withdrawals and refunds never stop.
    pub struct PauseSetIx = "pause_set" {
        accounts {
            /// 0. [writable] The config PDA `["config"]`.
            config: [writable] pda({CONFIG_SEED}),
            /// 1. [signer] The admin.
            admin: [signer],
        }
        args {
            paused: bool,
        }
    }
}

pub fn process(mut ix: PauseSetIx, program_id: &Address) -> ProgramResult {
    let config = Config::read_mut(&mut ix.config, program_id)?;
    config.check_admin(ix.admin.address())?;
    config.paused = ix.paused;

    PauseSet { paused: config.paused }.emit();
    Ok(())
}
