//! A layer's Token-2022 asset: the mint (supply 1, decimals 0) carrying its own metadata — name,
//! symbol `LAYER`, uri `ipfs://<CID>`, and the fields `cid`, `sha256` (hex), `base_model`,
//! `parent` (base58, empty when none), `license` and `version` — kept current as versions change.

use pinocchio::{
    sysvars::{rent::Rent, Sysvar},
    AccountView, Address, ProgramResult,
};
use pinocchio::error::ProgramError;
use pinocchio_system::instructions::Transfer;
use spicetime_abi::base58;
use spicetime_abi::token_metadata::{self, MetadataAccounts, MINT_WITH_POINTER_SIZE};

use crate::economy_cpi::with_authority_seeds;
use crate::errors::MarketError;

/// The token symbol of every layer.
pub const SYMBOL: &[u8; 5] = b"LAYER";
/// `ipfs://`.
const IPFS: &[u8; 7] = b"ipfs://";

/// The CID of an `ipfs://<CID>` uri: 1 to 64 base32/base58 characters.
pub fn cid_of(uri: &[u8]) -> Result<&[u8], ProgramError> {
    let cid = uri.strip_prefix(&IPFS[..]).ok_or(MarketError::InvalidUri)?;
    if cid.is_empty() || cid.len() > 64 || !cid.iter().all(u8::is_ascii_alphanumeric) {
        return Err(MarketError::InvalidUri.into());
    }
    Ok(cid)
}

/// Lower-case hex of 32 bytes.
pub fn hex32(bytes: &[u8; 32]) -> [u8; 64] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; 64];
    for (i, b) in bytes.iter().enumerate() {
        out[2 * i] = DIGITS[(b >> 4) as usize];
        out[2 * i + 1] = DIGITS[(b & 15) as usize];
    }
    out
}

/// Decimal text of a version number.
pub fn decimal(mut n: u32, out: &mut [u8; 10]) -> usize {
    let mut digits = [0u8; 10];
    let mut len = 0;
    loop {
        digits[len] = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for i in 0..len {
        out[i] = digits[len - 1 - i];
    }
    len
}

/// The text a layer's metadata holds for one version.
pub struct LayerMetadata<'a> {
    pub name: &'a [u8],
    pub uri: &'a [u8],
    pub cid: &'a [u8],
    pub sha256: &'a [u8; 32],
    pub base_model: &'a [u8],
    pub parent: Option<&'a Address>,
    pub license: &'a [u8],
    pub version: u32,
}

/// The token accounts and programs a layer mint is made with.
pub struct MintAccounts<'a> {
    /// Pays the mint's rent (signer).
    pub payer: &'a AccountView,
    /// The new mint (a fresh keypair, signer).
    pub mint: &'a AccountView,
    /// The marketplace authority PDA: mint authority (removed after the one token) and update authority.
    pub authority: &'a AccountView,
    pub token_2022: &'a AccountView,
}

