import { PublicKey } from '@solana/web3.js';
import economyJson from '../../programs/idl/economy.json' with { type: 'json' };
import marketplaceJson from '../../programs/idl/marketplace.json' with { type: 'json' };
import { PROGRAM_IDS } from './programs.ts';

interface IdlSeed {
  kind: string;
  value?: number[];
}
interface IdlInstructionAccounts {
  name: string;
  accounts: { name: string; address?: string; pda?: { seeds: IdlSeed[] } }[];
}

const idlAccount = (instruction: string, account: string, idl: { instructions: unknown } = economyJson) =>
  (idl.instructions as IdlInstructionAccounts[]).find((i) => i.name === instruction)?.accounts.find((a) => a.name === account);

/**
 * The constant leading seed of a PDA, read from the IDL the program's own declarations produced,
 * so every seed is written once, in the program.
 */
function leadingSeed(instruction: string, account: string, idl: { instructions: unknown } = economyJson): Buffer {
  const seeds = idlAccount(instruction, account, idl)?.pda?.seeds;
  const first = seeds?.[0];
  if (first?.kind !== 'const' || !first.value) throw new Error(`the IDL has no constant PDA seed for ${instruction}.${account}`);
  return Buffer.from(first.value);
}

/** Leading seeds of the economy program's PDAs, from its IDL. */
export const ECONOMY_SEEDS = {
  config: leadingSeed('config_init', 'config'),
  authority: leadingSeed('mints_create', 'authority'),
  ubcMint: leadingSeed('mints_create', 'ubc_mint'),
  computeMint: leadingSeed('mints_create', 'compute_mint'),
  stakeVault: leadingSeed('mints_create', 'stake_vault'),
  rewardsVault: leadingSeed('mints_adopt', 'rewards_vault'),
  position: leadingSeed('stake_deposit', 'position'),
  collateral: leadingSeed('collateral_deposit', 'collateral'),
} as const;

/**
 * The marketplace program's PDA `["economy_caller"]`, the one signer the economy program accepts
 * for its marketplace-only instructions (collateral lock, release and slash, provider rewards,
 * settlement burns). Read from the IDL, where the program pins it.
 */
export const MARKETPLACE_CALLER: PublicKey = (() => {
  const pinned = idlAccount('collateral_lock', 'marketplace_caller')?.address;
  if (!pinned) throw new Error('the IDL pins no marketplace_caller for collateral_lock');
  return new PublicKey(pinned);
})();

const single = (seed: Buffer, programId: PublicKey): PublicKey => PublicKey.findProgramAddressSync([seed], programId)[0];

/** The economy configuration PDA `["config"]` and its canonical bump. */
export function configAddress(programId: PublicKey = PROGRAM_IDS.economy): [PublicKey, number] {
  return PublicKey.findProgramAddressSync([ECONOMY_SEEDS.config], programId);
}

/** The economy program's singleton PDAs. */
export function economyAddresses(programId: PublicKey = PROGRAM_IDS.economy) {
  return {
    config: configAddress(programId)[0],
    authority: single(ECONOMY_SEEDS.authority, programId),
    ubcMint: single(ECONOMY_SEEDS.ubcMint, programId),
    computeMint: single(ECONOMY_SEEDS.computeMint, programId),
    stakeVault: single(ECONOMY_SEEDS.stakeVault, programId),
    rewardsVault: single(ECONOMY_SEEDS.rewardsVault, programId),
  };
}

/** A stake position PDA `["position", owner, position_id as u64 LE]`. */
export function positionAddress(owner: PublicKey, positionId: bigint | number, programId: PublicKey = PROGRAM_IDS.economy): PublicKey {
  const id = Buffer.alloc(8);
  id.writeBigUInt64LE(BigInt(positionId));
  return PublicKey.findProgramAddressSync([ECONOMY_SEEDS.position, owner.toBuffer(), id], programId)[0];
}

