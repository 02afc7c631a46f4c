import { Program, type Provider } from '@coral-xyz/anchor';
import { PublicKey } from '@solana/web3.js';
import economyJson from '../../programs/idl/economy.json' with { type: 'json' };
import marketplaceJson from '../../programs/idl/marketplace.json' with { type: 'json' };
import type { Economy } from './idl/economy.ts';
import type { Marketplace } from './idl/marketplace.ts';

/**
 * The economy program's IDL, as the toolchain built it from the program's source. Its `address`
 * comes from `Anchor.toml`, the one source of program ids.
 */
export const economyIdl = economyJson as unknown as Economy;

/** The marketplace program's IDL, built like the economy's. */
export const marketplaceIdl = marketplaceJson as unknown as Marketplace;

/** Program ids, from the committed IDLs (which the toolchain fills from `Anchor.toml`). */
export const PROGRAM_IDS = {
  economy: new PublicKey(economyIdl.address),
  marketplace: new PublicKey(marketplaceIdl.address),
} as const;

/** The names of SpiceTime's programs. */
export type ProgramName = keyof typeof PROGRAM_IDS;

/** A typed Anchor client for the economy program. */
export function economyProgram(provider: Provider): Program<Economy> {
  return new Program<Economy>(economyIdl, provider);
}

/** A typed Anchor client for the marketplace program. */
export function marketplaceProgram(provider: Provider): Program<Marketplace> {
  return new Program<Marketplace>(marketplaceIdl, provider);
}

export type { Economy, Marketplace };
