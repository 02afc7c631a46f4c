/**
 * Genesis: every program of `programs/` deployed through the BPF upgradeable loader at its
 * `Anchor.toml` id (upgrade authority: the wallet), the mints of the genesis config created as
 * Token-2022 mints with on-chain metadata, and the configured wallets funded.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { address, lamports } from '@solana/kit';
import {
  AuthorityType,
  createAssociatedTokenAccountInstruction,
  createInitializeMetadataPointerInstruction,
  createInitializeMintInstruction,
  createMintToInstruction,
  createSetAuthorityInstruction,
  ExtensionType,
  getAssociatedTokenAddressSync,
  getMintLen,
  LENGTH_SIZE,
  TOKEN_2022_PROGRAM_ID,
  TYPE_SIZE,
} from '@solana/spl-token';
import { createInitializeInstruction, pack } from '@solana/spl-token-metadata';
import { Keypair, LAMPORTS_PER_SOL, PublicKey, SystemProgram } from '@solana/web3.js';
import { parse as parseToml } from 'smol-toml';
import type { GenesisInfo } from './chain.ts';
import type { Engine } from './engine.ts';
import { ChainConfigError } from './errors.ts';
import { GenesisSender } from './genesis-tx.ts';
import { readKeypair } from './wallet.ts';

/** The repository root (`chain/src/../..`). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The default genesis config, `chain/genesis.json`. */
export const DEFAULT_GENESIS_CONFIG = path.join(REPO_ROOT, 'chain', 'genesis.json');

/** One mint of the genesis config. */
export interface MintConfig {
  symbol: string;
  name: string;
  uri: string;
  decimals: number;
  /** Base units minted to the wallet's associated token account. */
  supply: string;
  /** Keypair file of the mint address, relative to the config file. */
  keypair: string;
  /** `wallet` keeps the wallet as mint authority; `none` fixes the supply. */
  mintAuthority: 'wallet' | 'none';
}

/** The genesis config file (`chain/genesis.json`). */
export interface GenesisConfig {
  mints: MintConfig[];
  /** `address` is a base58 key or `wallet`. */
  wallets: { address: string; sol: number }[];
  faucetSol: number;
  /** Directory that `keypair` paths are relative to. */
  baseDir: string;
}

/** Reads and checks a genesis config file. */
export function readGenesisConfig(file: string = DEFAULT_GENESIS_CONFIG): GenesisConfig {
  let raw: Partial<GenesisConfig>;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as Partial<GenesisConfig>;
  } catch (e) {
    throw new ChainConfigError(`${file}: ${(e as Error).message}`);
  }
  const fail = (what: string): never => {
    throw new ChainConfigError(`${file}: ${what}`);
  };
  if (!Array.isArray(raw.mints)) fail('"mints" must be an array');
  for (const m of raw.mints!) {
    if (typeof m.symbol !== 'string' || typeof m.name !== 'string' || typeof m.uri !== 'string') fail('each mint needs symbol, name and uri');
    if (!Number.isInteger(m.decimals) || m.decimals < 0 || m.decimals > 18) fail(`${m.symbol}: decimals must be an integer 0..18`);
    if (typeof m.supply !== 'string' || !/^\d+$/.test(m.supply) || BigInt(m.supply) >= 2n ** 64n) fail(`${m.symbol}: supply must be a u64 as a decimal string`);
    if (m.mintAuthority !== 'wallet' && m.mintAuthority !== 'none') fail(`${m.symbol}: mintAuthority must be "wallet" or "none"`);
    if (typeof m.keypair !== 'string') fail(`${m.symbol}: keypair must be a path`);
  }
  const wallets = raw.wallets ?? [];
  for (const w of wallets) if (typeof w.address !== 'string' || typeof w.sol !== 'number' || w.sol < 0) fail('each wallet needs address and sol');
  const faucetSol = raw.faucetSol ?? 1_000_000;
  if (typeof faucetSol !== 'number' || faucetSol <= 0 || faucetSol * LAMPORTS_PER_SOL > Number.MAX_SAFE_INTEGER) fail('faucetSol must be a positive number below 9,007,199 SOL');
  return { mints: raw.mints!, wallets, faucetSol, baseDir: path.dirname(file) };
}

