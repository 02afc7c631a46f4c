use pinocchio::{error::ProgramError, AccountView, Address};
use spicetime_abi::account::AccountData;
use spicetime_abi::borsh::{Borsh, Text};
use spicetime_abi::token::{TokenAccount, TOKEN_2022_PROGRAM_ID};

use crate::errors::MarketError;

spicetime_abi::account! {
    /// A published layer (an adapter over a base model), at PDA `["layer", mint]`. Its Token-2022
    /// mint (supply 1) is the asset: whoever holds the token controls the layer and receives its
    /// royalties. Fixed-size fields first, text last.
    pub struct Layer {
        /// The layer's Token-2022 mint (supply 1, decimals 0, with metadata).
        mint: Address,
        /// Who published it.
        creator: Address,
        /// The parent layer this one derives from; all zeros when none.
        parent: Address,
        /// The parent layer's mint, whose holder receives the parent's share; all zeros when none.
        parent_mint: Address,
        /// The current version (1 at publication).
        version: u32,
        /// Floor price in $COMPUTE base units per 1,000 tokens: a job's rate is never below it.
        price_per_thousand: u64,
        /// Royalty to the holder, in basis points of each job's price.
        royalty_bps: u16,
        /// The parent's share of the royalty, in basis points.
        parent_share_bps: u16,
        /// Size of the current version's weights in bytes.
        size: u64,
        /// SHA-256 of the current version's weights.
        sha256: [u8; 32],
        /// Retired layers take no new jobs.
        retired: bool,
        published_ts: i64,
        /// Jobs settled, challenged, slashed; tokens served; ratings.
        jobs_completed: u64,
        jobs_challenged: u64,
        jobs_slashed: u64,
        tokens_served: u64,
        rating_sum: u64,
        rating_count: u64,
        /// Royalty accrued from the jobs run with this layer, all time.
        royalties_earned: u64,
        /// Royalty its child layers passed up to it, all time.
        royalties_from_children: u64,
        /// Royalty not claimed yet, held in the royalty vault: whoever holds the token when it is
        /// claimed is paid it (selling the layer sells it too).
        accrued_royalty: u64,
        /// Royalty passed up to the parent layer by claims, all time.
        royalties_passed_up: u64,
        /// Royalty paid to holders by claims, all time.
        royalties_claimed: u64,
        /// Canonical bump of the layer PDA.
        bump: u8,
        name: Text<32>,
        /// The base model the adapter applies to.
        base_model: Text<32>,
        license: Text<32>,
        /// The current version's IPFS CID.
        cid: Text<64>,
    }
}

spicetime_abi::borsh_struct! {
    #[zero_copy]
    /// The run of a layer's counters, from `jobs_completed` to `royalties_claimed`, in the order
    /// and layout `Layer` stores them: settlement, ratings and challenges change them in place
    /// ([`Layer::counters_mut`]) with no copy of the rest of the account.
    pub struct LayerCounters {
        jobs_completed: u64,
        jobs_challenged: u64,
        jobs_slashed: u64,
        tokens_served: u64,
        rating_sum: u64,
        rating_count: u64,
        royalties_earned: u64,
        royalties_from_children: u64,
        accrued_royalty: u64,
        royalties_passed_up: u64,
        royalties_claimed: u64,
    }
}

/// Where the counters start among a layer's fields: after the four addresses, the version, the
/// floor, the two bps, the size, the hash, `retired` and `published_ts`.
const COUNTERS_AT: usize = 4 * <Address as Borsh>::SIZE
    + <u32 as Borsh>::SIZE
    + <u64 as Borsh>::SIZE
    + 2 * <u16 as Borsh>::SIZE
    + <u64 as Borsh>::SIZE
    + <[u8; 32] as Borsh>::SIZE
    + <bool as Borsh>::SIZE
    + <i64 as Borsh>::SIZE;

impl Layer {
    /// A layer's counters in place, for an instruction that changes only them: the owner,
    /// discriminator and writability checked, no copy in or out.
    pub fn counters_mut<'a>(view: &'a mut AccountView, program_id: &Address) -> Result<&'a mut LayerCounters, ProgramError> {
        Self::load_part_mut::<LayerCounters>(view, program_id, COUNTERS_AT, "layer")
    }

    /// Reads a layer; its owner and discriminator authenticate it (created only at its PDA).
    pub fn read(view: &AccountView, program_id: &Address, name: &str) -> Result<Self, ProgramError> {
        use spicetime_abi::account::AccountData;
        Self::load(view, program_id, name)
    }

    /// Reads a layer for its holder: `mint` must be its mint and `holding` a token account of
    /// `holder` holding its token (`LayerHolderMismatch` otherwise).
    pub fn read_held(view: &AccountView, program_id: &Address, held: &Held) -> Result<Self, ProgramError> {
        let layer = Self::read(view, program_id, "layer")?;
        if held.mint.address() != &layer.mint || &layer.holder(held.holding, held.token_2022)? != held.holder.address() {
            return Err(MarketError::LayerHolderMismatch.into());
        }
        Ok(layer)
    }

    /// Whether the layer has a parent.
    pub fn has_parent(&self) -> bool {
        self.parent != Address::default()
    }

    /// Fails once retired.
    pub fn check_active(&self) -> Result<(), ProgramError> {
        if self.retired {
            return Err(MarketError::LayerRetired.into());
        }
        Ok(())
    }

    /// Reads `holding`, the token account holding this layer's token, and returns its owner, the
    /// layer's holder.
    pub fn holder(&self, holding: &AccountView, token_2022: &AccountView) -> Result<Address, ProgramError> {
        holder_of(&self.mint, holding, token_2022)
    }
}

