//! Declaring an instruction once gives: its discriminator, the account list with its checks
//! (count, signer, writable, pinned address, canonical PDA, no duplicate writable account),
//! Borsh argument decoding, and its IDL entry.
//!
//! ```ignore
//! spicetime_abi::instruction! {
//!     /// Creates the configuration.
//!     pub struct ConfigInit = "config_init" {
//!         accounts {
//!             /// The config PDA.
//!             config: [writable] seeds(b"config"),
//!             admin: [writable, signer],
//!             system_program: [] address(SYSTEM_PROGRAM_ID),
//!         }
//!         args {
//!             burn_bps: u16,
//!         }
//!     }
//! }
//! ```
//! Accounts with `seeds(...)` are derived on chain and become [`Pda`](crate::pda::Pda)s (the
//! canonical bump in `.bump`): for accounts an instruction creates or signs for. A program's
//! singleton PDAs of one constant seed are `known(CONST)` instead ([`KnownPda`](crate::pda::KnownPda),
//! derived at compile time): one address comparison, the same `Pda`, seeds and address in the IDL. `pda(...)` only
//! tells clients the seeds (Anchor resolves the address from the IDL) and costs nothing on chain:
//! for accounts the handler authenticates otherwise — a program account by its owner and
//! discriminator (the program creates each type only at its canonical PDA) and its stored keys,
//! a signer PDA or vault by the address stored at creation. A seed is a byte-string literal, a constant in braces (`{CONFIG_SEED}`), the name of another
//! account of the instruction, or an integer argument in brackets (`[position_id]`, little-endian).
//!
//! An `optional` account (Anchor's optional accounts) is absent when the client passes the program's
//! own id in its slot; it becomes an `Option<AccountView>`, and its checks apply only when present.
//! A `dup` writable account may be the same as another writable account (a token account only
//! credited, which may belong to two recipients at once); every other writable account is unique.

