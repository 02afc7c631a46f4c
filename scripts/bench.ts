/**
 * `npm run bench`: figures for the program toolchain, printed as tables (not a timed test).
 *  - cold build (a copy of programs/ with an empty target folder: core/alloc from source) vs warm
 *  - .so sizes as SBPF v0 and v3
 *  - compute units of every economy instruction, in LiteSVM, through the Anchor client
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Keypair } from '@solana/web3.js';
import { defaultParams, economyProgram } from '@spicetime/sdk';
import { localChain } from '@spicetime/sdk/litesvm';
import { buildProgram } from '../toolchain/src/build/program-build.ts';
import { REPO_ROOT } from '../toolchain/src/build/workspace.ts';

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

// Compute units
const provider = localChain(['economy']);
const economy = economyProgram(provider);
const cu: [string, bigint][] = [];
await economy.methods.configInit(Keypair.generate().publicKey, defaultParams(9)).accounts({ admin: provider.publicKey }).rpc();
cu.push(['config_init', provider.last!.computeUnits]);
await economy.methods.configUpdate({ ...defaultParams(9), burnBps: 25 }).accounts({ admin: provider.publicKey }).rpc();
cu.push(['config_update', provider.last!.computeUnits]);
console.log('\nCompute units of economy instructions (LiteSVM 1.5, committed v0 build; every instruction against its budget: sdk/test/economy-compute-units.test.ts)');
table([['instruction', 'CU'], ...cu.map(([n, c]) => [n, Number(c)])]);
