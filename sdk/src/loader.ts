import { PublicKey, SYSVAR_CLOCK_PUBKEY, SYSVAR_RENT_PUBKEY, SystemProgram, TransactionInstruction } from '@solana/web3.js';

/** The BPF upgradeable loader. */
export const UPGRADEABLE_LOADER_ID = new PublicKey('BPFLoaderUpgradeab1e11111111111111111111111');
/** Bytes of a loader buffer account before the program bytes. */
export const LOADER_BUFFER_HEADER = 37;
/** Bytes of an upgradeable program account. */
export const LOADER_PROGRAM_ACCOUNT_SIZE = 36;

const u32 = (v: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v);
  return b;
};
const u64 = (v: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(v));
  return b;
};

/** The program-data account of an upgradeable program. */
export function programDataAddress(program: PublicKey): PublicKey {
  return PublicKey.findProgramAddressSync([program.toBuffer()], UPGRADEABLE_LOADER_ID)[0];
}

/**
 * The upgradeable loader's instructions as `solana program deploy` sends them: `InitializeBuffer`,
 * `Write` per chunk, then `DeployWithMaxDataLen` (the one place their layouts are written).
 */
export const loaderInstructions = {
  /** `InitializeBuffer` (0): `buffer` (created with the loader as owner) gets `authority`. */
  initializeBuffer: (buffer: PublicKey, authority: PublicKey): TransactionInstruction =>
    new TransactionInstruction({
      programId: UPGRADEABLE_LOADER_ID,
      keys: [
        { pubkey: buffer, isSigner: false, isWritable: true },
        { pubkey: authority, isSigner: false, isWritable: false },
      ],
      data: u32(0),
    }),

  /** `Write` (1): `bytes` at `offset` of the buffer, signed by its authority. */
  write: (buffer: PublicKey, authority: PublicKey, offset: number, bytes: Uint8Array): TransactionInstruction =>
    new TransactionInstruction({
      programId: UPGRADEABLE_LOADER_ID,
      keys: [
        { pubkey: buffer, isSigner: false, isWritable: true },
        { pubkey: authority, isSigner: true, isWritable: false },
      ],
      data: Buffer.concat([u32(1), u32(offset), u64(bytes.length), bytes]),
    }),

  /** `DeployWithMaxDataLen` (2): `program` (created with the loader as owner) from the buffer; `authority` pays and becomes the upgrade authority. */
  deployWithMaxDataLen: (a: { program: PublicKey; buffer: PublicKey; authority: PublicKey; maxDataLen: number }): TransactionInstruction =>
    new TransactionInstruction({
      programId: UPGRADEABLE_LOADER_ID,
      keys: [
        { pubkey: a.authority, isSigner: true, isWritable: true },
        { pubkey: programDataAddress(a.program), isSigner: false, isWritable: true },
        { pubkey: a.program, isSigner: false, isWritable: true },
        { pubkey: a.buffer, isSigner: false, isWritable: true },
        { pubkey: SYSVAR_RENT_PUBKEY, isSigner: false, isWritable: false },
        { pubkey: SYSVAR_CLOCK_PUBKEY, isSigner: false, isWritable: false },
        { pubkey: SystemProgram.programId, isSigner: false, isWritable: false },
        { pubkey: a.authority, isSigner: true, isWritable: false },
      ],
      data: Buffer.concat([u32(2), u64(a.maxDataLen)]),
    }),
};
