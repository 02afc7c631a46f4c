//! Account checks (signer, writable, owner, address, discriminator, duplicates) and typed
//! program accounts: Anchor's layout of an 8-byte discriminator followed by Borsh fields.

use pinocchio::{error::ProgramError, AccountView, Address};

use crate::borsh::Borsh;
use crate::error::{fail_account, AnchorErrorCode};

/// The System program's id.
pub const SYSTEM_PROGRAM_ID: Address = Address::new_from_array([0; 32]);

/// `AccountNotSigner` (3010) unless `view` signed.
#[inline(always)]
pub fn check_signer(view: &AccountView, name: &str) -> Result<(), ProgramError> {
    if !view.is_signer() {
        return Err(fail_account(AnchorErrorCode::AccountNotSigner, name));
    }
    Ok(())
}

/// `AccountNotMutable` (3006) unless `view` is writable.
#[inline(always)]
pub fn check_writable(view: &AccountView, name: &str) -> Result<(), ProgramError> {
    if !view.is_writable() {
        return Err(fail_account(AnchorErrorCode::AccountNotMutable, name));
    }
    Ok(())
}

/// `ConstraintAddress` (2012) unless `view` is at `expected` (pinned program ids, sysvars).
#[inline(always)]
pub fn check_address(view: &AccountView, expected: &Address, name: &str) -> Result<(), ProgramError> {
    if view.address() != expected {
        return Err(fail_account(AnchorErrorCode::ConstraintAddress, name));
    }
    Ok(())
}

/// `ConstraintDuplicateMutableAccount` (2040) when one account fills two writable slots.
#[inline(always)]
pub fn check_no_duplicate_writable(slots: &[(&str, &AccountView, bool)]) -> Result<(), ProgramError> {
    for (i, (name, a, writable)) in slots.iter().enumerate() {
        if !writable {
            continue;
        }
        for (_, b, other_writable) in &slots[i + 1..] {
            if *other_writable && a.address() == b.address() {
                return Err(fail_account(AnchorErrorCode::ConstraintDuplicateMutableAccount, name));
            }
        }
    }
    Ok(())
}

/// A program-owned account type: an Anchor discriminator, then the Borsh fields.
pub trait AccountData: Borsh {
    /// `sha256("account:<Name>")[..8]`.
    const DISCRIMINATOR: [u8; 8];
    /// Bytes the account occupies: the discriminator plus the fields.
    const SPACE: usize = 8 + Self::SIZE;

    /// Reads the account, checking its owner, discriminator and size.
    fn load(view: &AccountView, program_id: &Address, name: &str) -> Result<Self, ProgramError> {
        if !view.owned_by(program_id) {
            let code = if view.owned_by(&SYSTEM_PROGRAM_ID) && view.is_data_empty() {
                AnchorErrorCode::AccountNotInitialized
            } else {
                AnchorErrorCode::AccountOwnedByWrongProgram
            };
            return Err(fail_account(code, name));
        }
        let data = view.try_borrow()?;
        if data.len() < 8 {
            return Err(fail_account(AnchorErrorCode::AccountDiscriminatorNotFound, name));
        }
        if data[..8] != Self::DISCRIMINATOR {
            return Err(fail_account(AnchorErrorCode::AccountDiscriminatorMismatch, name));
        }
        let mut fields = &data[8..];
        Self::read(&mut fields).ok_or_else(|| fail_account(AnchorErrorCode::AccountDidNotDeserialize, name))
    }

    /// Writes the discriminator and fields into a program-owned account.
    fn save(&self, view: &mut AccountView) -> Result<(), ProgramError> {
        let mut data = view.try_borrow_mut()?;
        if data.len() < Self::SPACE {
            return Err(ProgramError::AccountDataTooSmall);
        }
        data[..8].copy_from_slice(&Self::DISCRIMINATOR);
        self.write(&mut data[8..]);
        Ok(())
    }
}

/// Declares a program account type: the struct, its [`Borsh`] layout and [`AccountData`].
#[macro_export]
macro_rules! account {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident { $( $(#[doc = $fdoc:literal])* $field:ident : $ty:ty ),* $(,)? }
    ) => {
        $crate::borsh_struct! { $(#[doc = $doc])* pub struct $name { $( $(#[doc = $fdoc])* $field : $ty ),* } }

        impl $crate::account::AccountData for $name {
            const DISCRIMINATOR: [u8; 8] = $crate::discriminator::account(stringify!($name));
        }

        #[cfg(feature = "idl-build")]
        impl $name {
            /// The IDL `accounts` entry.
            pub fn idl_account() -> std::string::String {
                $crate::idl::named_discriminator(stringify!($name), &<Self as $crate::account::AccountData>::DISCRIMINATOR)
            }
        }
    };
}

/// Closes a program account: its lamports go to `destination`, its data and owner are cleared,
/// so it cannot be revived with stale contents within the transaction.
pub fn close(view: &mut AccountView, destination: &mut AccountView) -> Result<(), ProgramError> {
    let lamports = destination.lamports().checked_add(view.lamports()).ok_or(ProgramError::ArithmeticOverflow)?;
    {
        let mut data = view.try_borrow_mut()?;
        data.fill(0);
    }
    destination.set_lamports(lamports);
    view.set_lamports(0);
    view.close()
}
