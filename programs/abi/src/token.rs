//! SPL Token and Token-2022, through their shared base layout and instruction set: reading mints
//! and token accounts with checks, and PDA-signed CPIs. Only the two token programs are ever
//! called; any other program id passed as the token program is refused.

use pinocchio::{
    address::address,
    cpi::{invoke_signed, Seed, Signer},
    error::ProgramError,
    instruction::{InstructionAccount, InstructionView},
    AccountView, Address, ProgramResult,
};

use crate::error::{fail_account, AnchorErrorCode};

/// The SPL Token program.
pub const TOKEN_PROGRAM_ID: Address = address!("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
/// The Token-2022 program.
pub const TOKEN_2022_PROGRAM_ID: Address = address!("TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb");
/// Size of a mint with no extensions.
pub const MINT_SIZE: usize = 82;
/// Size of a token account with no extensions.
pub const TOKEN_ACCOUNT_SIZE: usize = 165;
/// Size of a multisig (SPL Token and Token-2022).
pub const MULTISIG_SIZE: usize = 355;

/// `InvalidProgramId` (3008) unless `program` is SPL Token or Token-2022.
#[inline(always)]
pub fn check_token_program(program: &AccountView, name: &str) -> Result<(), ProgramError> {
    let id = program.address();
    if id != &TOKEN_PROGRAM_ID && id != &TOKEN_2022_PROGRAM_ID {
        return Err(fail_account(AnchorErrorCode::InvalidProgramId, name));
    }
    Ok(())
}

/// The fields of a mint the programs use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mint {
    pub mint_authority: Option<Address>,
    pub supply: u64,
    pub decimals: u8,
}

impl Mint {
    /// Reads an initialised mint owned by `token_program` (checked to be a token program).
    pub fn load(view: &AccountView, token_program: &AccountView, name: &str) -> Result<Self, ProgramError> {
        check_token_program(token_program, "token_program")?;
        if !view.owned_by(token_program.address()) {
            return Err(fail_account(AnchorErrorCode::AccountOwnedByWrongProgram, name));
        }
        let data = view.try_borrow()?;
        if data.len() < MINT_SIZE || data[45] != 1 {
            return Err(fail_account(AnchorErrorCode::AccountDidNotDeserialize, name));
        }
        Ok(Mint {
            mint_authority: coption_address(&data[0..36]),
            supply: u64::from_le_bytes(data[36..44].try_into().unwrap_or_default()),
            decimals: data[44],
        })
    }
}

/// The fields of a token account the programs use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TokenAccount {
    pub mint: Address,
    pub owner: Address,
    pub amount: u64,
}

impl TokenAccount {
    /// Reads an initialised token account owned by `token_program` (checked to be a token program).
    #[inline(never)]
    pub fn load(view: &AccountView, token_program: &AccountView, name: &str) -> Result<Self, ProgramError> {
        check_token_program(token_program, "token_program")?;
        if !view.owned_by(token_program.address()) {
            return Err(fail_account(AnchorErrorCode::AccountOwnedByWrongProgram, name));
        }
        let data = view.try_borrow()?;
        // State 1 = initialised, 2 = frozen; a token-2022 mint (82 bytes + extensions) is not an
        // account, and neither is a multisig: 355 bytes of freely chosen signer addresses, which can
        // spell out any mint, owner and amount. Token-2022 refuses that length for accounts; SPL
        // Token accounts are exactly 165 bytes.
        let len = data.len();
        let extended = len > TOKEN_ACCOUNT_SIZE && len != MULTISIG_SIZE && token_program.address() == &TOKEN_2022_PROGRAM_ID && data[TOKEN_ACCOUNT_SIZE] == 2;
        if !(len == TOKEN_ACCOUNT_SIZE || extended) || data[108] == 0 {
            return Err(fail_account(AnchorErrorCode::AccountDidNotDeserialize, name));
        }
        Ok(TokenAccount {
            mint: Address::new_from_array(data[0..32].try_into().unwrap_or_default()),
            owner: Address::new_from_array(data[32..64].try_into().unwrap_or_default()),
            amount: u64::from_le_bytes(data[64..72].try_into().unwrap_or_default()),
        })
    }

