import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BN } from '@coral-xyz/anchor';
import { TOKEN_PROGRAM_ID, createTransferCheckedInstruction } from '@solana/spl-token';
import { address } from '@solana/kit';
import { Keypair, Transaction, TransactionInstruction } from '@solana/web3.js';
import { describe, expect, it } from 'vitest';
import { MARKETPLACE_CALLER, PROGRAM_IDS, defaultParams, economyIdl } from '../src/index.ts';
import { buildProgram } from '../../toolchain/src/build/program-build.ts';
import { DECIMALS, EconomyFixture, WHOLE } from './economy-fixture.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BUDGET_FILE = path.join(REPO, 'programs/economy/compute-budget.json');
const MARKETPLACE_ID = Keypair.fromSecretKey(Uint8Array.from(JSON.parse(readFileSync(path.join(REPO, 'programs/keys/marketplace-keypair.json'), 'utf8')) as number[])).publicKey;

/** Compute units the economy program itself consumed, also when another program called it. */
function economyUnits(logs: string[]): number {
  const line = logs.find((l) => l.startsWith(`Program ${PROGRAM_IDS.economy.toBase58()} consumed `));
  if (!line) throw new Error('the economy program did not run');
  return Number(/consumed (\d+) of/.exec(line)![1]);
}

/** Compute units of every economy instruction, in a representative run of each. */
async function measure(marketplaceSo: Buffer): Promise<Record<string, number>> {
  const cu: Record<string, number> = {};
  const f = new EconomyFixture();
  const record = (name: string, provider = f.provider) => (cu[name] = economyUnits(provider.last!.logs));
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
  record('stake_deposit', staker.provider);
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
  f.provider.svm.addProgram(address(MARKETPLACE_ID.toBase58()), marketplaceSo);
  const viaMarketplace = (ix: TransactionInstruction) =>
    f.provider.execute(
      new Transaction().add(
        new TransactionInstruction({
          programId: MARKETPLACE_ID,
          keys: [{ pubkey: ix.programId, isSigner: false, isWritable: false }, ...ix.keys.map((k) => ({ ...k, isSigner: k.pubkey.equals(MARKETPLACE_CALLER) ? false : k.isSigner }))],
          data: ix.data,
        }),
      ),
    );
  const node = f.user(10_000_000_000n, 3);
  const nodeUbc = f.tokenAccount(node.publicKey, ubcMint);
  f.provider.execute(new Transaction().add(createTransferCheckedInstruction(genesis, ubcMint, nodeUbc, f.admin, 1_000n * WHOLE, DECIMALS)));
  await node.client.collateralDeposit({ provider: node.publicKey, source: nodeUbc, amount: 500n * WHOLE });
  record('collateral_deposit', node.provider);
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

describe('economy compute units', () => {
  it('every instruction stays within its committed budget', async () => {
    const budget = JSON.parse(readFileSync(BUDGET_FILE, 'utf8')) as Record<string, number>;
    const marketplaceSo = (await buildProgram({ cargoDir: path.join(REPO, 'programs'), crate: 'abi-probe-marketplace' })).so;
    const measured = await measure(marketplaceSo);
    console.table(Object.fromEntries(Object.entries(measured).map(([n, c]) => [n, { cu: c, budget: budget[n] }])));
    // Every instruction of the program is measured and budgeted
    const names = (economyIdl.instructions as { name: string }[]).map((i) => i.name);
    expect(Object.keys(measured).sort()).toEqual([...names].sort());
    expect(Object.keys(budget).sort()).toEqual([...names].sort());
    for (const [name, cu] of Object.entries(measured)) {
      expect(cu, `${name} used ${cu} CU, budget ${budget[name]}`).toBeLessThanOrEqual(budget[name]!);
    }
  });
});
