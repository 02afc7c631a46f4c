/** The local wallet: a Solana CLI keypair file (a JSON array of the 64 secret-key bytes). */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Keypair } from '@solana/web3.js';
import { ChainConfigError } from './errors.ts';

/** The Solana CLI's default keypair path (`~/.config/solana/id.json`). */
export const defaultWalletPath = (): string => path.join(os.homedir(), '.config', 'solana', 'id.json');

/** Reads a keypair file. */
export function readKeypair(file: string): Keypair {
  let bytes: unknown;
  try {
    bytes = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ChainConfigError(`${file}: not a keypair file (${(e as Error).message})`);
  }
  if (!Array.isArray(bytes) || bytes.length !== 64 || !bytes.every((b) => Number.isInteger(b) && b >= 0 && b < 256)) {
    throw new ChainConfigError(`${file}: a keypair file holds a JSON array of 64 bytes`);
  }
  return Keypair.fromSecretKey(Uint8Array.from(bytes as number[]));
}

/** Loads the wallet at `file`, creating it (mode 0600, Solana CLI format) when it is missing. */
export function loadOrCreateWallet(file: string): { keypair: Keypair; created: boolean } {
  if (existsSync(file)) return { keypair: readKeypair(file), created: false };
  const keypair = Keypair.generate();
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(Array.from(keypair.secretKey)), { mode: 0o600 });
  return { keypair, created: true };
}
