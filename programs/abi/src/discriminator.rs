//! Anchor's 8-byte discriminators: the first 8 bytes of `sha256("<namespace>:<name>")`.

use crate::sha256::sha256_concat;

/// The first 8 bytes of a hash: a discriminator.
pub(crate) const fn first8(hash: [u8; 32]) -> [u8; 8] {
    [hash[0], hash[1], hash[2], hash[3], hash[4], hash[5], hash[6], hash[7]]
}

/// `sha256("global:<snake_name>")[..8]`, the prefix of an instruction's data.
pub const fn instruction(name: &str) -> [u8; 8] {
    first8(sha256_concat(b"global:", name.as_bytes()))
}

/// `sha256("account:<CamelName>")[..8]`, the prefix of an account's data.
pub const fn account(name: &str) -> [u8; 8] {
    first8(sha256_concat(b"account:", name.as_bytes()))
}

/// `sha256("event:<CamelName>")[..8]`, the prefix of an event's `Program data:` payload.
pub const fn event(name: &str) -> [u8; 8] {
    first8(sha256_concat(b"event:", name.as_bytes()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn namespaces_differ() {
        assert_ne!(super::account("Config"), super::event("Config"));
        assert_ne!(super::instruction("config_init"), super::instruction("config_update"));
    }
}
