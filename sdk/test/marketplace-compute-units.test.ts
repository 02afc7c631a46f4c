import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { marketplaceIdl } from '../src/index.ts';
import { breakdown, measureComputeUnits } from './marketplace-property-world.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BUDGET_FILE = path.join(REPO, 'programs/marketplace/compute-budget.json');
/** The goal for a settlement with all its transfers. */
const SETTLE_GOAL = 30_000;

/**
 * Compute units of every marketplace instruction (the program's own "consumed" line at invoke
 * depth 1, its CPIs into the economy and token programs included), in a representative run of
 * each in both mint modes, worst cases where they differ (see marketplace-property-world.ts).
 * Fails when an instruction exceeds its budget in programs/marketplace/compute-budget.json or is
 * missing there.
 */
describe('marketplace compute units', () => {
  it('every instruction stays within its committed budget', async () => {
    const budget = JSON.parse(readFileSync(BUDGET_FILE, 'utf8')) as Record<string, number>;
    const existing = await measureComputeUnits('existing mints');
    const program = await measureComputeUnits('program mints');
    const names = (marketplaceIdl as unknown as { instructions: { name: string }[] }).instructions.map((i) => i.name);
    console.table(Object.fromEntries(names.map((n) => [n, { 'existing mints': existing.units[n], 'program mints': program.units[n], budget: budget[n] }])));
    for (const [mode, m] of [['existing mints', existing], ['program mints', program]] as const) {
      console.log(`job_settle, worst case (${mode}): ${m.units.job_settle} CU; parts ${JSON.stringify(Object.fromEntries(Object.entries(m.settleParts).map(([k, v]) => [k, v.toString()])))}`);
      console.table(breakdown(m.settle));
      console.table(m.settleVariants);
    }
    // Every instruction of the program is measured and budgeted
    expect(Object.keys(existing.units).sort()).toEqual([...names].sort());
    expect(Object.keys(program.units).sort()).toEqual([...names].sort());
    expect(Object.keys(budget).sort()).toEqual([...names].sort());
    for (const m of [existing, program]) {
      for (const [name, cu] of Object.entries(m.units)) {
        expect(cu, `${name} used ${cu} CU, budget ${budget[name]}`).toBeLessThanOrEqual(budget[name]!);
      }
    }
    // The goal for a settlement with every transfer (every part non-zero).
    const worst = Math.max(existing.units.job_settle!, program.units.job_settle!);
    expect(worst, `job_settle takes ${worst} CU`).toBeLessThanOrEqual(SETTLE_GOAL);
  });
});
