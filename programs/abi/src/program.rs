//! The program's entry: dispatch by instruction discriminator, and the IDL of the whole program.

use pinocchio::{error::ProgramError, AccountView, Address, ProgramResult};

/// One instruction's parse-and-handle, kept out of line so each instruction gets its own stack
/// frame (inlined together they would overflow SBPF's 4 KiB). It returns the runtime's u64 result
/// code rather than a `Result`, which the BPF calling convention would return through a sixth,
/// hidden argument.
pub trait Handler {
    /// Parses the accounts and data, runs the handler, and returns 0 or the error's code.
    fn handle(program_id: &Address, accounts: &[AccountView], data: &[u8]) -> u64;
}

/// Turns a [`Handler`] result code back into a `ProgramResult`.
#[inline(always)]
pub fn result(code: u64) -> ProgramResult {
    if code == 0 {
        Ok(())
    } else {
        Err(ProgramError::from(code))
    }
}

/// Declares the entrypoint, the dispatch table and (with `idl-build`) the program's IDL.
///
/// Each instruction line names the instruction type and its handler,
/// `fn(ix: Instruction, program_id: &Address) -> ProgramResult`.
#[macro_export]
macro_rules! program {
    (
        id = $id:path;
        name = $pname:literal;
        instructions {
            $( $(#[doc = $doc:literal])* $ix:ty => $handler:path, )*
        }
        accounts [ $($account:ty),* $(,)? ]
        events [ $($event:ty),* $(,)? ]
        types [ $($type:ty),* $(,)? ]
        errors $errors:ty;
    ) => {
        $(
            impl $crate::program::Handler for $ix {
                #[inline(never)]
                fn handle(
                    program_id: &$crate::pinocchio::Address,
                    accounts: &[$crate::pinocchio::AccountView],
                    data: &[u8],
                ) -> u64 {
                    let outcome = match <$ix>::parse(program_id, accounts, data) {
                        Ok(ix) => $handler(ix, program_id),
                        Err(e) => Err(e),
                    };
                    match outcome {
                        Ok(()) => 0,
                        Err(e) => u64::from(e),
                    }
                }
            }
        )*

        // `no-entrypoint`: another program links this one as a library (its accounts, ids and
        // instruction types) without a second entrypoint.
        #[cfg(all(any(target_os = "solana", target_arch = "bpf"), not(feature = "no-entrypoint")))]
        $crate::pinocchio::program_entrypoint!(process_instruction);
        #[cfg(all(any(target_os = "solana", target_arch = "bpf"), not(feature = "no-entrypoint")))]
        $crate::pinocchio::nostd_panic_handler!();
        #[cfg(all(any(target_os = "solana", target_arch = "bpf"), not(feature = "no-entrypoint")))]
        $crate::pinocchio::no_allocator!();

        /// Dispatches on the 8-byte instruction discriminator.
        pub fn process_instruction(
            program_id: &$crate::pinocchio::Address,
            accounts: &mut [$crate::pinocchio::AccountView],
            data: &[u8],
        ) -> $crate::pinocchio::ProgramResult {
            use $crate::error::{fail, AnchorErrorCode};
            if program_id != &$id {
                return Err(fail(AnchorErrorCode::DeclaredProgramIdMismatch));
            }
            let Some(discriminator) = data.first_chunk::<8>() else {
                return Err(fail(AnchorErrorCode::InstructionMissing));
            };
            $(
                if *discriminator == <$ix>::DISCRIMINATOR {
                    return $crate::program::result(<$ix as $crate::program::Handler>::handle(program_id, accounts, data));
                }
            )*
            Err(fail(AnchorErrorCode::InstructionFallbackNotFound))
        }

        /// The program's Anchor IDL, with an empty address for the toolchain to fill in.
        #[cfg(feature = "idl-build")]
        pub fn idl() -> std::string::String {
            let mut types: std::vec::Vec<std::string::String> = std::vec![];
            $( types.push(<$account>::idl_type_def()); )*
            $( types.push(<$event>::idl_type_def()); )*
            $( types.push(<$type>::idl_type_def()); )*
            $crate::idl::program(
                $pname,
                env!("CARGO_PKG_VERSION"),
                env!("CARGO_PKG_DESCRIPTION"),
                &[$(<$ix>::idl_instruction()),*],
                &[$(<$account>::idl_account()),*],
                &[$(<$event>::idl_event()),*],
                &<$errors>::idl_errors(),
                &types,
            )
        }
    };
}
