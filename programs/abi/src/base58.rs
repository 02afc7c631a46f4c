//! Base58 (Bitcoin alphabet) of a 32-byte address, as Solana writes addresses, for text a program
//! stores (token metadata fields).

const ALPHABET: &[u8; 58] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
/// Longest base58 text of 32 bytes.
pub const MAX_LEN: usize = 44;

/// Encodes `bytes` into `out`, returning the text's length.
pub fn encode_32(bytes: &[u8; 32], out: &mut [u8; MAX_LEN]) -> usize {
    // Little-endian base-58 digits.
    let mut digits = [0u8; MAX_LEN];
    let mut len = 0usize;
    for &byte in bytes {
        let mut carry = byte as u32;
        for digit in digits.iter_mut().take(len) {
            carry += (*digit as u32) << 8;
            *digit = (carry % 58) as u8;
            carry /= 58;
        }
        while carry > 0 && len < MAX_LEN {
            digits[len] = (carry % 58) as u8;
            len += 1;
            carry /= 58;
        }
    }
    let zeros = bytes.iter().take_while(|b| **b == 0).count();
    let total = zeros + len;
    for (i, slot) in out.iter_mut().take(total).enumerate() {
        *slot = if i < zeros { b'1' } else { ALPHABET[digits[total - 1 - i] as usize] };
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: [u8; 32]) -> String {
        let mut out = [0u8; MAX_LEN];
        let n = encode_32(&bytes, &mut out);
        String::from_utf8(out[..n].to_vec()).unwrap()
    }

    #[test]
    fn encodes_addresses_as_solana_does() {
        assert_eq!(text([0; 32]), "11111111111111111111111111111111");
        let token = pinocchio::address::address!("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
        assert_eq!(text(token.to_bytes()), "TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
        let mut one = [0u8; 32];
        one[31] = 1;
        assert_eq!(text(one), "11111111111111111111111111111112");
    }
}
