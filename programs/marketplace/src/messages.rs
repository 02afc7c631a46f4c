//! The messages providers and verifiers sign (ed25519), verified on chain through the Ed25519
//! program in the same transaction. Each names the job, so a signature cannot be replayed onto
//! another job, and a job takes one receipt and one vote per verifier.

use pinocchio::Address;

/// Domain of a provider's receipt.
pub const RECEIPT_DOMAIN: &[u8; 20] = b"spicetime:receipt:v1";
/// Domain of a verifier's verdict.
pub const VERDICT_DOMAIN: &[u8; 20] = b"spicetime:verdict:v1";
/// Longest message: a receipt with a 64-byte CID.
pub const MAX_MESSAGE: usize = 20 + 32 + 32 + 8 + 64;

/// A signed message in a fixed buffer.
pub struct Message {
    bytes: [u8; MAX_MESSAGE],
    len: usize,
}

impl Message {
    fn new(parts: &[&[u8]]) -> Self {
        let mut m = Message { bytes: [0; MAX_MESSAGE], len: 0 };
        for part in parts {
            let end = (m.len + part.len()).min(MAX_MESSAGE);
            m.bytes[m.len..end].copy_from_slice(&part[..end - m.len]);
            m.len = end;
        }
        m
    }

    /// The bytes signed.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

/// `"spicetime:receipt:v1" ‖ job ‖ output_hash ‖ tokens_used (u64 LE) ‖ output_cid`.
pub fn receipt(job: &Address, output_hash: &[u8; 32], tokens_used: u64, output_cid: &[u8]) -> Message {
    Message::new(&[RECEIPT_DOMAIN, job.as_ref(), output_hash, &tokens_used.to_le_bytes(), output_cid])
}

/// `"spicetime:verdict:v1" ‖ job ‖ upheld (1 byte) ‖ the verifier's own output hash`.
pub fn verdict(job: &Address, upheld: bool, result_hash: &[u8; 32]) -> Message {
    Message::new(&[VERDICT_DOMAIN, job.as_ref(), &[upheld as u8], result_hash])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipt_layout() {
        let m = receipt(&Address::new_from_array([1; 32]), &[2; 32], 258, b"bafy");
        let b = m.as_bytes();
        assert_eq!(b.len(), 20 + 32 + 32 + 8 + 4);
        assert_eq!(&b[..20], RECEIPT_DOMAIN);
        assert_eq!(&b[84..92], &258u64.to_le_bytes());
        assert_eq!(&b[92..], b"bafy");
    }

    #[test]
    fn verdict_layout() {
        let m = verdict(&Address::new_from_array([1; 32]), true, &[3; 32]);
        assert_eq!(m.as_bytes().len(), 20 + 32 + 1 + 32);
        assert_eq!(m.as_bytes()[52], 1);
    }
}
