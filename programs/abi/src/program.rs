//! The program's entry: dispatch by instruction discriminator, and the IDL of the whole program.

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
        errors $errors:ty;
    ) => {
        #[cfg(any(target_os = "solana", target_arch = "bpf"))]
        $crate::pinocchio::program_entrypoint!(process_instruction);
        #[cfg(any(target_os = "solana", target_arch = "bpf"))]
        $crate::pinocchio::nostd_panic_handler!();
        #[cfg(any(target_os = "solana", target_arch = "bpf"))]
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
                    return $handler(<$ix>::parse(program_id, accounts, data)?, program_id);
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
