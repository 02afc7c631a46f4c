//! Borsh-compatible fixed-size layouts: what Anchor's coder writes and reads, without the crate.

use pinocchio::Address;

/// A value with a fixed-size Borsh encoding.
pub trait Borsh: Sized {
    /// Encoded size in bytes.
    const SIZE: usize;
    /// Decodes from the front of `input`, advancing it; `None` when too short or invalid.
    fn read(input: &mut &[u8]) -> Option<Self>;
    /// Encodes into the front of `out` (at least [`Self::SIZE`] bytes), returning the rest.
    fn write<'a>(&self, out: &'a mut [u8]) -> &'a mut [u8];
    /// Whether the type's memory layout, aligned to 1, is its Borsh encoding (integers, addresses,
    /// bools, one-byte enums, arrays and `#[zero_copy]` structs of them), so a value is read and
    /// written with one copy, once [`Self::pod_valid`] accepts the bytes.
    const POD: bool = false;
    /// For [`Self::POD`] types: whether `bytes` (at least [`Self::SIZE`]) hold a valid value (a bool
    /// is 0 or 1, an enum tag names a variant).
    #[inline(always)]
    fn pod_valid(_bytes: &[u8]) -> bool {
        true
    }
    /// For [`Self::POD`] types: whether every byte pattern is a valid value (integers, addresses,
    /// arrays and structs of them), so [`Self::pod_valid`] need not look.
    const ANY_BYTES: bool = false;
    /// The type as Anchor's IDL names it.
    #[cfg(feature = "idl-build")]
    fn idl_type() -> std::string::String;
}

fn take<'a>(input: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
    if input.len() < n {
        return None;
    }
    let (head, rest) = input.split_at(n);
    *input = rest;
    Some(head)
}

macro_rules! borsh_int {
    ($($ty:ty => $idl:literal),*) => {$(
        impl Borsh for $ty {
            const SIZE: usize = core::mem::size_of::<$ty>();
            const POD: bool = true;
            const ANY_BYTES: bool = true;
            #[inline(always)]
            fn read(input: &mut &[u8]) -> Option<Self> {
                Some(<$ty>::from_le_bytes(take(input, Self::SIZE)?.try_into().ok()?))
            }
            #[inline(always)]
            fn write<'a>(&self, out: &'a mut [u8]) -> &'a mut [u8] {
                let (head, rest) = out.split_at_mut(Self::SIZE);
                head.copy_from_slice(&self.to_le_bytes());
                rest
            }
            #[cfg(feature = "idl-build")]
            fn idl_type() -> std::string::String {
                std::format!("\"{}\"", $idl)
            }
        }
    )*};
}
borsh_int!(u8 => "u8", u16 => "u16", u32 => "u32", u64 => "u64", u128 => "u128", i8 => "i8", i16 => "i16", i32 => "i32", i64 => "i64", i128 => "i128");

impl Borsh for bool {
    const SIZE: usize = 1;
    const POD: bool = true;
    #[inline(always)]
    fn pod_valid(bytes: &[u8]) -> bool {
        bytes[0] <= 1
    }
    #[inline(always)]
    fn read(input: &mut &[u8]) -> Option<Self> {
        match take(input, 1)?[0] {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
    #[inline(always)]
    fn write<'a>(&self, out: &'a mut [u8]) -> &'a mut [u8] {
        (*self as u8).write(out)
    }
    #[cfg(feature = "idl-build")]
    fn idl_type() -> std::string::String {
        "\"bool\"".into()
    }
}

impl Borsh for Address {
    const SIZE: usize = 32;
    const POD: bool = true;
    const ANY_BYTES: bool = true;
    #[inline(always)]
    fn read(input: &mut &[u8]) -> Option<Self> {
        let bytes: [u8; 32] = take(input, 32)?.try_into().ok()?;
        Some(Address::new_from_array(bytes))
    }
    #[inline(always)]
    fn write<'a>(&self, out: &'a mut [u8]) -> &'a mut [u8] {
        let (head, rest) = out.split_at_mut(32);
        head.copy_from_slice(self.as_ref());
        rest
    }
    #[cfg(feature = "idl-build")]
    fn idl_type() -> std::string::String {
        "\"pubkey\"".into()
    }
}