impl LayerMetadata<'_> {
    /// Bytes of the mint once its metadata is written.
    fn mint_size(&self, parent: &[u8], sha: &[u8], version: &[u8]) -> usize {
        let fields = [(&b"cid"[..], self.cid), (b"sha256", sha), (b"base_model", self.base_model), (b"parent", parent), (b"license", self.license), (b"version", version)];
        MINT_WITH_POINTER_SIZE + token_metadata::metadata_size(self.name, SYMBOL, self.uri, &fields)
    }

    /// Creates the mint with the metadata pointer and metadata, funded for its final size. The
    /// caller mints the one token and removes the mint authority.
    pub fn create_mint(&self, a: &MintAccounts) -> ProgramResult {
        let mut parent_text = [0u8; base58::MAX_LEN];
        let parent_len = match self.parent {
            Some(parent) => base58::encode_32(&parent.to_bytes(), &mut parent_text),
            None => 0,
        };
        let sha = hex32(self.sha256);
        let mut version = [0u8; 10];
        let version_len = decimal(self.version, &mut version);
        let (parent, version) = (&parent_text[..parent_len], &version[..version_len]);

        let lamports = Rent::get()?.try_minimum_balance(self.mint_size(parent, &sha, version))?;
        pinocchio_system::instructions::CreateAccount {
            from: a.payer,
            to: a.mint,
            lamports,
            space: MINT_WITH_POINTER_SIZE as u64,
            owner: a.token_2022.address(),
        }
        .invoke()?;
        token_metadata::initialize_metadata_pointer(a.token_2022, a.mint, a.authority.address())?;
        spicetime_abi::token::initialize_mint(a.token_2022, a.mint, 0, a.authority.address())?;
        let m = MetadataAccounts { token_program: a.token_2022, mint: a.mint, authority: a.authority };
        with_authority_seeds(|seeds| {
            token_metadata::initialize_metadata(&m, self.name, SYMBOL, self.uri, seeds)?;
            for (key, value) in [(&b"cid"[..], self.cid), (b"sha256", &sha), (b"base_model", self.base_model), (b"parent", parent), (b"license", self.license), (b"version", version)] {
                token_metadata::update_metadata_field(&m, Some(key), value, seeds)?;
            }
            Ok(())
        })
    }
}

/// A new version's metadata: uri, cid, sha256 and version, after topping the mint's lamports up
/// to the rent of its new size (`payer` signs).
pub struct VersionUpdate<'a> {
    pub uri: &'a [u8],
    pub cid: &'a [u8],
    pub old_cid_len: usize,
    pub sha256: &'a [u8; 32],
    pub version: u32,
}

impl VersionUpdate<'_> {
    /// Writes the new version into the mint's metadata.
    pub fn apply(&self, a: &MintAccounts) -> ProgramResult {
        let sha = hex32(self.sha256);
        let mut version = [0u8; 10];
        let version_len = decimal(self.version, &mut version);
        let mut old_version = [0u8; 10];
        let old_version_len = decimal(self.version.saturating_sub(1), &mut old_version);
        // The uri and the cid field both carry the CID.
        let grown = a.mint.data_len() + 2 * self.cid.len() + version_len;
        let new_len = grown.saturating_sub(2 * self.old_cid_len + old_version_len);
        let rent = Rent::get()?.try_minimum_balance(new_len)?;
        let top_up = rent.saturating_sub(a.mint.lamports());
        if top_up > 0 {
            Transfer { from: a.payer, to: a.mint, lamports: top_up }.invoke()?;
        }
        let m = MetadataAccounts { token_program: a.token_2022, mint: a.mint, authority: a.authority };
        with_authority_seeds(|seeds| {
            token_metadata::update_metadata_field(&m, None, self.uri, seeds)?;
            token_metadata::update_metadata_field(&m, Some(b"cid"), self.cid, seeds)?;
            token_metadata::update_metadata_field(&m, Some(b"sha256"), &sha, seeds)?;
            token_metadata::update_metadata_field(&m, Some(b"version"), &version[..version_len], seeds)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_must_name_an_ipfs_cid() {
        assert_eq!(cid_of(b"ipfs://bafkreigh2akiscaild"), Ok(&b"bafkreigh2akiscaild"[..]));
        for bad in [&b"ipfs://"[..], b"https://x", b"ipfs://a/b", b"IPFS://abc"] {
            assert_eq!(cid_of(bad), Err(ProgramError::Custom(6003)));
        }
        assert!(cid_of(&[b"ipfs://".as_slice(), &[b'a'; 65]].concat()).is_err());
    }

    #[test]
    fn text_helpers() {
        let mut out = [0u8; 10];
        let n = decimal(0, &mut out);
        assert_eq!(&out[..n], b"0");
        let n = decimal(4_294_967_295, &mut out);
        assert_eq!(&out[..n], b"4294967295");
        let mut bytes = [0u8; 32];
        bytes[0] = 0xab;
        assert_eq!(&hex32(&bytes)[..4], b"ab00");
    }
}
