//! The messages providers and verifiers sign (ed25519), verified on chain through the Ed25519
//! program in the same transaction. Each binds everything that could let it count elsewhere:
//!
//! - the cluster (the market's genesis hash): the program has the same id, and job addresses the
//!   same seeds, on every cluster, so without it a devnet signature would count on mainnet;
//! - the job's address and its serial: the address repeats when a client re-uses a job id after
//!   the job closed, the serial (the market's job count at creation) never does;
//! - a receipt, the provider's wallet: a receipt counts only for the provider that claimed the
//!   job, even if another registered the same node key;
//! - a verdict, the challenge's serial (the market's challenge count at opening).
//!
//! A job takes one receipt, and a challenge one vote per verifier. The domains are versioned:
//! v1 signatures never verify.

use pinocchio::Address;

/// Domain of a provider's receipt.
pub const RECEIPT_DOMAIN: &[u8; 20] = b"spicetime:receipt:v2";
/// Domain of a verifier's verdict.
pub const VERDICT_DOMAIN: &[u8; 20] = b"spicetime:verdict:v2";
/// Longest CID a receipt names.
pub const MAX_CID: usize = 64;
/// Longest message: a receipt with a 64-byte CID.
pub const MAX_MESSAGE: usize = 20 + 32 + 32 + 8 + 32 + 32 + 8 + MAX_CID;

/// A signed message in a fixed buffer.
pub struct Message {
    bytes: [u8; MAX_MESSAGE],
    len: usize,
}

impl Message {
    /// The parts in order. Callers pass fixed-size parts and at most a [`MAX_CID`]-byte CID, so the
    /// message always fits; anything past [`MAX_MESSAGE`] would be a bug, and panics rather than
    /// leaving bytes unsigned.
    fn new(parts: &[&[u8]]) -> Self {
        let mut m = Message { bytes: [0; MAX_MESSAGE], len: 0 };
        for part in parts {
            let end = m.len + part.len();
            m.bytes[m.len..end].copy_from_slice(part);
            m.len = end;
        }
        m
    }

    /// The bytes signed.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

/// A job instance as signed messages name it: the cluster, the job's address and its serial.
pub struct JobInstance<'a> {
    pub cluster: &'a Address,
    pub job: &'a Address,
    pub serial: u64,
}

/// `"spicetime:receipt:v2" ‖ cluster ‖ job ‖ job_serial (u64 LE) ‖ provider ‖ output_hash ‖ tokens_used (u64 LE) ‖ output_cid`.
pub fn receipt(job: &JobInstance, provider: &Address, output_hash: &[u8; 32], tokens_used: u64, output_cid: &[u8]) -> Message {
    Message::new(&[RECEIPT_DOMAIN, job.cluster.as_ref(), job.job.as_ref(), &job.serial.to_le_bytes(), provider.as_ref(), output_hash, &tokens_used.to_le_bytes(), output_cid])
}

/// `"spicetime:verdict:v2" ‖ cluster ‖ job ‖ job_serial (u64 LE) ‖ challenge_serial (u64 LE) ‖ upheld (1 byte) ‖
/// the verifier's own output hash`.
pub fn verdict(job: &JobInstance, challenge_serial: u64, upheld: bool, result_hash: &[u8; 32]) -> Message {
    Message::new(&[VERDICT_DOMAIN, job.cluster.as_ref(), job.job.as_ref(), &job.serial.to_le_bytes(), &challenge_serial.to_le_bytes(), &[upheld as u8], result_hash])
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLUSTER: Address = Address::new_from_array([5; 32]);
    const JOB: Address = Address::new_from_array([1; 32]);
    const fn instance(serial: u64) -> JobInstance<'static> {
        JobInstance { cluster: &CLUSTER, job: &JOB, serial }
    }

    #[test]
    fn receipt_layout() {
        let m = receipt(&instance(7), &Address::new_from_array([4; 32]), &[2; 32], 258, b"bafy");
        let b = m.as_bytes();
        assert_eq!(b.len(), 20 + 32 + 32 + 8 + 32 + 32 + 8 + 4);
        assert_eq!(&b[..20], RECEIPT_DOMAIN);
        assert_eq!(&b[20..52], CLUSTER.as_ref());
        assert_eq!(&b[84..92], &7u64.to_le_bytes());
        assert_eq!(&b[92..124], &[4; 32]);
        assert_eq!(&b[156..164], &258u64.to_le_bytes());
        assert_eq!(&b[164..], b"bafy");
    }

    #[test]
    fn the_longest_receipt_fits_whole() {
        let cid = [b'b'; MAX_CID];
        let m = receipt(&instance(u64::MAX), &JOB, &[2; 32], u64::MAX, &cid);
        assert_eq!(m.as_bytes().len(), MAX_MESSAGE);
        assert_eq!(&m.as_bytes()[MAX_MESSAGE - MAX_CID..], &cid);
    }

    #[test]
    fn verdict_layout() {
        let m = verdict(&instance(7), 9, true, &[3; 32]);
        let b = m.as_bytes();
        assert_eq!(b.len(), 20 + 32 + 32 + 8 + 8 + 1 + 32);
        assert_eq!(&b[84..92], &7u64.to_le_bytes());
        assert_eq!(&b[92..100], &9u64.to_le_bytes());
        assert_eq!(b[100], 1);
    }

    #[test]
    fn another_cluster_instance_provider_or_challenge_changes_the_message() {
        let p = Address::new_from_array([4; 32]);
        let r = |j: &JobInstance, p: &Address| receipt(j, p, &[2; 32], 1, b"").as_bytes().to_vec();
        let other = Address::new_from_array([6; 32]);
        let other_cluster = JobInstance { cluster: &other, ..instance(7) };
        assert_ne!(r(&instance(7), &p), r(&instance(8), &p));
        assert_ne!(r(&instance(7), &p), r(&other_cluster, &p));
        assert_ne!(r(&instance(7), &p), r(&instance(7), &JOB));
        let v = |j: &JobInstance, c: u64| verdict(j, c, true, &[3; 32]).as_bytes().to_vec();
        assert_ne!(v(&instance(7), 9), v(&instance(8), 9));
        assert_ne!(v(&instance(7), 9), v(&instance(7), 10));
        assert_ne!(v(&instance(7), 9), v(&other_cluster, 9));
    }
}