/// Declares an instruction; see the [module docs](self).
#[macro_export]
macro_rules! instruction {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident = $ix:literal {
            accounts {
                $(
                    $(#[doc = $adoc:literal])*
                    $acc:ident : [$($flag:ident),*] $(seeds($($seed:tt),+))? $(known($known:path))? $(pda($($pda:tt),+))? $(address($addr:path))?
                ),* $(,)?
            }
            args { $( $(#[doc = $fdoc:literal])* $arg:ident : $aty:ty ),* $(,)? }
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name {
            $( $(#[doc = $adoc])* pub $acc: $crate::__account_field!([$($flag),*] $($(@ $seed)+)? $(@ $known)?), )*
            $( $(#[doc = $fdoc])* pub $arg: $aty, )*
        }

        impl $name {
            /// The instruction's name in the IDL.
            pub const NAME: &'static str = $ix;
            /// `sha256("global:<name>")[..8]`.
            pub const DISCRIMINATOR: [u8; 8] = $crate::discriminator::instruction($ix);

            /// Checks the accounts and decodes the arguments of `data` (discriminator included).
            #[inline(always)]
            pub fn parse(
                program_id: &$crate::pinocchio::Address,
                accounts: &[$crate::pinocchio::AccountView],
                data: &[u8],
            ) -> Result<Self, $crate::pinocchio::error::ProgramError> {
                let _ = program_id;
                let mut views = accounts.iter();
                $(
                    let $acc: $crate::pinocchio::AccountView = *views.next().ok_or_else(|| {
                        $crate::error::fail_account($crate::error::AnchorErrorCode::AccountNotEnoughKeys, stringify!($acc))
                    })?;
                    if !$crate::__has_flag!(optional; $($flag),*) || $acc.address() != program_id {
                        $( $crate::__account_flag!($flag, $acc); )*
                        $( $crate::account::check_address(&$acc, &$addr, stringify!($acc))?; )?
                    }
                )*
                // No account in two writable slots (the program's own id, an absent optional account,
                // is never writable here). One comparison per pair of such slots, unrolled: pairs
                // with a read-only slot vanish at compile time.
                $crate::__distinct_pairs!($( ($acc, $crate::__has_flag!(writable; $($flag),*) && !$crate::__has_flag!(dup; $($flag),*)
                    && (!$crate::__has_flag!(optional; $($flag),*) || $acc.address() != program_id)) )*);
                $( let $acc = $crate::__account_optional!([$($flag),*] $acc, program_id); )*
                let mut args = &data[8..];
                $(
                    let $arg = <$aty as $crate::borsh::Borsh>::read(&mut args)
                        .ok_or_else(|| $crate::error::fail($crate::error::AnchorErrorCode::InstructionDidNotDeserialize))?;
                )*
                if !args.is_empty() {
                    return Err($crate::error::fail($crate::error::AnchorErrorCode::InstructionDidNotDeserialize));
                }
                $( $(
                    let $acc = $crate::pda::verify($acc, &[$($crate::__seed_bytes!($seed)),+], program_id, stringify!($acc))?;
                )? )*
                $( $(
                    let $acc = $crate::pda::verify_known($acc, &$known, stringify!($acc))?;
                )? )*
                // `pda(...)` seeds only feed the IDL; naming their constants here keeps every build
                // using them (the optimiser drops it).
                $( $( $( $crate::__seed_touch!($pda); )+ )? )*
                Ok(Self { $($acc,)* $($arg,)* })
            }
        }

        #[cfg(feature = "idl-build")]
        impl $name {
            /// The IDL `instructions` entry.
            pub fn idl_instruction() -> std::string::String {
                let accounts: std::vec::Vec<std::string::String> = std::vec![$(
                    $crate::idl::instruction_account(
                        stringify!($acc),
                        &[$($adoc),*],
                        $crate::__has_flag!(writable; $($flag),*),
                        $crate::__has_flag!(signer; $($flag),*),
                        $crate::__has_flag!(optional; $($flag),*),
                        {
                            #[allow(unused_mut)]
                            let mut seeds: Option<std::vec::Vec<std::string::String>> = None;
                            $( seeds = Some(std::vec![$($crate::__seed_idl!($seed)),+]); )?
                            $( seeds = Some(std::vec![$crate::idl::seed_const($known.seed)]); )?
                            $( seeds = Some(std::vec![$($crate::__seed_idl!($pda)),+]); )?
                            seeds
                        },
                        {
                            #[allow(unused_mut)]
                            let mut address: Option<std::string::String> = None;
                            $( address = Some($crate::idl::base58($addr.as_ref())); )?
                            $( address = Some($crate::idl::base58($known.address.as_ref())); )?
                            address
                        },
                    )
                ),*];
                let args: std::vec::Vec<std::string::String> = std::vec![$(
                    $crate::idl::field(stringify!($arg), &[$($fdoc),*], &<$aty as $crate::borsh::Borsh>::idl_type())
                ),*];
                $crate::idl::instruction($ix, &[$($doc),*], &Self::DISCRIMINATOR, &accounts, &args)
            }
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __distinct_pairs {
    () => {};
    (($a:ident, $unique_a:expr) $( ($b:ident, $unique_b:expr) )*) => {
        if $unique_a {
            $( if $unique_b { $crate::account::check_distinct(&$a, &$b, stringify!($a))?; } )*
        }
        $crate::__distinct_pairs!($( ($b, $unique_b) )*);
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __account_field {
    ([$($flag:ident),*]) => { $crate::__account_view_type!($($flag),*) };
    ([$($flag:ident),*] $($seeds:tt)+) => { $crate::pda::Pda };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __account_view_type {
    () => { $crate::pinocchio::AccountView };
    (optional $(, $rest:ident)*) => { Option<$crate::pinocchio::AccountView> };
    ($first:ident $(, $rest:ident)*) => { $crate::__account_view_type!($($rest),*) };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __account_optional {
    ([] $acc:ident, $program_id:ident) => { $acc };
    ([optional $(, $rest:ident)*] $acc:ident, $program_id:ident) => {
        if $acc.address() == $program_id { None } else { Some($acc) }
    };
    ([$first:ident $(, $rest:ident)*] $acc:ident, $program_id:ident) => { $crate::__account_optional!([$($rest),*] $acc, $program_id) };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __account_flag {
    (writable, $acc:ident) => { $crate::account::check_writable(&$acc, stringify!($acc))? };
    (signer, $acc:ident) => { $crate::account::check_signer(&$acc, stringify!($acc))? };
    (optional, $acc:ident) => {};
    (dup, $acc:ident) => {};
    ($other:ident, $acc:ident) => { compile_error!(concat!("unknown account flag `", stringify!($other), "`: use writable, signer, optional or dup")) };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __has_flag {
    ($want:ident;) => { false };
    (writable; writable $(, $rest:ident)*) => { true };
    (signer; signer $(, $rest:ident)*) => { true };
    (optional; optional $(, $rest:ident)*) => { true };
    (dup; dup $(, $rest:ident)*) => { true };
    ($want:ident; $first:ident $(, $rest:ident)*) => { $crate::__has_flag!($want; $($rest),*) };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __seed_bytes {
    ($lit:literal) => { &$lit[..] };
    ({ $seed:expr }) => { &$seed[..] };
    ([ $arg:ident ]) => { &$arg.to_le_bytes()[..] };
    ($acc:ident) => { $acc.address().as_ref() };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __seed_touch {
    ({ $seed:expr }) => { let _ = &$seed; };
    ($other:tt) => {};
}

#[doc(hidden)]
#[macro_export]
macro_rules! __seed_idl {
    ($lit:literal) => { $crate::idl::seed_const(&$lit[..]) };
    ({ $seed:expr }) => { $crate::idl::seed_const(&$seed[..]) };
    ([ $arg:ident ]) => { $crate::idl::seed_arg(stringify!($arg)) };
    ($acc:ident) => { $crate::idl::seed_account(stringify!($acc)) };
}
