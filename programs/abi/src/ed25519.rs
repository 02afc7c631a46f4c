//! Ed25519 signatures checked on chain: the runtime's Ed25519 program verifies a signature in an
//! instruction of the same transaction, and a program reads that instruction back through the
//! instructions sysvar to see *who* signed *what*.

use pinocchio::{
    address::address,
    sysvars::instructions::{Instructions, INSTRUCTIONS_ID},
    AccountView, Address,
};

/// The Ed25519 signature verification program.
pub const ED25519_PROGRAM_ID: Address = address!("Ed25519SigVerify111111111111111111111111111");
/// The instructions sysvar.
pub const INSTRUCTIONS_SYSVAR_ID: Address = INSTRUCTIONS_ID;

/// Why a signature was not accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureError {
    /// The instruction before this one is not an Ed25519 verification of exactly one signature
    /// whose key, signature and message all sit in that instruction.
    Missing,
    /// It verified another key's signature.
    SignerMismatch,
    /// It verified a signature over another message.
    MessageMismatch,
}

fn u16_at(data: &[u8], at: usize) -> Option<usize> {
    Some(u16::from_le_bytes(data.get(at..at + 2)?.try_into().ok()?) as usize)
}

fn slice(data: &[u8], offset: usize, len: usize) -> Option<&[u8]> {
    data.get(offset..offset.checked_add(len)?)
}

/// Checks that the instruction right before the current one is the Ed25519 program verifying
/// `signer`'s signature over exactly `message`. The Ed25519 program has already failed the
/// transaction if the signature itself is invalid; this proves which key and which bytes it
/// checked. `instructions` must be the instructions sysvar (checked).
pub fn check_preceding_signature(instructions: &AccountView, signer: &Address, message: &[u8]) -> Result<(), SignatureError> {
    let sysvar = Instructions::try_from(instructions).map_err(|_| SignatureError::Missing)?;
    let ix = sysvar.get_instruction_relative(-1).map_err(|_| SignatureError::Missing)?;
    if ix.get_program_id() != &ED25519_PROGRAM_ID {
        return Err(SignatureError::Missing);
    }
    check_verification(ix.get_instruction_data(), signer, message)
}

/// The Ed25519 program's instruction data: one signature, all of its parts inside this data
/// (instruction index `u16::MAX`), by `signer` over `message`.
pub fn check_verification(data: &[u8], signer: &Address, message: &[u8]) -> Result<(), SignatureError> {
    const HERE: usize = u16::MAX as usize;
    let header = (|| {
        if *data.first()? != 1 {
            return None;
        }
        let field = |i: usize| u16_at(data, 2 + 2 * i);
        let (sig_at, sig_ix, key_at, key_ix, msg_at, msg_len, msg_ix) = (field(0)?, field(1)?, field(2)?, field(3)?, field(4)?, field(5)?, field(6)?);
        if sig_ix != HERE || key_ix != HERE || msg_ix != HERE {
            return None;
        }
        slice(data, sig_at, 64)?;
        Some((slice(data, key_at, 32)?, slice(data, msg_at, msg_len)?))
    })();
    let (key, signed) = header.ok_or(SignatureError::Missing)?;
    if key != signer.as_ref() {
        return Err(SignatureError::SignerMismatch);
    }
    if signed != message {
        return Err(SignatureError::MessageMismatch);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The layout `@solana/web3.js`'s `Ed25519Program.createInstructionWithPublicKey` writes.
    fn verification(key: &[u8; 32], message: &[u8], index: u16) -> Vec<u8> {
        let key_at = 16u16;
        let sig_at = key_at + 32;
        let msg_at = sig_at + 64;
        let mut data = vec![1u8, 0];
        for v in [sig_at, index, key_at, index, msg_at, message.len() as u16, index] {
            data.extend_from_slice(&v.to_le_bytes());
        }
        data.extend_from_slice(key);
        data.extend_from_slice(&[7u8; 64]);
        data.extend_from_slice(message);
        data
    }

    #[test]
    fn accepts_the_signer_and_message_it_names() {
        let key = [3u8; 32];
        let data = verification(&key, b"receipt", u16::MAX);
        assert_eq!(check_verification(&data, &Address::new_from_array(key), b"receipt"), Ok(()));
        assert_eq!(check_verification(&data, &Address::new_from_array([4; 32]), b"receipt"), Err(SignatureError::SignerMismatch));
        assert_eq!(check_verification(&data, &Address::new_from_array(key), b"receipT"), Err(SignatureError::MessageMismatch));
        assert_eq!(check_verification(&data, &Address::new_from_array(key), b"receip"), Err(SignatureError::MessageMismatch));
    }

    #[test]
    fn refuses_parts_taken_from_other_instructions_and_malformed_data() {
        let key = [3u8; 32];
        let elsewhere = verification(&key, b"receipt", 0);
        assert_eq!(check_verification(&elsewhere, &Address::new_from_array(key), b"receipt"), Err(SignatureError::Missing));
        let mut two = verification(&key, b"receipt", u16::MAX);
        two[0] = 2;
        assert_eq!(check_verification(&two, &Address::new_from_array(key), b"receipt"), Err(SignatureError::Missing));
        let truncated = &verification(&key, b"receipt", u16::MAX)[..100];
        assert_eq!(check_verification(truncated, &Address::new_from_array(key), b"receipt"), Err(SignatureError::Missing));
        assert_eq!(check_verification(&[], &Address::new_from_array(key), b""), Err(SignatureError::Missing));
    }
}
