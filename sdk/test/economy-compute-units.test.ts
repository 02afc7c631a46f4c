import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { economyIdl } from '../src/index.ts';
import { buildProgram } from '../../toolchain/src/build/program-build.ts';
import { ECONOMY_ACCOUNT_KINDS, type EconomyRun, anchorReference, measureEconomy, ownUnits } from './economy-cu.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BUDGET_FILE = path.join(REPO, 'programs/economy/compute-budget.json');

describe('economy compute units', () => {
  let measured: Record<string, EconomyRun>;
  const names = (economyIdl.instructions as { name: string; accounts: unknown[] }[]).map((i) => i.name);
  const budget = JSON.parse(readFileSync(BUDGET_FILE, 'utf8')) as Record<string, number>;

  beforeAll(async () => {
    const marketplaceSo = (await buildProgram({ cargoDir: path.join(REPO, 'programs'), crate: 'abi-probe-marketplace' })).so;
    measured = await measureEconomy(marketplaceSo);
  }, 120_000);

  it('every instruction is measured and stays within its committed budget', () => {
    console.table(Object.fromEntries(Object.entries(measured).map(([n, r]) => [n, { ...r, own: ownUnits(r), budget: budget[n] }])));
    expect(Object.keys(measured).sort()).toEqual([...names].sort());
    expect(Object.keys(budget).sort()).toEqual([...names].sort());
    for (const [name, r] of Object.entries(measured)) {
      expect(r.units, `${name} used ${r.units} CU, budget ${budget[name]}`).toBeLessThanOrEqual(budget[name]!);
    }
  });

  it("every instruction's own work takes at most half of Anchor 0.32.1's figure for the same accounts", () => {
    // The kinds list every account of the instruction, in order (it cannot drift from the IDL)
    for (const ix of economyIdl.instructions as { name: string; accounts: unknown[] }[]) {
      expect(ECONOMY_ACCOUNT_KINDS[ix.name]?.length, ix.name).toBe(ix.accounts.length);
    }
    for (const [name, r] of Object.entries(measured)) {
      const reference = anchorReference(ECONOMY_ACCOUNT_KINDS[name]!);
      expect(ownUnits(r), `${name}: own ${ownUnits(r)} CU of ${r.units}, Anchor ${reference}`).toBeLessThanOrEqual(reference / 2);
    }
  });
});
