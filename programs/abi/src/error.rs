//! Errors in Anchor's shape: `Custom(code)` plus Anchor's log line, so `@coral-xyz/anchor` turns a
//! failed transaction into an `AnchorError` with the name, number and message.

use pinocchio::error::ProgramError;
use solana_program_log::Logger;

/// An error a program can return: a number, a name and a message.
pub trait ErrorCode: Copy {
    /// The number (`Custom(n)`): Anchor's own below 6000, a program's from 6000.
    fn code(self) -> u32;
    /// The variant name, as the IDL lists it.
    fn name(self) -> &'static str;
    /// The human-readable message.
    fn message(self) -> &'static str;
}

/// Logs Anchor's error line and returns the `Custom` error to fail with.
#[cold]
pub fn fail<E: ErrorCode>(error: E) -> ProgramError {
    log_error(error, None);
    ProgramError::Custom(error.code())
}

/// Like [`fail`], naming the account that broke a constraint (`AnchorError caused by account: …`).
#[cold]
pub fn fail_account<E: ErrorCode>(error: E, account: &str) -> ProgramError {
    log_error(error, Some(account));
    ProgramError::Custom(error.code())
}

fn log_error<E: ErrorCode>(error: E, account: Option<&str>) {
    let mut line = Logger::<256>::default();
    match account {
        Some(name) => line.append("AnchorError caused by account: ").append(name).append(". Error Code: "),
        None => line.append("AnchorError occurred. Error Code: "),
    };
    line.append(error.name())
        .append(". Error Number: ")
        .append(error.code() as u64)
        .append(". Error Message: ")
        .append(error.message())
        .append(".");
    line.log();
}

/// Anchor's own error codes (anchor-lang's `ErrorCode`), for the checks the framework makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum AnchorErrorCode {
    InstructionMissing = 100,
    InstructionFallbackNotFound = 101,
    InstructionDidNotDeserialize = 102,
    ConstraintSeeds = 2006,
    ConstraintAddress = 2012,
    ConstraintTokenMint = 2014,
    ConstraintTokenOwner = 2015,
    ConstraintDuplicateMutableAccount = 2040,
    AccountDiscriminatorAlreadySet = 3000,
    AccountDiscriminatorNotFound = 3001,
    AccountDiscriminatorMismatch = 3002,
    AccountDidNotDeserialize = 3003,
    AccountNotEnoughKeys = 3005,
    AccountNotMutable = 3006,
    AccountOwnedByWrongProgram = 3007,
    InvalidProgramId = 3008,
    AccountNotSigner = 3010,
    AccountNotSystemOwned = 3011,
    AccountNotInitialized = 3012,
    DeclaredProgramIdMismatch = 4100,
}

impl ErrorCode for AnchorErrorCode {
    fn code(self) -> u32 {
        self as u32
    }
    fn name(self) -> &'static str {
        use AnchorErrorCode::*;
        match self {
            InstructionMissing => "InstructionMissing",
            InstructionFallbackNotFound => "InstructionFallbackNotFound",
            InstructionDidNotDeserialize => "InstructionDidNotDeserialize",
            ConstraintSeeds => "ConstraintSeeds",
            ConstraintAddress => "ConstraintAddress",
            ConstraintTokenMint => "ConstraintTokenMint",
            ConstraintTokenOwner => "ConstraintTokenOwner",
            ConstraintDuplicateMutableAccount => "ConstraintDuplicateMutableAccount",
            AccountDiscriminatorAlreadySet => "AccountDiscriminatorAlreadySet",
            AccountDiscriminatorNotFound => "AccountDiscriminatorNotFound",
            AccountDiscriminatorMismatch => "AccountDiscriminatorMismatch",
            AccountDidNotDeserialize => "AccountDidNotDeserialize",
            AccountNotEnoughKeys => "AccountNotEnoughKeys",
            AccountNotMutable => "AccountNotMutable",
            AccountOwnedByWrongProgram => "AccountOwnedByWrongProgram",
            InvalidProgramId => "InvalidProgramId",
            AccountNotSigner => "AccountNotSigner",
            AccountNotSystemOwned => "AccountNotSystemOwned",
            AccountNotInitialized => "AccountNotInitialized",
            DeclaredProgramIdMismatch => "DeclaredProgramIdMismatch",
        }
    }
    fn message(self) -> &'static str {
        use AnchorErrorCode::*;
        match self {
            InstructionMissing => "Instruction discriminator not provided",
            InstructionFallbackNotFound => "Fallback functions are not supported",
            InstructionDidNotDeserialize => "The program could not deserialize the given instruction",
            ConstraintSeeds => "A seeds constraint was violated",
            ConstraintAddress => "An address constraint was violated",
            ConstraintTokenMint => "A token mint constraint was violated",
            ConstraintTokenOwner => "A token owner constraint was violated",
            ConstraintDuplicateMutableAccount => "The same mutable account was passed twice",
            AccountDiscriminatorAlreadySet => "The account discriminator was already set on this account",
            AccountDiscriminatorNotFound => "No discriminator was found on the account",
            AccountDiscriminatorMismatch => "The account discriminator did not match what was expected",
            AccountDidNotDeserialize => "Failed to deserialize the account",
            AccountNotEnoughKeys => "Not enough account keys given to the instruction",
            AccountNotMutable => "The given account is not mutable",
            AccountOwnedByWrongProgram => "The given account is owned by a different program than expected",
            InvalidProgramId => "Program ID was not as expected",
            AccountNotSigner => "The given account did not sign",
            AccountNotSystemOwned => "The given account is not owned by the system program",
            AccountNotInitialized => "The program expected this account to be already initialized",
            DeclaredProgramIdMismatch => "The declared program id does not match the actual program id",
        }
    }
}

impl From<AnchorErrorCode> for ProgramError {
    fn from(error: AnchorErrorCode) -> Self {
        fail(error)
    }
}

/// Declares a program's error enum: numbered from 6000 in order, append-only, each with a
/// message. Returning one (`Err(MyError::X.into())` or `?`) logs Anchor's error line.
#[macro_export]
macro_rules! program_errors {
    (
        $(#[doc = $doc:literal])*
        pub enum $name:ident { $( $(#[doc = $vdoc:literal])* $variant:ident = $code:literal => $msg:literal ),* $(,)? }
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(u32)]
        pub enum $name { $( $(#[doc = $vdoc])* $variant = $code, )* }

        // Numbers run from 6000 without gaps, so the enum can only grow at its end.
        const _: () = {
            let mut expected = 6000u32;
            $( assert!($code == expected, "program error numbers must run 6000, 6001, ... in order"); expected += 1; )*
            let _ = expected;
        };

        impl $crate::error::ErrorCode for $name {
            fn code(self) -> u32 { self as u32 }
            fn name(self) -> &'static str { match self { $( Self::$variant => stringify!($variant), )* } }
            fn message(self) -> &'static str { match self { $( Self::$variant => $msg, )* } }
        }

        impl From<$name> for $crate::pinocchio::error::ProgramError {
            fn from(error: $name) -> Self { $crate::error::fail(error) }
        }

        #[cfg(feature = "idl-build")]
        impl $name {
            /// The IDL `errors` entries.
            pub fn idl_errors() -> std::vec::Vec<std::string::String> {
                std::vec![$( $crate::idl::error($code, stringify!($variant), $msg) ),*]
            }
        }
    };
}