/** Program names and ids from `Anchor.toml` `[programs.localnet]`. */
export function anchorPrograms(root: string = REPO_ROOT): Record<string, string> {
  const toml = parseToml(readFileSync(path.join(root, 'Anchor.toml'), 'utf8')) as { programs?: { localnet?: Record<string, string> } };
  return toml.programs?.localnet ?? {};
}

/** Runs genesis into a fresh engine with `wallet` as payer and upgrade authority. */
export function runGenesis(engine: Engine, wallet: Keypair, config: GenesisConfig, root: string = REPO_ROOT): GenesisInfo {
  const { svm } = engine;
  const fund = (to: PublicKey, sol: number): void => {
    const r = svm.airdrop(address(to.toBase58()), lamports(BigInt(Math.round(sol * LAMPORTS_PER_SOL))));
    if (!r || 'err' in r) throw new ChainConfigError(`genesis could not fund ${to.toBase58()} with ${sol} SOL`);
  };
  const faucet = Keypair.generate();
  fund(faucet.publicKey, config.faucetSol);
  // The wallet pays for deployments and mints; it gets its configured balance on top.
  fund(wallet.publicKey, 1000);
  // Real transactions, signed with node:crypto (see genesis-tx.ts).
  const sender = new GenesisSender(engine, wallet);

  const programs: Record<string, string> = {};
  for (const [name, id] of Object.entries(anchorPrograms(root))) {
    const keypair = readKeypair(path.join(root, 'programs', 'keys', `${name}-keypair.json`));
    if (keypair.publicKey.toBase58() !== id) throw new ChainConfigError(`programs/keys/${name}-keypair.json is ${keypair.publicKey.toBase58()}, Anchor.toml says ${id}`);
    const elf = readFileSync(path.join(root, 'programs', 'deploy', `${name}.so`));
    sender.deployUpgradeable(keypair, Keypair.generate(), elf);
    programs[name] = id;
  }
  // Programs deployed in a slot are callable from the next one.
  if (Object.keys(programs).length) svm.warpToSlot(svm.getClock().slot + 1n);

  const mints: GenesisInfo['mints'] = {};
  for (const m of config.mints) {
    const mint = readKeypair(path.resolve(config.baseDir, m.keypair));
    const programId = TOKEN_2022_PROGRAM_ID;
    const md = { mint: mint.publicKey, updateAuthority: wallet.publicKey, name: m.name, symbol: m.symbol, uri: m.uri, additionalMetadata: [] as [string, string][] };
    const mintLen = getMintLen([ExtensionType.MetadataPointer]);
    const rent = Number(engine.rentExempt(mintLen + TYPE_SIZE + LENGTH_SIZE + pack(md).length));
    const ata = getAssociatedTokenAddressSync(mint.publicKey, wallet.publicKey, false, programId);
    sender.send(
      [
        SystemProgram.createAccount({ fromPubkey: wallet.publicKey, newAccountPubkey: mint.publicKey, space: mintLen, lamports: rent, programId }),
        createInitializeMetadataPointerInstruction(mint.publicKey, wallet.publicKey, mint.publicKey, programId),
        createInitializeMintInstruction(mint.publicKey, m.decimals, wallet.publicKey, null, programId),
        createInitializeInstruction({
          programId,
          mint: mint.publicKey,
          metadata: mint.publicKey,
          name: m.name,
          symbol: m.symbol,
          uri: m.uri,
          mintAuthority: wallet.publicKey,
          updateAuthority: wallet.publicKey,
        }),
      ],
      [mint],
    );
    const tail = [createAssociatedTokenAccountInstruction(wallet.publicKey, ata, wallet.publicKey, mint.publicKey, programId)];
    if (BigInt(m.supply) > 0n) tail.push(createMintToInstruction(mint.publicKey, ata, wallet.publicKey, BigInt(m.supply), [], programId));
    if (m.mintAuthority === 'none') tail.push(createSetAuthorityInstruction(mint.publicKey, wallet.publicKey, AuthorityType.MintTokens, null, [], programId));
    sender.send(tail);
    mints[m.symbol] = { address: mint.publicKey.toBase58(), decimals: m.decimals, programId: programId.toBase58() };
  }

  for (const w of config.wallets) {
    const to = w.address === 'wallet' ? wallet.publicKey : new PublicKey(w.address);
    if (w.sol > 0) fund(to, w.sol);
  }
  return { wallet: wallet.publicKey.toBase58(), faucetSecret: Array.from(faucet.secretKey), programs, mints };
}
