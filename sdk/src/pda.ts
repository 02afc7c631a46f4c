import { PublicKey } from '@solana/web3.js';
import economyJson from '../../programs/idl/economy.json' with { type: 'json' };
import { PROGRAM_IDS } from './programs.ts';

interface IdlSeed {
  kind: string;
  value?: number[];
}
interface IdlInstructionAccounts {
  name: string;
  accounts: { name: string; pda?: { seeds: IdlSeed[] } }[];
}

/**
 * The constant seeds of a PDA, read from the IDL the program's own declarations produced, so the
 * seeds are written once, in the program.
 */
function constSeeds(instructions: IdlInstructionAccounts[], instruction: string, account: string): Buffer[] {
  const seeds = instructions.find((i) => i.name === instruction)?.accounts.find((a) => a.name === account)?.pda?.seeds;
  if (!seeds?.every((s) => s.kind === 'const' && s.value)) {
    throw new Error(`the IDL has no constant PDA seeds for ${instruction}.${account}`);
  }
  return seeds.map((s) => Buffer.from(s.value!));
}

/** Seeds of the economy program's singleton accounts, from its IDL. */
export const ECONOMY_SEEDS = {
  config: constSeeds(economyJson.instructions as IdlInstructionAccounts[], 'config_init', 'config'),
} as const;

/** The economy configuration PDA `["config"]` and its canonical bump. */
export function configAddress(programId: PublicKey = PROGRAM_IDS.economy): [PublicKey, number] {
  return PublicKey.findProgramAddressSync(ECONOMY_SEEDS.config, programId);
}
