import { address } from '@solana/kit';
import { Keypair, type PublicKey, SystemProgram, Transaction } from '@solana/web3.js';
import { LOADER_BUFFER_HEADER, LOADER_PROGRAM_ACCOUNT_SIZE, UPGRADEABLE_LOADER_ID, loaderInstructions, programDataAddress } from '../loader.ts';
import type { LiteSvmProvider } from './provider.ts';

export { UPGRADEABLE_LOADER_ID };

/** Bytes of program data written per `Write` instruction (fits a 1232-byte transaction). */
const WRITE_CHUNK = 900;

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
        lamports: rent(LOADER_BUFFER_HEADER + elf.length),
        space: LOADER_BUFFER_HEADER + elf.length,
        programId: UPGRADEABLE_LOADER_ID,
      }),
      loaderInstructions.initializeBuffer(buffer.publicKey, authority),
    ),
    [buffer],
  );
  for (let offset = 0; offset < elf.length; offset += WRITE_CHUNK) {
    send(new Transaction().add(loaderInstructions.write(buffer.publicKey, authority, offset, elf.subarray(offset, offset + WRITE_CHUNK))));
  }
  const programData = programDataAddress(programKeypair.publicKey);
  send(
    new Transaction().add(
      SystemProgram.createAccount({
        fromPubkey: authority,
        newAccountPubkey: programKeypair.publicKey,
        lamports: rent(LOADER_PROGRAM_ACCOUNT_SIZE),
        space: LOADER_PROGRAM_ACCOUNT_SIZE,
        programId: UPGRADEABLE_LOADER_ID,
      }),
      loaderInstructions.deployWithMaxDataLen({ program: programKeypair.publicKey, buffer: buffer.publicKey, authority, maxDataLen }),
    ),
    [programKeypair],
  );
  svm.warpToSlot(svm.getClock().slot + 1n);
  if (!svm.getAccount(address(programKeypair.publicKey.toBase58())).exists) {
    throw new Error(`deployment of ${programKeypair.publicKey.toBase58()} left no program account`);
  }
  return { programId: programKeypair.publicKey, programData, transactions };
}