    /// `ConstraintTokenMint` (2014) unless the account holds `mint`.
    pub fn check_mint(self, mint: &Address, name: &str) -> Result<Self, ProgramError> {
        if &self.mint != mint {
            return Err(fail_account(AnchorErrorCode::ConstraintTokenMint, name));
        }
        Ok(self)
    }

    /// `ConstraintTokenOwner` (2015) unless `owner` owns the account.
    pub fn check_owner(self, owner: &Address, name: &str) -> Result<Self, ProgramError> {
        if &self.owner != owner {
            return Err(fail_account(AnchorErrorCode::ConstraintTokenOwner, name));
        }
        Ok(self)
    }
}

fn coption_address(bytes: &[u8]) -> Option<Address> {
    match bytes[0..4] {
        [1, 0, 0, 0] => Some(Address::new_from_array(bytes[4..36].try_into().unwrap_or_default())),
        _ => None,
    }
}

/// The accounts of a token movement: `from` → `to` of `mint`, authorised by `authority` (which
/// signs with the seeds given alongside when it is a PDA).
pub struct TokenMove<'a> {
    pub token_program: &'a AccountView,
    pub from: &'a AccountView,
    pub mint: &'a AccountView,
    pub to: &'a AccountView,
    pub authority: &'a AccountView,
}

#[inline(never)]
fn invoke<const N: usize>(instruction: &InstructionView, views: &[&AccountView; N], seeds: &[Seed]) -> ProgramResult {
    let signers = [Signer::from(seeds)];
    invoke_signed(instruction, views, if seeds.is_empty() { &[] } else { &signers })
}

fn instruction<'a>(token_program: &'a AccountView, accounts: &'a [InstructionAccount<'a>], data: &'a [u8]) -> Result<InstructionView<'a, 'a, 'a, 'a>, ProgramError> {
    check_token_program(token_program, "token_program")?;
    Ok(InstructionView { program_id: token_program.address(), accounts, data })
}

/// `InitializeMint2` with no freeze authority.
pub fn initialize_mint(token_program: &AccountView, mint: &AccountView, decimals: u8, authority: &Address) -> ProgramResult {
    let mut data = [0u8; 67];
    data[0] = 20;
    data[1] = decimals;
    data[2..34].copy_from_slice(authority.as_ref());
    let metas = [InstructionAccount::writable(mint.address())];
    invoke(&instruction(token_program, &metas, &data)?, &[mint], &[])
}

/// `InitializeAccount3`: a token account of `mint` owned by `owner`.
pub fn initialize_account(token_program: &AccountView, account: &AccountView, mint: &AccountView, owner: &Address) -> ProgramResult {
    let mut data = [0u8; 33];
    data[0] = 18;
    data[1..33].copy_from_slice(owner.as_ref());
    let metas = [InstructionAccount::writable(account.address()), InstructionAccount::readonly(mint.address())];
    invoke(&instruction(token_program, &metas, &data)?, &[account, mint], &[])
}

fn amount_data(tag: u8, amount: u64, decimals: u8) -> [u8; 10] {
    let mut data = [0u8; 10];
    data[0] = tag;
    data[1..9].copy_from_slice(&amount.to_le_bytes());
    data[9] = decimals;
    data
}

/// `TransferChecked` (12) of `amount` from `m.from` to `m.to`.
pub fn transfer_checked(m: &TokenMove, amount: u64, decimals: u8, seeds: &[Seed]) -> ProgramResult {
    let metas = [
        InstructionAccount::writable(m.from.address()),
        InstructionAccount::readonly(m.mint.address()),
        InstructionAccount::writable(m.to.address()),
        InstructionAccount::readonly_signer(m.authority.address()),
    ];
    let data = amount_data(12, amount, decimals);
    invoke(&instruction(m.token_program, &metas, &data)?, &[m.from, m.mint, m.to, m.authority], seeds)
}