/** A provider's collateral PDA `["collateral", provider]`. */
export function collateralAddress(provider: PublicKey, programId: PublicKey = PROGRAM_IDS.economy): PublicKey {
  return PublicKey.findProgramAddressSync([ECONOMY_SEEDS.collateral, provider.toBuffer()], programId)[0];
}

/** Leading seeds of the marketplace program's PDAs, from its IDL. */
export const MARKETPLACE_SEEDS = {
  market: leadingSeed('market_init', 'market', marketplaceJson),
  layer: leadingSeed('layer_publish', 'layer', marketplaceJson),
  layerVersion: leadingSeed('layer_publish', 'layer_version', marketplaceJson),
  provider: leadingSeed('provider_register', 'provider', marketplaceJson),
  verifier: leadingSeed('verifier_register', 'verifier', marketplaceJson),
  job: leadingSeed('job_create', 'job', marketplaceJson),
  jobVault: leadingSeed('job_create', 'job_vault', marketplaceJson),
  royaltyVault: leadingSeed('market_init', 'royalty_vault', marketplaceJson),
  challenge: leadingSeed('challenge_open', 'challenge', marketplaceJson),
} as const;

const u64le = (n: bigint | number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};
const u32le = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};
const pda = (seeds: Buffer[], programId: PublicKey): PublicKey => PublicKey.findProgramAddressSync(seeds, programId)[0];

/** The marketplace's PDAs. Each takes the marketplace program id last (default: the localnet id). */
export const marketplacePda = {
  /** The market configuration `["market"]`. */
  market: (programId: PublicKey = PROGRAM_IDS.marketplace) => pda([MARKETPLACE_SEEDS.market], programId),
  /** A layer `["layer", mint]`. */
  layer: (mint: PublicKey, programId: PublicKey = PROGRAM_IDS.marketplace) => pda([MARKETPLACE_SEEDS.layer, mint.toBuffer()], programId),
  /** A layer version `["layer_version", layer, version as u32 LE]`. */
  layerVersion: (layer: PublicKey, version: number, programId: PublicKey = PROGRAM_IDS.marketplace) =>
    pda([MARKETPLACE_SEEDS.layerVersion, layer.toBuffer(), u32le(version)], programId),
  /** A provider `["provider", authority]`. */
  provider: (authority: PublicKey, programId: PublicKey = PROGRAM_IDS.marketplace) => pda([MARKETPLACE_SEEDS.provider, authority.toBuffer()], programId),
  /** A verifier `["verifier", authority]`. */
  verifier: (authority: PublicKey, programId: PublicKey = PROGRAM_IDS.marketplace) => pda([MARKETPLACE_SEEDS.verifier, authority.toBuffer()], programId),
  /** A job `["job", client, job_id as u64 LE]`. */
  job: (client: PublicKey, jobId: bigint | number, programId: PublicKey = PROGRAM_IDS.marketplace) =>
    pda([MARKETPLACE_SEEDS.job, client.toBuffer(), u64le(jobId)], programId),
  /** The royalty vault `["royalty_vault"]`, holding every layer's accrued royalty. */
  royaltyVault: (programId: PublicKey = PROGRAM_IDS.marketplace) => pda([MARKETPLACE_SEEDS.royaltyVault], programId),
  /** A job's escrow vault `["job_vault", job]`. */
  jobVault: (job: PublicKey, programId: PublicKey = PROGRAM_IDS.marketplace) => pda([MARKETPLACE_SEEDS.jobVault, job.toBuffer()], programId),
  /** The challenge of a job instance `["challenge", job, job_serial as u64 LE]` (one per instance). */
  challenge: (job: PublicKey, jobSerial: bigint | number, programId: PublicKey = PROGRAM_IDS.marketplace) =>
    pda([MARKETPLACE_SEEDS.challenge, job.toBuffer(), u64le(jobSerial)], programId),
};
