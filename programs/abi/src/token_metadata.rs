//! Token-2022 mints that describe themselves: the metadata pointer extension (pointing at the mint)
//! and the token metadata extension (name, symbol, uri and extra key/value fields), written through
//! Token-2022's own instructions, signed by a PDA that is mint authority and update authority.

use pinocchio::{
    cpi::{invoke_signed, Seed, Signer},
    error::ProgramError,
    instruction::{InstructionAccount, InstructionView},
    AccountView, Address, ProgramResult,
};

use crate::discriminator::first8;
use crate::error::{fail_account, AnchorErrorCode};
use crate::sha256::sha256_concat;
use crate::token::TOKEN_2022_PROGRAM_ID;

/// Size of a Token-2022 mint with the metadata pointer extension, before its metadata: the
/// 165-byte base, the account type byte, and the pointer's TLV entry (4 + 64).
pub const MINT_WITH_POINTER_SIZE: usize = 165 + 1 + 4 + 64;
/// Longest key or value of a metadata write here.
pub const MAX_ENTRY: usize = 256;

/// `spl_token_metadata_interface:initialize_account`.
const INITIALIZE: [u8; 8] = first8(sha256_concat(b"spl_token_metadata_interface:", b"initialize_account"));
/// `spl_token_metadata_interface:updating_field`.
const UPDATE_FIELD: [u8; 8] = first8(sha256_concat(b"spl_token_metadata_interface:", b"updating_field"));

/// Bytes the token metadata extension occupies (TLV header included) for an update authority,
/// the mint, `name`, `symbol`, `uri` and the extra `fields`.
pub fn metadata_size(name: &[u8], symbol: &[u8], uri: &[u8], fields: &[(&[u8], &[u8])]) -> usize {
    let extra: usize = fields.iter().map(|(k, v)| 8 + k.len() + v.len()).sum();
    4 + 32 + 32 + (4 + name.len()) + (4 + symbol.len()) + (4 + uri.len()) + 4 + extra
}

/// The accounts of a metadata write: a Token-2022 `mint` holding its own metadata, and the PDA
/// `authority` that is its mint authority and metadata update authority.
pub struct MetadataAccounts<'a> {
    pub token_program: &'a AccountView,
    pub mint: &'a AccountView,
    pub authority: &'a AccountView,
}

fn check_token_2022(program: &AccountView) -> Result<(), ProgramError> {
    if program.address() != &TOKEN_2022_PROGRAM_ID {
        return Err(fail_account(AnchorErrorCode::InvalidProgramId, "token_program"));
    }
    Ok(())
}

#[inline(never)]
fn invoke<const N: usize>(program: &AccountView, metas: &[InstructionAccount], data: &[u8], views: &[&AccountView; N], seeds: &[Seed]) -> ProgramResult {
    check_token_2022(program)?;
    let ix = InstructionView { program_id: program.address(), accounts: metas, data };
    let signers = [Signer::from(seeds)];
    invoke_signed(&ix, views, if seeds.is_empty() { &[] } else { &signers })
}

/// `MetadataPointerExtension::Initialize`: the mint's metadata lives in the mint itself; `authority`
/// may move the pointer. Comes before `InitializeMint2`.
pub fn initialize_metadata_pointer(token_program: &AccountView, mint: &AccountView, authority: &Address) -> ProgramResult {
    let mut data = [0u8; 66];
    data[0] = 39;
    data[1] = 0;
    data[2..34].copy_from_slice(authority.as_ref());
    data[34..66].copy_from_slice(mint.address().as_ref());
    let metas = [InstructionAccount::writable(mint.address())];
    invoke(token_program, &metas, &data, &[mint], &[])
}

/// Appends a Borsh string to `buf` at `at`, returning the new end.
fn put(buf: &mut [u8], at: usize, s: &[u8]) -> Result<usize, ProgramError> {
    let end = at.checked_add(4).and_then(|e| e.checked_add(s.len())).filter(|e| *e <= buf.len()).ok_or(ProgramError::InvalidArgument)?;
    buf[at..at + 4].copy_from_slice(&(s.len() as u32).to_le_bytes());
    buf[at + 4..end].copy_from_slice(s);
    Ok(end)
}

/// The token metadata interface's `Initialize`: name, symbol and uri, the mint's lamports already
/// covering the grown size.
pub fn initialize_metadata(m: &MetadataAccounts, name: &[u8], symbol: &[u8], uri: &[u8], seeds: &[Seed]) -> ProgramResult {
    let mut data = [0u8; 8 + 3 * (4 + MAX_ENTRY)];
    data[..8].copy_from_slice(&INITIALIZE);
    let end = put(&mut data, 8, name)?;
    let end = put(&mut data, end, symbol)?;
    let end = put(&mut data, end, uri)?;
    let metas = [
        InstructionAccount::writable(m.mint.address()),
        InstructionAccount::readonly(m.authority.address()),
        InstructionAccount::readonly(m.mint.address()),
        InstructionAccount::readonly_signer(m.authority.address()),
    ];
    invoke(m.token_program, &metas, &data[..end], &[m.mint, m.authority, m.mint, m.authority], seeds)
}

/// The token metadata interface's `UpdateField` for a field: the uri (`key` `None`) or an extra
/// key. The mint's lamports must already cover any growth.
pub fn update_metadata_field(m: &MetadataAccounts, key: Option<&[u8]>, value: &[u8], seeds: &[Seed]) -> ProgramResult {
    let mut data = [0u8; 8 + 1 + 2 * (4 + MAX_ENTRY)];
    data[..8].copy_from_slice(&UPDATE_FIELD);
    let end = match key {
        None => {
            data[8] = 2; // Field::Uri
            9
        }
        Some(key) => {
            data[8] = 3; // Field::Key(String)
            put(&mut data, 9, key)?
        }
    };
    let end = put(&mut data, end, value)?;
    let metas = [InstructionAccount::writable(m.mint.address()), InstructionAccount::readonly_signer(m.authority.address())];
    invoke(m.token_program, &metas, &data[..end], &[m.mint, m.authority], seeds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discriminators_match_the_interface() {
        // From spl-token-metadata-interface: `[210, 225, 30, 162, 88, 184, 77, 141]` and
        // `[221, 233, 49, 45, 181, 202, 220, 200]`.
        assert_eq!(INITIALIZE, [210, 225, 30, 162, 88, 184, 77, 141]);
        assert_eq!(UPDATE_FIELD, [221, 233, 49, 45, 181, 202, 220, 200]);
    }

    #[test]
    fn metadata_size_counts_every_string() {
        assert_eq!(metadata_size(b"ab", b"c", b"", &[(b"k", b"vv")]), 4 + 64 + 6 + 5 + 4 + 4 + (4 + 1 + 4 + 2));
    }
}
