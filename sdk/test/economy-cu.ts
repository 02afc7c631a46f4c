/**
 * Compute units of the economy program against Anchor's own benchmark for the same account work:
 * the measurement behind `economy-compute-units.test.ts` (budgets and the half-of-Anchor goal) and
 * `npm run bench` (the table).
 *
 * The reference. Anchor 0.32.1's `bench/COMPUTE_UNITS.md` (Solana 2.3) measures instructions that
 * only take N accounts of one kind, for N = 1 and 8 (4 for token accounts). The slope between them
 * is what one more account of that kind costs; the smallest `f(1) − slope` over the kinds is the
 * instruction's fixed cost. An instruction's reference is that fixed cost plus the slope of each of
 * its accounts, as an Anchor program would declare them.
 *
 * What both would pay alike is left out of "own" units, as the issue says of token CPIs ("a token
 * CPI costs what the token program costs"): each CPI to a token program (the runtime's 1,000-unit
 * invoke plus what the token program consumed), each event (`sol_log_data`: 100 + 100 per field +
 * the bytes; Anchor's `emit!` makes the same call) and each PDA derivation on chain
 * (`find_program_address`: 1,500 per bump tried; Anchor's `seeds` + `bump` makes the same call).
 * System-program CPIs creating accounts stay in: Anchor's `init` figure includes them.
 */
import anchor from '@coral-xyz/anchor';
import { TOKEN_PROGRAM_ID, createTransferCheckedInstruction } from '@solana/spl-token';
import { address } from '@solana/kit';
import { Transaction, TransactionInstruction } from '@solana/web3.js';
import { MARKETPLACE_CALLER, PROGRAM_IDS, defaultParams } from '../src/index.ts';
import { programKeypair } from '../src/litesvm/index.ts';
import { DECIMALS, EconomyFixture, WHOLE } from './economy-fixture.ts';

const { BN } = anchor;
import { type Invocation, invocations } from './marketplace-property-harness.ts';

/** Anchor 0.32.1's figures: [CU with one account, CU with `n` accounts, n]. */
const ANCHOR_0_32_1 = {
  /** `Signer`: signer1 / signer8. */
  signer: [874, 2941, 8],
  /** `Account<T>` of a fixed-size type: accountSized1 / accountSized8. */
  account: [822, 3762, 8],
  /** `init` of one: accountSizedInit1 / accountSizedInit8. */
  init: [5019, 33013, 8],
  /** `InterfaceAccount<TokenAccount>`: interfaceAccountToken1 / interfaceAccountToken4. */
  token: [1268, 2997, 4],
  /** `InterfaceAccount<Mint>`: interfaceAccountMint1 / interfaceAccountMint8. */
  mint: [1126, 4163, 8],
  /** `Program` / `Interface`: program1 / program8. */
  program: [890, 1879, 8],
  /** `UncheckedAccount` (checked by an address constraint): uncheckedAccount1 / uncheckedAccount8. */
  unchecked: [882, 2833, 8],
} as const;

/** How an Anchor program would declare an account. */
export type AnchorKind = keyof typeof ANCHOR_0_32_1;

const slope = (k: AnchorKind): number => {
  const [one, many, n] = ANCHOR_0_32_1[k];
  return (many - one) / (n - 1);
};
/** Anchor's fixed cost of an instruction: the smallest `f(1) − slope` over the kinds. */
export const ANCHOR_BASE = Math.min(...(Object.keys(ANCHOR_0_32_1) as AnchorKind[]).map((k) => ANCHOR_0_32_1[k][0] - slope(k)));

/** Anchor's compute units for an instruction with these accounts. */
export function anchorReference(kinds: readonly AnchorKind[]): number {
  return Math.round(ANCHOR_BASE + kinds.reduce((sum, k) => sum + slope(k), 0));
}

