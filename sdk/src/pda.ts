import { PublicKey } from '@solana/web3.js';
import { PROGRAM_IDS } from './programs.ts';

/** Seeds of the economy program's accounts (programs/economy/src/seeds.rs). */
export const ECONOMY_SEEDS = {
  config: Buffer.from('config'),
} as const;

/** The economy configuration PDA `["config"]` and its canonical bump. */
export function configAddress(programId: PublicKey = PROGRAM_IDS.economy): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([ECONOMY_SEEDS.config], programId);
}
