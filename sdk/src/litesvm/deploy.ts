import { address } from '@solana/kit';
import {
  Keypair,
  PublicKey,
  SYSVAR_CLOCK_PUBKEY,
  SYSVAR_RENT_PUBKEY,
  SystemProgram,
  Transaction,
  TransactionInstruction,
} from '@solana/web3.js';
import type { LiteSvmProvider } from './provider.ts';

/** The BPF upgradeable loader. */
export const UPGRADEABLE_LOADER_ID = new PublicKey('BPFLoaderUpgradeab1e11111111111111111111111');

/** Bytes of program data written per `Write` instruction (fits a 1232-byte transaction). */
const WRITE_CHUNK = 900;
const BUFFER_HEADER = 37;
const PROGRAM_ACCOUNT_SIZE = 36;

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

/** Where a deployed program lives. */
export interface DeployedProgram {
  programId: PublicKey;
  programData: PublicKey;
  /** Transactions the deployment took. */
  transactions: number;
}

/**
 * Deploys an SBPF program through the real BPF upgradeable loader instructions, as
 * `solana program deploy` does: `InitializeBuffer`, `Write` in chunks, then
 * `DeployWithMaxDataLen` — so the runtime's deployment-time ELF checks and verifier run.
 * The provider's wallet pays and becomes the upgrade authority; the program is callable from the
 * next slot, which this function advances to.
 */
export function deployUpgradeable(provider: LiteSvmProvider, programKeypair: Keypair, elf: Buffer, maxDataLen = elf.length * 2): DeployedProgram {
  const { svm } = provider;
  const authority = provider.publicKey;
  const rent = (bytes: number): number => Number(svm.minimumBalanceForRentExemption(BigInt(bytes)));
  const buffer = Keypair.generate();
  let transactions = 0;
  const send = (tx: Transaction, signers: Keypair[] = []): void => {
    provider.execute(tx, signers);
    transactions++;
  };

  send(
    new Transaction().add(
      SystemProgram.createAccount({
        fromPubkey: authority,
        newAccountPubkey: buffer.publicKey,
        lamports: rent(BUFFER_HEADER + elf.length),
        space: BUFFER_HEADER + elf.length,
        programId: UPGRADEABLE_LOADER_ID,
      }),
      new TransactionInstruction({
        programId: UPGRADEABLE_LOADER_ID,
        keys: [
          { pubkey: buffer.publicKey, isSigner: false, isWritable: true },
          { pubkey: authority, isSigner: false, isWritable: false },
        ],
        data: u32(0), // InitializeBuffer
      }),
    ),
    [buffer],
  );
  for (let offset = 0; offset < elf.length; offset += WRITE_CHUNK) {
    const chunk = elf.subarray(offset, offset + WRITE_CHUNK);
    send(
      new Transaction().add(
        new TransactionInstruction({
          programId: UPGRADEABLE_LOADER_ID,
          keys: [
            { pubkey: buffer.publicKey, isSigner: false, isWritable: true },
            { pubkey: authority, isSigner: true, isWritable: false },
          ],
          data: Buffer.concat([u32(1), u32(offset), u64(chunk.length), chunk]), // Write
        }),
      ),
    );
  }
  const [programData] = PublicKey.findProgramAddressSync([programKeypair.publicKey.toBuffer()], UPGRADEABLE_LOADER_ID);
  send(
    new Transaction().add(
      SystemProgram.createAccount({
        fromPubkey: authority,
        newAccountPubkey: programKeypair.publicKey,
        lamports: rent(PROGRAM_ACCOUNT_SIZE),
        space: PROGRAM_ACCOUNT_SIZE,
        programId: UPGRADEABLE_LOADER_ID,
      }),
      new TransactionInstruction({
        programId: UPGRADEABLE_LOADER_ID,
        keys: [
          { pubkey: authority, isSigner: true, isWritable: true },
          { pubkey: programData, isSigner: false, isWritable: true },
          { pubkey: programKeypair.publicKey, isSigner: false, isWritable: true },
          { pubkey: buffer.publicKey, isSigner: false, isWritable: true },
          { pubkey: SYSVAR_RENT_PUBKEY, isSigner: false, isWritable: false },
          { pubkey: SYSVAR_CLOCK_PUBKEY, isSigner: false, isWritable: false },
          { pubkey: SystemProgram.programId, isSigner: false, isWritable: false },
          { pubkey: authority, isSigner: true, isWritable: false },
        ],
        data: Buffer.concat([u32(2), u64(maxDataLen)]), // DeployWithMaxDataLen
      }),
    ),
    [programKeypair],
  );
  svm.warpToSlot(svm.getClock().slot + 1n);
  if (!svm.getAccount(address(programKeypair.publicKey.toBase58())).exists) {
    throw new Error(`deployment of ${programKeypair.publicKey.toBase58()} left no program account`);
  }
  return { programId: programKeypair.publicKey, programData, transactions };
}