/** Every economy instruction's accounts as an Anchor program would declare them, in IDL order. */
export const ECONOMY_ACCOUNT_KINDS: Record<string, readonly AnchorKind[]> = {
  config_init: ['init', 'signer', 'program'],
  config_update: ['account', 'signer'],
  admin_propose: ['account', 'signer'],
  admin_accept: ['account', 'signer'],
  pause_set: ['account', 'signer'],
  mints_create: ['account', 'signer', 'unchecked', 'init', 'init', 'init', 'program', 'program'],
  ubc_genesis: ['account', 'signer', 'unchecked', 'mint', 'token', 'program'],
  mints_adopt: ['account', 'signer', 'unchecked', 'mint', 'mint', 'init', 'init', 'program', 'program', 'program'],
  stake_deposit: ['account', 'signer', 'init', 'token', 'token', 'mint', 'program', 'program'],
  stake_claim: ['account', 'signer', 'account', 'token', 'mint', 'unchecked', 'token', 'program'],
  stake_unlock: ['account', 'signer', 'account'],
  stake_withdraw: ['account', 'signer', 'account', 'token', 'token', 'mint', 'unchecked', 'program'],
  token_burn: ['account', 'signer', 'token', 'mint', 'program'],
  collateral_deposit: ['account', 'signer', 'init', 'token', 'token', 'mint', 'program', 'program'],
  collateral_unlock: ['account', 'signer', 'account'],
  collateral_withdraw: ['account', 'signer', 'account', 'token', 'token', 'mint', 'unchecked', 'program'],
  collateral_lock: ['signer', 'unchecked', 'account'],
  collateral_release: ['signer', 'unchecked', 'account'],
  collateral_slash: ['account', 'signer', 'unchecked', 'account', 'token', 'token', 'token', 'mint', 'unchecked', 'program'],
  reward_pay: ['account', 'signer', 'token', 'mint', 'unchecked', 'token', 'program'],
  settlement_burn: ['account', 'signer', 'token', 'mint', 'program'],
  settlement_finish: ['account', 'signer', 'unchecked', 'account', 'token', 'token', 'mint', 'unchecked', 'token', 'program'],
};

const TOKEN_PROGRAMS = new Set(['TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA', 'TokenzQdBNbLqP5VEhdkAS6EPFLC1PHnBqCXEpPxuEb']);
const INVOKE_UNITS = 1_000;
const SYSCALL_BASE = 100;
const PDA_BUMP_UNITS = 1_500;

/** One run of an economy instruction. */
export interface EconomyRun {
  /** Compute units the economy program consumed (its CPIs included). */
  units: number;
  /** Of those, token CPIs: 1,000 per invoke plus what the token program consumed. */
  tokenCpis: number;
  /** Of those, events: `sol_log_data` of one field, 200 + its bytes. */
  events: number;
  /** Of those, PDA derivations: 1,500 per bump tried. */
  derivations: number;
}

/** What of a run is the program's own work: its units minus token CPIs, events and derivations. */
export const ownUnits = (r: EconomyRun): number => r.units - r.tokenCpis - r.events - r.derivations;

/** The economy's invocation in a transaction's logs (at any depth: the marketplace may call it). */
function economyRun(logs: string[], derivedBumps: number[]): EconomyRun {
  const find = (nodes: Invocation[]): Invocation | undefined => {
    for (const n of nodes) {
      if (n.program === PROGRAM_IDS.economy.toBase58()) return n;
      const inner = find(n.children);
      if (inner) return inner;
    }
  };
  const run = find(invocations(logs));
  if (!run) throw new Error('the economy program did not run');
  return {
    units: run.units,
    tokenCpis: run.children.filter((c) => TOKEN_PROGRAMS.has(c.program)).reduce((s, c) => s + INVOKE_UNITS + c.units, 0),
    events: run.data.reduce((s, d) => s + 2 * SYSCALL_BASE + Buffer.from(d, 'base64').length, 0),
    derivations: derivedBumps.reduce((s, bump) => s + (256 - bump) * PDA_BUMP_UNITS, 0),
  };
}

/**
 * Every economy instruction in a representative run (the marketplace-only ones through the stand-in
 * marketplace program `marketplaceSo`): its compute units and what of them the runtime charges for
 * work any implementation does.
 */