impl<T: Borsh + Copy + Default, const N: usize> Borsh for [T; N] {
    const SIZE: usize = N * T::SIZE;
    const POD: bool = T::POD;
    const ANY_BYTES: bool = T::ANY_BYTES;
    #[inline(always)]
    fn pod_valid(bytes: &[u8]) -> bool {
        T::ANY_BYTES || (0..N).all(|i| T::pod_valid(&bytes[i * T::SIZE..]))
    }
    #[inline(always)]
    fn read(input: &mut &[u8]) -> Option<Self> {
        let mut out = [T::default(); N];
        if Self::COPIED {
            // One copy for an array of POD values (a hash, addresses, `#[zero_copy]` structs).
            let bytes = take(input, Self::SIZE)?;
            if !Self::pod_valid(bytes) {
                return None;
            }
            // SAFETY: T is POD with no padding (its size is its encoding's), so its memory is its
            // encoding; `pod_valid` accepted the bytes; `out` holds exactly `Self::SIZE` bytes.
            unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), out.as_mut_ptr().cast::<u8>(), Self::SIZE) };
            return Some(out);
        }
        for slot in out.iter_mut() {
            *slot = T::read(input)?;
        }
        Some(out)
    }
    #[inline(always)]
    fn write<'a>(&self, out: &'a mut [u8]) -> &'a mut [u8] {
        if Self::COPIED {
            let (head, rest) = out.split_at_mut(Self::SIZE);
            // SAFETY: as in `read`: the values' memory is their encoding, `Self::SIZE` bytes.
            unsafe { core::ptr::copy_nonoverlapping(self.as_ptr().cast::<u8>(), head.as_mut_ptr(), Self::SIZE) };
            return rest;
        }
        let mut rest = out;
        for item in self {
            rest = item.write(rest);
        }
        rest
    }
    #[cfg(feature = "idl-build")]
    fn idl_type() -> std::string::String {
        std::format!("{{\"array\":[{},{N}]}}", T::idl_type())
    }
}

/// Arrays of POD values whose memory is their encoding are read and written with one copy.
trait Copied {
    const COPIED: bool;
}

impl<T: Borsh + Copy + Default, const N: usize> Copied for [T; N] {
    const COPIED: bool = T::POD && core::mem::size_of::<T>() == T::SIZE && cfg!(target_endian = "little");
}

/// A UTF-8 string of at most `N` bytes, encoded as Borsh's `string` (a u32 length, then the
/// bytes). Accounts reserve `4 + N` bytes for it; only `4 + len` are written, and later fields
/// follow right after, as Anchor's coder reads them.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Text<const N: usize> {
    len: usize,
    bytes: [u8; N],
}

impl<const N: usize> Default for Text<N> {
    fn default() -> Self {
        Text { len: 0, bytes: [0; N] }
    }
}

impl<const N: usize> core::fmt::Debug for Text<N> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl<const N: usize> Text<N> {
    /// The text of `bytes`, or `None` when longer than `N` or not UTF-8.
    pub fn new(bytes: &[u8]) -> Option<Self> {
        if bytes.len() > N || core::str::from_utf8(bytes).is_err() {
            return None;
        }
        let mut text = Self::default();
        text.bytes[..bytes.len()].copy_from_slice(bytes);
        text.len = bytes.len();
        Some(text)
    }

    /// The bytes of the text.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// The text (checked UTF-8 on the way in).
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }

    /// Its length in bytes.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl<const N: usize> Borsh for Text<N> {
    const SIZE: usize = 4 + N;
    fn read(input: &mut &[u8]) -> Option<Self> {
        let len = u32::read(input)? as usize;
        if len > N {
            return None;
        }
        Self::new(take(input, len)?)
    }
    fn write<'a>(&self, out: &'a mut [u8]) -> &'a mut [u8] {
        let rest = (self.len as u32).write(out);
        let (head, rest) = rest.split_at_mut(self.len);
        head.copy_from_slice(self.as_bytes());
        rest
    }
    #[cfg(feature = "idl-build")]
    fn idl_type() -> std::string::String {
        "\"string\"".into()
    }
}

impl<T: Borsh> Borsh for Option<T> {
    const SIZE: usize = 1 + T::SIZE;
    fn read(input: &mut &[u8]) -> Option<Self> {
        match take(input, 1)?[0] {
            0 => Some(None),
            1 => Some(Some(T::read(input)?)),
            _ => None,
        }
    }
    fn write<'a>(&self, out: &'a mut [u8]) -> &'a mut [u8] {
        match self {
            None => 0u8.write(out),
            Some(value) => value.write(1u8.write(out)),
        }
    }
    #[cfg(feature = "idl-build")]
    fn idl_type() -> std::string::String {
        std::format!("{{\"option\":{}}}", T::idl_type())
    }
}

