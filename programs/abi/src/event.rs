//! Events as Anchor emits them: `sol_log_data(discriminator ++ borsh)`, which validators log as
//! `Program data: <base64>` and Anchor's `EventParser` decodes.

/// Declares an event: the struct, its [`Borsh`](crate::borsh::Borsh) layout and `emit()`.
#[macro_export]
macro_rules! event {
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident { $( $(#[doc = $fdoc:literal])* $field:ident : $ty:ty ),* $(,)? }
    ) => {
        $crate::borsh_struct! { $(#[doc = $doc])* pub struct $name { $( $(#[doc = $fdoc])* $field : $ty ),* } }

        impl $name {
            /// `sha256("event:<Name>")[..8]`.
            pub const DISCRIMINATOR: [u8; 8] = $crate::discriminator::event(stringify!($name));
            const ENCODED_LEN: usize = 8 + <Self as $crate::borsh::Borsh>::SIZE;

            /// Logs the event for indexers and clients.
            #[inline(always)]
            pub fn emit(&self) {
                let mut buf = [0u8; Self::ENCODED_LEN];
                buf[..8].copy_from_slice(&Self::DISCRIMINATOR);
                // Variable-length fields (text) write less than their bound: log what was written.
                let unused = $crate::borsh::Borsh::write(self, &mut buf[8..]).len();
                $crate::solana_program_log::log_data(&[&buf[..Self::ENCODED_LEN - unused]]);
            }
        }

        #[cfg(feature = "idl-build")]
        impl $name {
            /// The IDL `events` entry.
            pub fn idl_event() -> std::string::String {
                $crate::idl::named_discriminator(stringify!($name), &Self::DISCRIMINATOR)
            }
        }
    };
}