export async function measureEconomy(marketplaceSo: Buffer): Promise<Record<string, EconomyRun>> {
  const cu: Record<string, EconomyRun> = {};
  const f = new EconomyFixture();
  const record = (name: string, provider = f.provider, derivedBumps: number[] = []) => (cu[name] = economyRun(provider.last!.logs, derivedBumps));
  await f.initConfig();
  record('config_init');
  await f.program.methods.configUpdate({ ...defaultParams(DECIMALS), burnBps: 40 }).accounts({ admin: f.admin }).rpc();
  record('config_update');
  await f.program.methods.pauseSet(false).accounts({ admin: f.admin }).rpc();
  record('pause_set');
  await f.program.methods.mintsCreate(DECIMALS, DECIMALS).accounts({ admin: f.admin, tokenProgram: TOKEN_PROGRAM_ID }).rpc();
  record('mints_create');
  const { ubcMint, computeMint } = f.client.addresses;
  const genesis = f.tokenAccount(f.admin, ubcMint);
  await f.program.methods.ubcGenesis(new BN((1_000_000n * WHOLE).toString())).accounts({ admin: f.admin, ubcMint, destination: genesis, tokenProgram: TOKEN_PROGRAM_ID }).rpc();
  record('ubc_genesis');

  const staker = f.user(10_000_000_000n, 1);
  const ubc = f.tokenAccount(staker.publicKey, ubcMint);
  const compute = f.tokenAccount(staker.publicKey, computeMint);
  f.provider.execute(new Transaction().add(createTransferCheckedInstruction(genesis, ubcMint, ubc, f.admin, 1_000n * WHOLE, DECIMALS)));
  await staker.client.stakeDeposit({ owner: staker.publicKey, source: ubc, positionId: 1, tier: 'flexible', amount: 100n * WHOLE });
  record('stake_deposit', staker.provider, [(await staker.client.fetchPosition(staker.publicKey, 1))!.bump]);
  await staker.client.stakeDeposit({ owner: staker.publicKey, source: ubc, positionId: 2, tier: 'days365', amount: 100n * WHOLE });
  f.warp(86_400);
  await staker.client.stakeClaim({ owner: staker.publicKey, destination: compute, positionId: 2 });
  record('stake_claim', staker.provider);
  await staker.client.stakeUnlock({ owner: staker.publicKey, positionId: 1 });
  record('stake_unlock', staker.provider);
  f.warp(86_400);
  await staker.client.stakeWithdraw({ owner: staker.publicKey, destination: ubc, positionId: 1 });
  record('stake_withdraw', staker.provider);
  await staker.client.tokenBurn({ owner: staker.publicKey, source: compute, amount: 1n });
  record('token_burn', staker.provider);

  // Provider collateral, and the marketplace's entry points through the stand-in marketplace program
  f.provider.svm.addProgram(address(programKeypair('marketplace').publicKey.toBase58()), marketplaceSo);
  const viaMarketplace = (ix: TransactionInstruction) =>
    f.provider.execute(
      new Transaction().add(
        new TransactionInstruction({
          programId: programKeypair('marketplace').publicKey,
          keys: [{ pubkey: ix.programId, isSigner: false, isWritable: false }, ...ix.keys.map((k) => ({ ...k, isSigner: k.pubkey.equals(MARKETPLACE_CALLER) ? false : k.isSigner }))],
          data: ix.data,
        }),
      ),
    );
  const node = f.user(10_000_000_000n, 3);
  const nodeUbc = f.tokenAccount(node.publicKey, ubcMint);
  f.provider.execute(new Transaction().add(createTransferCheckedInstruction(genesis, ubcMint, nodeUbc, f.admin, 1_000n * WHOLE, DECIMALS)));
  await node.client.collateralDeposit({ provider: node.publicKey, source: nodeUbc, amount: 500n * WHOLE });
  record('collateral_deposit', node.provider, [(await node.client.fetchCollateral(node.publicKey))!.bump]);
  const mk = f.client.marketplace;
  viaMarketplace(await mk.collateralLock({ provider: node.publicKey }));
  record('collateral_lock');
  viaMarketplace(await mk.collateralRelease({ provider: node.publicKey }));
  record('collateral_release');
  const challenger = f.tokenAccount(staker.publicKey, ubcMint);
  const treasury = f.tokenAccount(f.treasury, ubcMint);
  viaMarketplace(await mk.collateralSlash({ provider: node.publicKey, challenger, treasury, amount: 10n * WHOLE, challengerBps: 5_000 }));
  record('collateral_slash');
  const escrow = f.tokenAccount(MARKETPLACE_CALLER, computeMint);
  viaMarketplace(await mk.rewardPay({ destination: escrow, amount: 5n * WHOLE }));
  record('reward_pay');
  viaMarketplace(await mk.settlementBurn({ source: escrow, amount: 1n * WHOLE }));
  record('settlement_burn');
  viaMarketplace(await mk.collateralLock({ provider: node.publicKey }));
  const nodeCompute = f.tokenAccount(node.publicKey, computeMint);
  viaMarketplace(await mk.settlementFinish({ provider: node.publicKey, source: escrow, destination: nodeCompute, burn: 1n * WHOLE, reward: 1n * WHOLE }));
  record('settlement_finish');
  await node.client.collateralUnlock({ provider: node.publicKey });
  record('collateral_unlock', node.provider);
  f.warp(86_400);
  await node.client.collateralWithdraw({ provider: node.publicKey, destination: nodeUbc, amount: 100n * WHOLE });
  record('collateral_withdraw', node.provider);

  const next = f.user(10_000_000_000n, 2);
  await f.program.methods.adminPropose(next.publicKey).accounts({ admin: f.admin }).rpc();
  record('admin_propose');
  await next.program.methods.adminAccept().accounts({ pendingAdmin: next.publicKey }).rpc();
  record('admin_accept', next.provider);

  const g = new EconomyFixture();
  await g.initConfig();
  await g.existingMints();
  record('mints_adopt', g.provider);
  return cu;
}