/// `MintToChecked` (14) of `amount` to `m.to`, authorised by the mint authority (`m.from` unused).
pub fn mint_to_checked(m: &TokenMove, amount: u64, decimals: u8, seeds: &[Seed]) -> ProgramResult {
    let metas = [
        InstructionAccount::writable(m.mint.address()),
        InstructionAccount::writable(m.to.address()),
        InstructionAccount::readonly_signer(m.authority.address()),
    ];
    let data = amount_data(14, amount, decimals);
    invoke(&instruction(m.token_program, &metas, &data)?, &[m.mint, m.to, m.authority], seeds)
}

/// `BurnChecked` (15) of `amount` from `m.from`, authorised by its owner (`m.to` unused).
pub fn burn_checked(m: &TokenMove, amount: u64, decimals: u8, seeds: &[Seed]) -> ProgramResult {
    let metas = [
        InstructionAccount::writable(m.from.address()),
        InstructionAccount::writable(m.mint.address()),
        InstructionAccount::readonly_signer(m.authority.address()),
    ];
    let data = amount_data(15, amount, decimals);
    invoke(&instruction(m.token_program, &metas, &data)?, &[m.from, m.mint, m.authority], seeds)
}

/// `SetAuthority` (6) of kind `MintTokens` to nothing: the mint's supply is fixed for good.
pub fn remove_mint_authority(token_program: &AccountView, mint: &AccountView, authority: &AccountView, seeds: &[Seed]) -> ProgramResult {
    let data = [6u8, 0, 0];
    let metas = [InstructionAccount::writable(mint.address()), InstructionAccount::readonly_signer(authority.address())];
    invoke(&instruction(token_program, &metas, &data)?, &[mint, authority], seeds)
}

/// `CloseAccount` (9): an empty token account's rent goes to `destination`.
pub fn close_account(token_program: &AccountView, account: &AccountView, destination: &AccountView, owner: &AccountView, seeds: &[Seed]) -> ProgramResult {
    let data = [9u8];
    let metas = [
        InstructionAccount::writable(account.address()),
        InstructionAccount::writable(destination.address()),
        InstructionAccount::readonly_signer(owner.address()),
    ];
    invoke(&instruction(token_program, &metas, &data)?, &[account, destination, owner], seeds)
}

/// The Associated Token Account program.
pub const ASSOCIATED_TOKEN_PROGRAM_ID: Address = address!("ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL");

/// The accounts of an associated token account creation.
pub struct NewAssociatedAccount<'a> {
    /// Pays the rent (signer).
    pub payer: &'a AccountView,
    /// The associated token account address (the ATA program checks the derivation).
    pub account: &'a AccountView,
    pub wallet: &'a AccountView,
    pub mint: &'a AccountView,
    pub system_program: &'a AccountView,
    pub token_program: &'a AccountView,
    /// The ATA program (checked).
    pub ata_program: &'a AccountView,
}

/// `CreateIdempotent` of the Associated Token Account program: `wallet`'s account of `mint`.
pub fn create_associated_account(new: &NewAssociatedAccount) -> ProgramResult {
    check_token_program(new.token_program, "token_program")?;
    if new.ata_program.address() != &ASSOCIATED_TOKEN_PROGRAM_ID {
        return Err(fail_account(AnchorErrorCode::InvalidProgramId, "associated_token_program"));
    }
    let data = [1u8];
    let metas = [
        InstructionAccount::writable_signer(new.payer.address()),
        InstructionAccount::writable(new.account.address()),
        InstructionAccount::readonly(new.wallet.address()),
        InstructionAccount::readonly(new.mint.address()),
        InstructionAccount::readonly(new.system_program.address()),
        InstructionAccount::readonly(new.token_program.address()),
    ];
    let ix = InstructionView { program_id: &ASSOCIATED_TOKEN_PROGRAM_ID, accounts: &metas, data: &data };
    invoke(&ix, &[new.payer, new.account, new.wallet, new.mint, new.system_program, new.token_program], &[])
}
