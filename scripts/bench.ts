/**
 * `npm run bench`: figures for the program toolchain, printed as tables (not a timed test).
 *  - cold build (a copy of programs/ with an empty target folder: core/alloc from source) vs warm
 *  - .so sizes as SBPF v0 and v3
 *  - compute units of every economy instruction, in LiteSVM, against Anchor's benchmark for the same accounts
 */
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { buildProgram } from '../toolchain/src/build/program-build.ts';
import { REPO_ROOT } from '../toolchain/src/build/workspace.ts';
import { ECONOMY_ACCOUNT_KINDS, anchorReference, measureEconomy, ownUnits } from '../sdk/test/economy-cu.ts';

const programsDir = path.join(REPO_ROOT, 'programs');
const table = (rows: (string | number)[][]): void => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => String(r[i]).length)));
  for (const r of rows) console.log(`| ${r.map((c, i) => String(c).padEnd(widths[i]!)).join(' | ')} |`);
};
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

// Builds
const cold = await mkdtemp(path.join(os.tmpdir(), 'spicetime-bench-'));
await cp(programsDir, path.join(cold, 'programs'), { recursive: true, filter: (src) => !src.includes(`${path.sep}target`) });
let t = performance.now();
const coldBuild = await buildProgram({ cargoDir: path.join(cold, 'programs'), crate: 'economy' });
const coldMs = performance.now() - t;
await rm(cold, { recursive: true, force: true });
t = performance.now();
const warm = await buildProgram({ cargoDir: programsDir, crate: 'economy' });
const warmMs = performance.now() - t;
const v3 = await buildProgram({ cargoDir: programsDir, crate: 'economy', sbpfVersion: 3 });
console.log('\nBuild of the economy program (2 cores)');
table([
  ['build', 'wall time', 'cargo + LTO', 'legalise + opt + llc + link', 'vs cold'],
  ['cold (core/alloc from source)', seconds(coldMs), `${coldBuild.seconds.cargo.toFixed(1)} s`, `${coldBuild.seconds.backend.toFixed(2)} s`, '1.00'],
  ['warm (program crate only)', seconds(warmMs), `${warm.seconds.cargo.toFixed(1)} s`, `${warm.seconds.backend.toFixed(2)} s`, (warmMs / coldMs).toFixed(2)],
]);
console.log('\n.so sizes');
table([
  ['program', 'SBPF', 'bytes', 'text', 'rodata'],
  ['economy', 'v0', warm.link.bytes, warm.link.textBytes, warm.link.rodataBytes],
  ['economy', 'v3', v3.link.bytes, v3.link.textBytes, v3.link.rodataBytes],
]);

// Compute units, against Anchor 0.32.1's benchmark for the same accounts (sdk/test/economy-cu.ts)
const marketplaceSo = (await buildProgram({ cargoDir: programsDir, crate: 'abi-probe-marketplace' })).so;
const runs = await measureEconomy(marketplaceSo);
const budget = JSON.parse(readFileSync(path.join(programsDir, 'economy/compute-budget.json'), 'utf8')) as Record<string, number>;
console.log(
  '\nCompute units of economy instructions (LiteSVM 1.5, committed v0 build). "own" = CU minus token CPIs (1,000 + the token program),\n' +
    'events (sol_log_data) and PDA derivations (1,500 per bump tried); the goal is own <= half of Anchor\'s figure for the same accounts.',
);
table([
  ['instruction', 'CU', 'budget', 'token CPIs', 'events', 'PDA derivation', 'own', 'Anchor 0.32.1', 'own / Anchor'],
  ...Object.entries(runs).map(([name, r]) => {
    const reference = anchorReference(ECONOMY_ACCOUNT_KINDS[name]!);
    return [name, r.units, budget[name]!, r.tokenCpis, r.events, r.derivations, ownUnits(r), reference, (ownUnits(r) / reference).toFixed(2)];
  }),
]);
