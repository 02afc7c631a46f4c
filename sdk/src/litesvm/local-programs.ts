import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Keypair } from '@solana/web3.js';
import { LiteSVM } from 'litesvm';
import type { ProgramName } from '../programs.ts';
import { deployUpgradeable } from './deploy.ts';
import { LiteSvmProvider } from './provider.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The committed SBPF build of a program (`programs/deploy/<name>.so`). */
export const programElf = (name: ProgramName): Buffer => readFileSync(path.join(REPO, 'programs/deploy', `${name}.so`));

/**
 * The localnet program keypair (`programs/keys/<name>-keypair.json`, Solana CLI format), whose
 * public key is the program id in `Anchor.toml`. Localnet only: real clusters deploy with keys
 * kept out of the repo.
 */
export const programKeypair = (name: ProgramName): Keypair =>
  Keypair.fromSecretKey(Uint8Array.from(JSON.parse(readFileSync(path.join(REPO, 'programs/keys', `${name}-keypair.json`), 'utf8')) as number[]));

/**
 * A fresh in-process chain with the named programs deployed at their `Anchor.toml` ids through
 * the upgradeable loader, and a funded wallet (the upgrade authority) as the provider.
 */
export function localChain(names: ProgramName[] = ['economy']): LiteSvmProvider {
  const provider = LiteSvmProvider.withFundedWallet(new LiteSVM());
  for (const name of names) deployUpgradeable(provider, programKeypair(name), programElf(name));
  return provider;
}
