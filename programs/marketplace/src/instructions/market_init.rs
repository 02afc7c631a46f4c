use spicetime_abi::cpi::{create_pda_account, NewAccount};
use spicetime_abi::prelude::*;

use crate::events::MarketInitialized;
use crate::seeds::MARKET_SEED;
use crate::state::{Market, MarketParams};

spicetime_abi::instruction! {
    /// Creates the market configuration for the cluster whose genesis hash is `cluster`; the signer
    /// becomes its admin.
    pub struct MarketInit = "market_init" {
        accounts {
            /// 0. [writable] The market PDA `["market"]`, created here.
            market: [writable] seeds({MARKET_SEED}),
            /// 1. [writable, signer] The admin, who pays the rent.
            admin: [writable, signer],
            /// 2. [] The System program.
            system_program: [] address(SYSTEM_PROGRAM_ID),
        }
        args {
            params: MarketParams,
            /// The cluster's genesis hash (as 32 bytes): named by every signed message, never changed.
            cluster: Address,
        }
    }
}

pub fn process(mut ix: MarketInit, program_id: &Address) -> ProgramResult {
    ix.params.check()?;
    if !ix.market.owned_by(&SYSTEM_PROGRAM_ID) || !ix.market.is_data_empty() {
        return Err(fail_account(AnchorErrorCode::AccountDiscriminatorAlreadySet, "market"));
    }
    let market = Market { admin: *ix.admin.address(), cluster: ix.cluster, params: ix.params, bump: ix.market.bump, ..Market::default() };
    let bump = [ix.market.bump];
    let seeds = [Seed::from(MARKET_SEED), Seed::from(&bump)];
    create_pda_account(&NewAccount { payer: &ix.admin, account: &ix.market, space: Market::SPACE, owner: program_id }, &seeds)?;
    market.save(&mut ix.market)?;

    MarketInitialized { admin: market.admin, cluster: market.cluster, params: market.params }.emit();
    Ok(())
}