/// What proves a wallet holds a layer: the layer mint, the wallet's token account holding it, the
/// wallet, and Token-2022.
pub struct Held<'a> {
    pub mint: &'a AccountView,
    pub holding: &'a AccountView,
    pub holder: &'a AccountView,
    pub token_2022: &'a AccountView,
}

/// The owner of `holding` when it holds the one token of layer mint `mint`.
pub fn holder_of(mint: &Address, holding: &AccountView, token_2022: &AccountView) -> Result<Address, ProgramError> {
    spicetime_abi::account::check_address(token_2022, &TOKEN_2022_PROGRAM_ID, "token_2022_program")?;
    let account = TokenAccount::load(holding, token_2022, "holding")?;
    if &account.mint != mint || account.amount != 1 {
        return Err(MarketError::LayerHolderMismatch.into());
    }
    Ok(account.owner)
}

#[cfg(test)]
mod forged_holding_tests {
    //! A Token-2022 *multisig* (355 bytes, `[m, n, is_initialized, signers: [Address; 11]]`, made
    //! with InitializeMultisig2 from any 1..=11 addresses, none of which must sign) used to pass
    //! `holder_of` as the holding of a layer mint whose address begins with `[m, n, 1]`: every other
    //! byte the check reads (mint[3..], owner, amount, state at 108, account type at 165) lies in
    //! the signer addresses, which the attacker picks. Found in review.
    use super::*;
    use pinocchio::account::RuntimeAccount;

    const MULTISIG_LEN: usize = 355;

    fn view(buf: &mut Vec<u64>, address: Address, owner: Address, data: &[u8]) -> AccountView {
        let header = core::mem::size_of::<RuntimeAccount>();
        buf.resize((header + data.len() + 7) / 8 + 1, 0);
        let raw = buf.as_mut_ptr() as *mut RuntimeAccount;
        unsafe {
            (*raw).borrow_state = u8::MAX;
            (*raw).address = address;
            (*raw).owner = owner;
            (*raw).lamports = 1;
            (*raw).data_len = data.len() as u64;
            core::ptr::copy_nonoverlapping(data.as_ptr(), (raw as *mut u8).add(header), data.len());
            AccountView::new_unchecked(raw)
        }
    }

    /// The bytes Token-2022's InitializeMultisig2 writes: m, n, 1, then the n signer addresses.
    fn multisig(m: u8, signers: &[[u8; 32]]) -> Vec<u8> {
        let mut d = vec![0u8; MULTISIG_LEN];
        d[0] = m;
        d[1] = signers.len() as u8;
        d[2] = 1;
        for (i, s) in signers.iter().enumerate() {
            d[3 + 32 * i..3 + 32 * (i + 1)].copy_from_slice(s);
        }
        d
    }

    #[test]
    fn a_token_2022_multisig_forged_as_the_layer_holding_is_refused() {
        // The layer's mint: a keypair its creator ground until it began with [1, 6, 1] (~2^24/66
        // tries, about 250k: seconds).
        let mut mint = [0x5au8; 32];
        mint[..3].copy_from_slice(&[1, 6, 1]);
        let attacker = [0xa7u8; 32];
        // Lay the wanted token-account bytes over the 6 signer addresses.
        let mut want = [0u8; 3 + 32 * 6];
        want[..32].copy_from_slice(&mint); // mint at 0..32
        want[32..64].copy_from_slice(&attacker); // owner at 32..64
        want[64..72].copy_from_slice(&1u64.to_le_bytes()); // amount at 64..72
        want[108] = 1; // state: initialised
        want[165] = 2; // Token-2022 account type: Account
        let signers: Vec<[u8; 32]> = (0..6).map(|i| want[3 + 32 * i..3 + 32 * (i + 1)].try_into().unwrap()).collect();
        let data = multisig(1, &signers);
        assert_eq!(&data[..3 + 32 * 6], &want[..], "the multisig's bytes are the forged token account");

        let (mut b1, mut b2) = (Vec::new(), Vec::new());
        let holding = view(&mut b1, Address::new_from_array([9; 32]), TOKEN_2022_PROGRAM_ID, &data);
        let token_2022 = view(&mut b2, TOKEN_2022_PROGRAM_ID, Address::new_from_array([0; 32]), &[]);
        let holder = holder_of(&Address::new_from_array(mint), &holding, &token_2022);
        // Refused: a 355-byte account is a multisig, never a token account (it was taken for one).
        assert!(holder.is_err(), "forged holding accepted: {holder:?}");
    }
}

#[cfg(test)]
mod counters_tests {
    use super::*;

    #[test]
    fn the_counters_run_sits_where_the_layer_stores_its_counters() {
        let layer = Layer {
            jobs_completed: 1,
            jobs_challenged: 2,
            jobs_slashed: 3,
            tokens_served: 4,
            rating_sum: 5,
            rating_count: 6,
            royalties_earned: 7,
            royalties_from_children: 8,
            accrued_royalty: 9,
            royalties_passed_up: 10,
            royalties_claimed: 11,
            mint: Address::new_from_array([0xee; 32]),
            sha256: [0xdd; 32],
            retired: true,
            published_ts: -1,
            bump: 0xcc,
            ..Layer::default()
        };
        let mut bytes = std::vec![0u8; Layer::SIZE];
        layer.write(&mut bytes);
        let run = LayerCounters::read(&mut &bytes[COUNTERS_AT..]).unwrap();
        assert_eq!(run, LayerCounters { jobs_completed: 1, jobs_challenged: 2, jobs_slashed: 3, tokens_served: 4, rating_sum: 5, rating_count: 6, royalties_earned: 7, royalties_from_children: 8, accrued_royalty: 9, royalties_passed_up: 10, royalties_claimed: 11 });
        assert_eq!(bytes[COUNTERS_AT + LayerCounters::SIZE], 0xcc, "the bump follows the counters");
    }
}
