//! Anchor IDL (spec 0.1.0) as JSON, assembled on the host from the same declarations the program
//! is built from (`cargo run --features idl-build --bin idl`). Only in `idl-build` builds.

use std::{format, string::String, vec::Vec};

/// A JSON string literal.
pub fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn bytes(b: &[u8]) -> String {
    format!("[{}]", b.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(","))
}

fn docs_entry(docs: &[&str]) -> String {
    let lines: Vec<String> = docs.iter().map(|d| quote(d.trim())).collect();
    if lines.is_empty() {
        String::new()
    } else {
        format!(",\"docs\":[{}]", lines.join(","))
    }
}

/// Base58 (Bitcoin alphabet), how Solana writes addresses.
pub fn base58(input: &[u8]) -> String {
    const ALPHABET: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    let mut digits: Vec<u8> = Vec::new();
    for &byte in input {
        let mut carry = byte as u32;
        for d in digits.iter_mut() {
            carry += (*d as u32) << 8;
            *d = (carry % 58) as u8;
            carry /= 58;
        }
        while carry > 0 {
            digits.push((carry % 58) as u8);
            carry /= 58;
        }
    }
    let zeros = input.iter().take_while(|&&b| b == 0).count();
    let mut out: String = core::iter::repeat('1').take(zeros).collect();
    out.extend(digits.iter().rev().map(|&d| ALPHABET[d as usize] as char));
    out
}

/// A field of a struct or an instruction argument.
pub fn field(name: &str, docs: &[&str], ty: &str) -> String {
    format!("{{\"name\":{}{},\"type\":{}}}", quote(name), docs_entry(docs), ty)
}

/// A reference to a type of the `types` list.
pub fn defined(name: &str) -> String {
    format!("{{\"defined\":{{\"name\":{}}}}}", quote(name))
}

/// A `types` entry for a fieldless enum.
pub fn enum_type(name: &str, docs: &[&str], variants: &[&str]) -> String {
    let variants: Vec<String> = variants.iter().map(|v| format!("{{\"name\":{}}}", quote(v))).collect();
    format!(
        "{{\"name\":{}{},\"type\":{{\"kind\":\"enum\",\"variants\":[{}]}}}}",
        quote(name),
        docs_entry(docs),
        variants.join(",")
    )
}

/// A `types` entry for a struct.
pub fn struct_type(name: &str, docs: &[&str], fields: &[String]) -> String {
    format!(
        "{{\"name\":{}{},\"type\":{{\"kind\":\"struct\",\"fields\":[{}]}}}}",
        quote(name),
        docs_entry(docs),
        fields.join(",")
    )
}

/// An `accounts` or `events` entry: a name and its discriminator.
pub fn named_discriminator(name: &str, discriminator: &[u8; 8]) -> String {
    format!("{{\"name\":{},\"discriminator\":{}}}", quote(name), bytes(discriminator))
}

/// An `errors` entry.
pub fn error(code: u32, name: &str, msg: &str) -> String {
    format!("{{\"code\":{},\"name\":{},\"msg\":{}}}", code, quote(name), quote(msg))
}

/// A PDA seed that is a constant byte string.
pub fn seed_const(value: &[u8]) -> String {
    format!("{{\"kind\":\"const\",\"value\":{}}}", bytes(value))
}

/// A PDA seed that is an instruction argument.
pub fn seed_arg(path: &str) -> String {
    format!("{{\"kind\":\"arg\",\"path\":{}}}", quote(path))
}

/// A PDA seed that is another account's address.
pub fn seed_account(path: &str) -> String {
    format!("{{\"kind\":\"account\",\"path\":{}}}", quote(path))
}

/// An account of an instruction.
pub fn instruction_account(
    name: &str,
    docs: &[&str],
    writable: bool,
    signer: bool,
    optional: bool,
    pda_seeds: Option<Vec<String>>,
    address: Option<String>,
) -> String {
    let mut out = format!("{{\"name\":{}{}", quote(name), docs_entry(docs));
    if writable {
        out.push_str(",\"writable\":true");
    }
    if signer {
        out.push_str(",\"signer\":true");
    }
    if optional {
        out.push_str(",\"optional\":true");
    }
    if let Some(address) = address {
        out.push_str(&format!(",\"address\":{}", quote(&address)));
    }
    if let Some(seeds) = pda_seeds {
        out.push_str(&format!(",\"pda\":{{\"seeds\":[{}]}}", seeds.join(",")));
    }
    out.push('}');
    out
}

/// An `instructions` entry.
pub fn instruction(name: &str, docs: &[&str], discriminator: &[u8; 8], accounts: &[String], args: &[String]) -> String {
    format!(
        "{{\"name\":{}{},\"discriminator\":{},\"accounts\":[{}],\"args\":[{}]}}",
        quote(name),
        docs_entry(docs),
        bytes(discriminator),
        accounts.join(","),
        args.join(",")
    )
}

/// The whole IDL. `address` is left empty: the toolchain fills it in from `Anchor.toml`.
#[allow(clippy::too_many_arguments)]
pub fn program(
    name: &str,
    version: &str,
    description: &str,
    instructions: &[String],
    accounts: &[String],
    events: &[String],
    errors: &[String],
    types: &[String],
) -> String {
    format!(
        "{{\"address\":\"\",\"metadata\":{{\"name\":{},\"version\":{},\"spec\":\"0.1.0\",\"description\":{}}},\
         \"instructions\":[{}],\"accounts\":[{}],\"events\":[{}],\"errors\":[{}],\"types\":[{}]}}",
        quote(name),
        quote(version),
        quote(description),
        instructions.join(","),
        accounts.join(","),
        events.join(","),
        errors.join(","),
        types.join(",")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base58_matches_known_addresses() {
        assert_eq!(base58(&[0u8; 32]), "11111111111111111111111111111111");
        let token = crate::token::TOKEN_PROGRAM_ID;
        assert_eq!(base58(token.as_ref()), "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
    }

    #[test]
    fn quote_escapes() {
        assert_eq!(quote("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
    }
}
