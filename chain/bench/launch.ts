/** Starts the chain CLI (or the benchmark's floor server) as its own process on ephemeral ports. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
/** The chain CLI to run: this tree's, or `CHAIN_CLI` (e.g. another checkout's, for A/B runs). */
const CLI = process.env.CHAIN_CLI ? path.resolve(process.env.CHAIN_CLI) : path.resolve(HERE, '../src/cli.ts');

/** A running chain process. */
export interface LaunchedChain {
  rpcUrl: string;
  wsUrl: string;
  pid: number;
  /** Stops the process (SIGTERM) and waits for it to exit. */
  kill: () => Promise<void>;
}

/** Spawns `node nodeArgs --import tsx script args` and waits for its `ready URL...` line. */
async function spawnReady(script: string, args: string[], nodeArgs: string[]): Promise<{ urls: string[]; chain: Omit<LaunchedChain, 'rpcUrl' | 'wsUrl'> }> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const urls = await new Promise<string[]>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready ([^\n]+)\n/.exec(out);
      if (m) resolve(m[1]!.trim().split(' '));
    });
    child.once('exit', (c) => reject(new Error(`${path.basename(script)} exited ${c}`)));
  });
  return { urls, chain: { pid: child.pid!, kill: () => new Promise((r) => (child.once('exit', () => r()), child.kill('SIGTERM'))) } };
}

/** Runs the chain with its ledger and wallet in `dir`; `nodeArgs` go to Node (e.g. `--cpu-prof`). */
export async function launchChain(dir: string, nodeArgs: string[] = []): Promise<LaunchedChain> {
  const args = ['--data-dir', path.join(dir, 'ledger'), '--wallet', path.join(dir, 'id.json'), '--rpc-port', '0', '--ws-port', '0', '--quiet'];
  const { urls, chain } = await spawnReady(CLI, args, nodeArgs);
  return { rpcUrl: urls[0]!, wsUrl: urls[1]!, ...chain };
}

/** Runs the floor server (`floor-server.ts`) with its wallet in `dir`: a setup chain and the floor's URL. */
export async function launchFloor(dir: string): Promise<LaunchedChain & { floorUrl: string }> {
  const { urls, chain } = await spawnReady(path.join(HERE, 'floor-server.ts'), [dir], []);
  return { rpcUrl: urls[0]!, wsUrl: urls[1]!, floorUrl: urls[2]!, ...chain };
}
