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

/// `ConstraintDuplicateMutableAccount` (2040) unless `a` and `b` are different accounts. The
/// entrypoint gives every slot of one account the same view (the runtime serialises a repeated
/// account as a reference to its first slot), so comparing the views' pointers compares accounts.
#[inline(always)]
pub fn check_distinct(a: &AccountView, b: &AccountView, name: &str) -> Result<(), ProgramError> {
    if core::ptr::eq(a.account_ptr(), b.account_ptr()) {
        return Err(fail_account(AnchorErrorCode::ConstraintDuplicateMutableAccount, name));
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
        check_owner_and_discriminator::<Self>(view, program_id, name)?;
        let data = view.try_borrow()?;
        let mut fields = &data[8..];
        Self::read(&mut fields).ok_or_else(|| fail_account(AnchorErrorCode::AccountDidNotDeserialize, name))
    }

    /// The account in place, read-only, for a `#[zero_copy]` type (checks of [`Self::load_mut`]):
    /// no copy. It reads the account's bytes as they are; don't hold it across a CPI given the
    /// account writable.
    #[inline(always)]
    fn load_ref<'a>(view: &'a AccountView, program_id: &Address, name: &str) -> Result<&'a Self, ProgramError> {
        const { assert!(Self::POD, "load_ref needs a #[zero_copy] account type") };
        check_owner_and_discriminator::<Self>(view, program_id, name)?;
        // SAFETY: shared, read-only; the parser refuses one account in two writable slots.
        let data = unsafe { view.borrow_unchecked() };
        check_pod_bytes::<Self>(data, name)?;
        // SAFETY: as in `load_mut`.
        Ok(unsafe { &*(data.as_ptr().add(8) as *const Self) })
    }

    /// The account in place, for a `#[zero_copy]` type, after the checks of [`Self::load`] and a
    /// validity check of its bools and enums: changes are written straight into the account, with
    /// no copy in and no [`Self::save`]. Only for accounts of the running program, which no CPI of
    /// the handler is given (a CPI could change the data behind the reference).
    #[inline(always)]
    fn load_mut<'a>(view: &'a mut AccountView, program_id: &Address, name: &str) -> Result<&'a mut Self, ProgramError> {
        const { assert!(Self::POD, "load_mut needs a #[zero_copy] account type") };
        check_writable(view, name)?;
        check_owner_and_discriminator::<Self>(view, program_id, name)?;
        // SAFETY: the parser refuses one account in two writable slots, and nothing else borrows
        // the data while the handler holds the reference.
        let data = unsafe { view.borrow_unchecked_mut() };
        check_pod_bytes::<Self>(data, name)?;
        // SAFETY: `Self` is packed (alignment 1) and `SIZE` bytes, every field's bytes were checked
        // valid, and the slice is at least `SPACE` long.
        Ok(unsafe { &mut *(data.as_mut_ptr().add(8) as *mut Self) })
    }

    /// A run of the account's fixed-size fields in place, as the `#[zero_copy]` type `P` whose
    /// every byte pattern is valid (integers only), `offset` bytes into the fields: for handlers
    /// that change only those fields of a large account, with no copy of the rest. The checks of
    /// [`Self::load_mut`]; the caller names where the run starts (a wrong offset gives wrong
    /// numbers, never an invalid value).
    #[inline(always)]
    fn load_part_mut<'a, P: Borsh>(view: &'a mut AccountView, program_id: &Address, offset: usize, name: &str) -> Result<&'a mut P, ProgramError> {
        const {
            assert!(
                P::POD && P::ANY_BYTES && core::mem::align_of::<P>() == 1 && core::mem::size_of::<P>() == P::SIZE,
                "load_part_mut takes a #[zero_copy] (packed, alignment 1) run of integers"
            )
        };
        check_writable(view, name)?;
        check_owner_and_discriminator::<Self>(view, program_id, name)?;
        // SAFETY: as in `load_mut`: one writable slot per account, nothing else borrows the data.
        let data = unsafe { view.borrow_unchecked_mut() };
        let end = 8usize.checked_add(offset).and_then(|at| at.checked_add(P::SIZE)).ok_or(ProgramError::ArithmeticOverflow)?;
        if data.len() < end || end > 8 + Self::SIZE {
            return Err(fail_account(AnchorErrorCode::AccountDidNotDeserialize, name));
        }
        // SAFETY: `P` is packed (alignment 1), `SIZE` bytes within the account's data, and every
        // byte pattern is a valid `P`.
        Ok(unsafe { &mut *(data.as_mut_ptr().add(8 + offset) as *mut P) })
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

/// `AccountDidNotDeserialize` (3003) unless `data` holds a whole, valid `T` after its discriminator:
/// what makes the in-place casts of `load_ref` / `load_mut` sound.
#[inline(always)]
fn check_pod_bytes<T: AccountData>(data: &[u8], name: &str) -> Result<(), ProgramError> {
    if data.len() < T::SPACE || !T::pod_valid(&data[8..]) {
        return Err(fail_account(AnchorErrorCode::AccountDidNotDeserialize, name));
    }
    Ok(())
}

/// Owner and discriminator checks shared by every way of reading a program account.
#[inline(always)]
fn check_owner_and_discriminator<T: AccountData>(view: &AccountView, program_id: &Address, name: &str) -> Result<(), ProgramError> {
    if !view.owned_by(program_id) {
        let code = if view.owned_by(&SYSTEM_PROGRAM_ID) && view.is_data_empty() {
            AnchorErrorCode::AccountNotInitialized
        } else {
            AnchorErrorCode::AccountOwnedByWrongProgram
        };
        return Err(fail_account(code, name));
    }
    // SAFETY: read only for the comparison, while no mutable borrow exists.
    let data = unsafe { view.borrow_unchecked() };
    if data.len() < 8 {
        return Err(fail_account(AnchorErrorCode::AccountDiscriminatorNotFound, name));
    }
    if data[..8] != T::DISCRIMINATOR {
        return Err(fail_account(AnchorErrorCode::AccountDiscriminatorMismatch, name));
    }
    Ok(())
}

/// Declares a program account type: the struct, its [`Borsh`] layout and [`AccountData`].
/// `#[zero_copy]` before the docs makes it a packed, one-copy layout (see
/// [`borsh_struct!`](crate::borsh_struct)).
#[macro_export]
macro_rules! account {
    (
        #[zero_copy]
        $(#[doc = $doc:literal])*
        pub struct $name:ident { $( $(#[doc = $fdoc:literal])* $field:ident : $ty:ty ),* $(,)? }
    ) => {
        $crate::borsh_struct! { #[zero_copy] $(#[doc = $doc])* pub struct $name { $( $(#[doc = $fdoc])* $field : $ty ),* } }
        $crate::__account_data!($name);
    };
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident { $( $(#[doc = $fdoc:literal])* $field:ident : $ty:ty ),* $(,)? }
    ) => {
        $crate::borsh_struct! { $(#[doc = $doc])* pub struct $name { $( $(#[doc = $fdoc])* $field : $ty ),* } }
        $crate::__account_data!($name);
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __account_data {
    ($name:ident) => {
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