/// Declares a struct of [`Borsh`] fields and implements [`Borsh`] for it, fields in order.
/// Used for instruction arguments and by the account and event macros.
///
/// `#[zero_copy]` before the docs makes the struct `#[repr(C, packed)]`: its memory is its Borsh
/// encoding (checked at compile time: every field [`Borsh::POD`], no padding), so an account of
/// it can be used in place ([`AccountData::load_mut`](crate::account::AccountData::load_mut)).
/// Read packed fields by value (a reference to a field aligned above 1 does not compile).
#[macro_export]
macro_rules! borsh_struct {
    (
        #[zero_copy]
        $(#[doc = $doc:literal])*
        pub struct $name:ident { $( $(#[doc = $fdoc:literal])* $field:ident : $ty:ty ),* $(,)? }
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        #[repr(C, packed)]
        pub struct $name { $( $(#[doc = $fdoc])* pub $field: $ty, )* }

        const _: () = assert!(
            $( <$ty as $crate::borsh::Borsh>::POD && )* core::mem::size_of::<$name>() == <$name as $crate::borsh::Borsh>::SIZE,
            "a #[zero_copy] struct holds only POD fields (no Text or Option)"
        );

        $crate::__borsh_struct_impl! { pod $(#[doc = $doc])* $name { $( $(#[doc = $fdoc])* $field : $ty ),* } }
    };
    (
        $(#[doc = $doc:literal])*
        pub struct $name:ident { $( $(#[doc = $fdoc:literal])* $field:ident : $ty:ty ),* $(,)? }
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
        pub struct $name { $( $(#[doc = $fdoc])* pub $field: $ty, )* }

        $crate::__borsh_struct_impl! { plain $(#[doc = $doc])* $name { $( $(#[doc = $fdoc])* $field : $ty ),* } }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __borsh_struct_impl {
    ($kind:ident $(#[doc = $doc:literal])* $name:ident { $( $(#[doc = $fdoc:literal])* $field:ident : $ty:ty ),* }) => {
        impl $crate::borsh::Borsh for $name {
            const SIZE: usize = 0 $( + <$ty as $crate::borsh::Borsh>::SIZE )*;
            $crate::__borsh_pod! { $kind $( $ty ),* }
            // Field by field, also for `#[zero_copy]` structs: the optimiser then drops the fields
            // a reader never uses.
            #[inline(always)]
            fn read(input: &mut &[u8]) -> Option<Self> {
                Some(Self { $( $field: <$ty as $crate::borsh::Borsh>::read(input)?, )* })
            }
            #[inline(always)]
            #[allow(unused_variables)]
            fn write<'a>(&self, out: &'a mut [u8]) -> &'a mut [u8] {
                $( let out = $crate::borsh::Borsh::write($crate::__borsh_field!($kind self.$field), out); )*
                out
            }
            #[cfg(feature = "idl-build")]
            fn idl_type() -> std::string::String {
                $crate::idl::defined(stringify!($name))
            }
        }

        #[cfg(feature = "idl-build")]
        impl $name {
            /// The IDL `types` entry of this struct.
            pub fn idl_type_def() -> std::string::String {
                let docs: &[&str] = &[$($doc),*];
                let fields: std::vec::Vec<std::string::String> = std::vec![$(
                    $crate::idl::field(stringify!($field), &[$($fdoc),*], &<$ty as $crate::borsh::Borsh>::idl_type())
                ),*];
                $crate::idl::struct_type(stringify!($name), docs, &fields)
            }
        }
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __borsh_field {
    // A packed field is copied out first: a reference to it may be unaligned.
    (pod $($place:tt)+) => { &{ $($place)+ } };
    (plain $($place:tt)+) => { &$($place)+ };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __borsh_pod {
    (plain $( $ty:ty ),*) => {};
    (pod $( $ty:ty ),*) => {
        const POD: bool = true;
        const ANY_BYTES: bool = true $( && <$ty as $crate::borsh::Borsh>::ANY_BYTES )*;
        #[inline(always)]
        #[allow(unused_variables, unused_assignments, unused_mut)]
        fn pod_valid(bytes: &[u8]) -> bool {
            if Self::ANY_BYTES {
                return true;
            }
            let mut at = 0;
            $(
                if !<$ty as $crate::borsh::Borsh>::pod_valid(&bytes[at..]) {
                    return false;
                }
                at += <$ty as $crate::borsh::Borsh>::SIZE;
            )*
            true
        }
    };
}

#[cfg(test)]
mod tests {
    use super::Borsh;

    crate::borsh_struct! {
        /// A struct of every supported type.
        pub struct Sample { a: u8, b: u16, c: u64, d: u128, e: i64, f: bool, g: [u8; 3] }
    }

    #[test]
    fn round_trips_little_endian_fields_in_order() {
        let s = Sample { a: 1, b: 0x0203, c: u64::MAX, d: 1u128 << 100, e: -2, f: true, g: [7, 8, 9] };
        let mut buf = [0u8; Sample::SIZE];
        assert_eq!(Sample::SIZE, 1 + 2 + 8 + 16 + 8 + 1 + 3);
        s.write(&mut buf);
        assert_eq!(&buf[..3], &[1, 3, 2]);
        assert_eq!(&buf[27..35], &(-2i64).to_le_bytes());
        assert_eq!(Sample::read(&mut &buf[..]), Some(s));
    }

    #[cfg(feature = "idl-build")]
    #[test]
    fn describes_itself_for_the_idl() {
        let def = Sample::idl_type_def();
        assert!(def.starts_with("{\"name\":\"Sample\",\"docs\":[\"A struct of every supported type.\"]"));
        assert!(def.contains("{\"name\":\"d\",\"type\":\"u128\"}"));
        assert!(def.contains("{\"name\":\"g\",\"type\":{\"array\":[\"u8\",3]}}"));
    }

    crate::borsh_enum! {
        /// A two-variant enum.
        pub enum Side { Left = 0, Right = 1 }
    }

    impl Default for Side {
        fn default() -> Self {
            Side::Left
        }
    }

    crate::borsh_struct! {
        #[zero_copy]
        /// A packed struct of every POD type.
        pub struct Packed { a: u8, b: u64, c: bool, d: [u16; 2], e: Side, f: i128 }
    }

    #[test]
    fn a_zero_copy_struct_in_memory_is_its_borsh_encoding() {
        let v = Packed { a: 7, b: u64::MAX - 1, c: true, d: [0x0102, 0x0304], e: Side::Right, f: -5 };
        let mut encoded = [0u8; Packed::SIZE];
        v.write(&mut encoded);
        assert_eq!(core::mem::size_of::<Packed>(), Packed::SIZE);
        // SAFETY: `Packed` is `repr(C, packed)` with no padding (asserted above).
        let memory: [u8; Packed::SIZE] = unsafe { core::mem::transmute(v) };
        assert_eq!(memory, encoded);
        assert!(Packed::pod_valid(&encoded));
        assert_eq!(Packed::read(&mut &encoded[..]), Some(v));
    }

    #[test]
    fn zero_copy_validity_refuses_bytes_that_are_no_value() {
        let mut encoded = [0u8; Packed::SIZE];
        Packed::default().write(&mut encoded);
        assert!(Packed::pod_valid(&encoded));
        let (bool_at, enum_at) = (1 + 8, 1 + 8 + 1 + 4);
        let mut bad_bool = encoded;
        bad_bool[bool_at] = 2;
        assert!(!Packed::pod_valid(&bad_bool));
        let mut bad_enum = encoded;
        bad_enum[enum_at] = 2;
        assert!(!Packed::pod_valid(&bad_enum));
        assert!(<[bool; 3]>::pod_valid(&[0, 1, 0]) && !<[bool; 3]>::pod_valid(&[0, 1, 9]));
    }

    #[test]
    fn text_is_a_length_prefixed_string_of_bounded_size() {
        let t = super::Text::<8>::new(b"abc").unwrap();
        let mut buf = [0xffu8; 12];
        let rest = t.write(&mut buf).len();
        assert_eq!(rest, 12 - 7);
        assert_eq!(&buf[..7], &[3, 0, 0, 0, b'a', b'b', b'c']);
        assert_eq!(super::Text::<8>::read(&mut &buf[..]).unwrap().as_str(), "abc");
        assert_eq!(super::Text::<2>::read(&mut &buf[..]), None, "longer than the bound");
        assert_eq!(super::Text::<8>::read(&mut &[2u8, 0, 0, 0, 0xff, 0xfe][..]), None, "not UTF-8");
        assert_eq!(super::Text::<8>::read(&mut &[5u8, 0, 0, 0, b'a'][..]), None, "truncated");
        assert!(super::Text::<2>::new(b"abc").is_none());
    }

    #[test]
    fn option_is_a_tag_then_the_value() {
        let mut buf = [0u8; 9];
        Some(7u64).write(&mut buf);
        assert_eq!(buf[0], 1);
        assert_eq!(Option::<u64>::read(&mut &buf[..]), Some(Some(7)));
        assert_eq!(Option::<u64>::read(&mut &[0u8][..]), Some(None));
        assert_eq!(Option::<u64>::read(&mut &[2u8][..]), None);
    }

    #[test]
    fn rejects_short_input_and_non_boolean_bytes() {
        assert_eq!(u64::read(&mut &[1u8, 2, 3][..]), None);
        assert_eq!(bool::read(&mut &[2u8][..]), None);
        let mut input = &[1u8, 9][..];
        assert_eq!(bool::read(&mut input), Some(true));
        assert_eq!(input, &[9]);
    }

    #[test]
    fn arrays_of_pod_values_round_trip_in_one_copy_and_invalid_values_are_refused() {
        crate::borsh_struct! {
            #[zero_copy]
            /// A POD element of an array.
            pub struct Pair { a: u32, b: u16 }
        }
        fn round_trip<T: Borsh + PartialEq + core::fmt::Debug>(v: T) {
            let mut buf = std::vec![0u8; T::SIZE];
            v.write(&mut buf);
            assert_eq!(T::read(&mut &buf[..]), Some(v));
        }
        round_trip([7u8; 32]);
        round_trip([1u64, u64::MAX, 3]);
        round_trip([Pair { a: 1, b: 2 }, Pair { a: u32::MAX, b: 9 }]);
        round_trip([true, false, true]);
        // Encoded as Borsh: little-endian fields, one after the other
        let mut buf = [0u8; 12];
        [Pair { a: 0x0403_0201, b: 0x0605 }, Pair { a: 7, b: 8 }].write(&mut buf);
        assert_eq!(buf, [1, 2, 3, 4, 5, 6, 7, 0, 0, 0, 8, 0]);
        // A bool array still refuses a byte that is no bool; short input is refused
        assert_eq!(<[bool; 3]>::read(&mut &[1u8, 2, 0][..]), None);
        assert_eq!(<[u8; 32]>::read(&mut &[0u8; 31][..]), None);
        assert!(<[Pair; 2]>::ANY_BYTES && <[u64; 3]>::ANY_BYTES && !<[bool; 3]>::ANY_BYTES);
    }
}

/// Declares a fieldless enum stored as one byte (Borsh's enum tag), with its IDL entry. A byte
/// that names no variant fails to decode.
#[macro_export]
macro_rules! borsh_enum {
    (
        $(#[doc = $doc:literal])*
        pub enum $name:ident { $( $(#[doc = $vdoc:literal])* $variant:ident = $tag:literal ),* $(,)? }
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(u8)]
        pub enum $name { $( $(#[doc = $vdoc])* $variant = $tag, )* }

        impl $crate::borsh::Borsh for $name {
            const SIZE: usize = 1;
            const POD: bool = true;
            #[inline(always)]
            fn pod_valid(bytes: &[u8]) -> bool {
                matches!(bytes[0], $($tag)|*)
            }
            #[inline(always)]
            fn read(input: &mut &[u8]) -> Option<Self> {
                match <u8 as $crate::borsh::Borsh>::read(input)? {
                    $( $tag => Some(Self::$variant), )*
                    _ => None,
                }
            }
            #[inline(always)]
            fn write<'a>(&self, out: &'a mut [u8]) -> &'a mut [u8] {
                <u8 as $crate::borsh::Borsh>::write(&(*self as u8), out)
            }
            #[cfg(feature = "idl-build")]
            fn idl_type() -> std::string::String {
                $crate::idl::defined(stringify!($name))
            }
        }

        #[cfg(feature = "idl-build")]
        impl $name {
            /// The IDL `types` entry of this enum.
            pub fn idl_type_def() -> std::string::String {
                // Variants must be declared with tags 0, 1, 2, ... for Borsh's tag to be the index.
                let tags: &[u8] = &[$($tag),*];
                assert!(tags.iter().enumerate().all(|(i, t)| *t as usize == i), "enum tags must run 0, 1, 2, ...");
                $crate::idl::enum_type(stringify!($name), &[$($doc),*], &[$(stringify!($variant)),*])
            }
        }
    };
}
