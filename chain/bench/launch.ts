/** Starts the chain CLI as its own process on ephemeral ports, for the benchmarks. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The chain CLI to run: this tree's, or `CHAIN_CLI` (e.g. another checkout's, for A/B runs). */
const CLI = process.env.CHAIN_CLI ? path.resolve(process.env.CHAIN_CLI) : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../src/cli.ts');

/** A running chain process. */
export interface LaunchedChain {
  rpcUrl: string;
  wsUrl: string;
  pid: number;
  /** Stops the process (SIGTERM) and waits for it to exit. */
  kill: () => Promise<void>;
}

/** Runs the chain with its ledger and wallet in `dir`; `nodeArgs` go to Node (e.g. `--cpu-prof`). */
export async function launchChain(dir: string, nodeArgs: string[] = []): Promise<LaunchedChain> {
  const child = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', CLI, '--data-dir', path.join(dir, 'ledger'), '--wallet', path.join(dir, 'id.json'), '--rpc-port', '0', '--ws-port', '0', '--quiet'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const [rpcUrl, wsUrl] = await new Promise<[string, string]>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready (\S+) (\S+)/.exec(out);
      if (m) resolve([m[1]!, m[2]!]);
    });
    child.once('exit', (c) => reject(new Error(`chain exited ${c}`)));
  });
  return { rpcUrl, wsUrl, pid: child.pid!, kill: () => new Promise((r) => (child.once('exit', () => r()), child.kill('SIGTERM'))) };
}
