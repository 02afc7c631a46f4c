/**
 * The repository's test command (`npm test`): native `cargo test` of the program crates, the
 * verifiable-build check, the strict typecheck, then every workspace's vitest suite. Ends with one plain line,
 * `N passed, N failed`, and exits non-zero when anything failed.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { buildAll, checkArtifacts } from '../build/build-all.ts';
import { cargoEnv } from '../build/program-build.ts';
import { locateToolchain } from '../build/toolchain-paths.ts';
import { REPO_ROOT, readWorkspace } from '../build/workspace.ts';
import { ArtifactDriftError } from '../errors.ts';

interface Tally {
  passed: number;
  failed: number;
}
const total: Tally = { passed: 0, failed: 0 };
const add = (stage: string, t: Tally): void => {
  total.passed += t.passed;
  total.failed += t.failed;
  console.log(`== ${stage}: ${t.passed} passed, ${t.failed} failed`);
};

/** Runs a command with its output shown live, returning what it printed. */
function stream(cmd: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const tee = (target: NodeJS.WriteStream) => (d: Buffer) => {
      output += d.toString();
      target.write(d);
    };
    child.stdout.on('data', tee(process.stdout));
    child.stderr.on('data', tee(process.stderr));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

async function cargoTests(): Promise<Tally> {
  const tools = await locateToolchain();
  const { code, output } = await stream(tools.cargo, ['test', '--locked', '--workspace', '--all-features'], {
    cwd: path.join(REPO_ROOT, 'programs'),
    env: cargoEnv(tools),
  });
  const tally = { passed: 0, failed: 0 };
  for (const m of output.matchAll(/test result: \w+\. (\d+) passed; (\d+) failed/g)) {
    tally.passed += Number(m[1]);
    tally.failed += Number(m[2]);
  }
  if (code !== 0 && tally.failed === 0) tally.failed = 1; // it did not even compile
  return tally;
}

async function verifiableBuild(): Promise<Tally> {
  const ws = readWorkspace();
  try {
    const built = await buildAll({ workspace: ws });
    const files = await checkArtifacts(ws, built);
    console.log(`verifiable build: ${files.join(', ')} match the source byte for byte`);
    return { passed: files.length, failed: 0 };
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    const drifted = e instanceof ArtifactDriftError ? e.files.length : 1;
    return { passed: 0, failed: drifted };
  }
}

async function typecheck(): Promise<Tally> {
  const { code } = await stream(path.join(REPO_ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: REPO_ROOT });
  return code === 0 ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 };
}

async function vitest(): Promise<Tally> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'spicetime-vitest-'));
  const report = path.join(dir, 'report.json');
  try {
    const bin = path.join(REPO_ROOT, 'node_modules/.bin/vitest');
    const { code } = await stream(bin, ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`], { cwd: REPO_ROOT });
    const json = JSON.parse(await readFile(report, 'utf8').catch(() => '{}')) as {
      numPassedTests?: number;
      numFailedTests?: number;
      testResults?: { status: string; assertionResults: unknown[] }[];
    };
    // A test file that fails before running any test (an import error) counts as one failure.
    const brokenFiles = (json.testResults ?? []).filter((f) => f.status === 'failed' && f.assertionResults.length === 0).length;
    const failed = (json.numFailedTests ?? 0) + brokenFiles;
    return { passed: json.numPassedTests ?? 0, failed: code !== 0 && failed === 0 ? 1 : failed };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

add('cargo test (programs, native)', await cargoTests());
add('verifiable build', await verifiableBuild());
add('typecheck (tsc, strict)', await typecheck());
add('vitest (toolchain, sdk, chain, tests)', await vitest());
console.log(`${total.passed} passed, ${total.failed} failed`);
process.exit(total.failed ? 1 : 0);
