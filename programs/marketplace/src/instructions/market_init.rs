use economy::marketplace::MARKETPLACE_CALLER;
use spicetime_abi::cpi::{create_pda_account, NewAccount};
use spicetime_abi::prelude::*;
use spicetime_abi::token::{self, TOKEN_ACCOUNT_SIZE};

use crate::escrow::{check_compute, economy_config};
use crate::events::MarketInitialized;
use crate::seeds::{MARKET_SEED, ROYALTY_VAULT_SEED};
use crate::state::{Market, MarketParams};

spicetime_abi::instruction! {
    /// Creates the market configuration for the cluster whose genesis hash is `cluster`, and the
    /// royalty vault; the signer becomes its admin. The economy must be configured with its mints.
    pub struct MarketInit = "market_init" {
        accounts {
            /// 0. [writable] The market PDA `["market"]`, created here.
            market: [writable] seeds({MARKET_SEED}),
            /// 1. [writable, signer] The admin, who pays the rent.
            admin: [writable, signer],
            /// 2. [] The economy program's config.
            economy_config: [],
            /// 3. [] $COMPUTE.
            compute_mint: [],
            /// 4. [writable] The royalty vault PDA `["royalty_vault"]`, a $COMPUTE account created here.
            royalty_vault: [writable] seeds({ROYALTY_VAULT_SEED}),
            /// 5. [] The marketplace authority PDA `["economy_caller"]`, owner of the vault.
            authority: [] address(MARKETPLACE_CALLER),
            /// 6. [] $COMPUTE's token program.
            token_program: [],
            /// 7. [] The System program.
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
    let economy = economy_config(&ix.economy_config)?;
    check_compute(economy, &ix.compute_mint, &ix.token_program)?;
    let market = Market {
        admin: *ix.admin.address(),
        cluster: ix.cluster,
        params: ix.params,
        royalty_vault: *ix.royalty_vault.address(),
        bump: ix.market.bump,
        ..Market::default()
    };
    let bump = [ix.market.bump];
    let seeds = [Seed::from(MARKET_SEED), Seed::from(&bump)];
    create_pda_account(&NewAccount { payer: &ix.admin, account: &ix.market, space: Market::SPACE, owner: program_id }, &seeds)?;
    market.save(&mut ix.market)?;

    let bump = [ix.royalty_vault.bump];
    let seeds = [Seed::from(ROYALTY_VAULT_SEED), Seed::from(&bump)];
    create_pda_account(&NewAccount { payer: &ix.admin, account: &ix.royalty_vault, space: TOKEN_ACCOUNT_SIZE, owner: ix.token_program.address() }, &seeds)?;
    token::initialize_account(&ix.token_program, &ix.royalty_vault, &ix.compute_mint, &MARKETPLACE_CALLER)?;

    MarketInitialized { admin: market.admin, cluster: market.cluster, royalty_vault: market.royalty_vault, params: market.params }.emit();
    Ok(())
}
