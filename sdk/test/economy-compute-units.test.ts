import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BN } from '@coral-xyz/anchor';
import { TOKEN_PROGRAM_ID, createTransferCheckedInstruction } from '@solana/spl-token';
import { Transaction } from '@solana/web3.js';
import { describe, expect, it } from 'vitest';
import { defaultParams, economyIdl } from '../src/index.ts';
import { DECIMALS, EconomyFixture, WHOLE } from './economy-fixture.ts';

const BUDGET_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../programs/economy/compute-budget.json');

/** Compute units of every economy instruction, in a representative run of each. */
async function measure(): Promise<Record<string, number>> {
  const cu: Record<string, number> = {};
  const f = new EconomyFixture();
  const record = (name: string, provider = f.provider) => (cu[name] = Number(provider.last!.computeUnits));
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
    const measured = await measure();
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
