/**
 * `spicetime-chain` — the local chain's command line:
 *
 *   npx tsx chain/src/cli.ts [--reset] [--data-dir DIR] [--host H] [--rpc-port N] [--ws-port N]
 *                            [--slot-ms N] [--wallet FILE] [--genesis FILE] [--quiet]
 *
 * Starts the chain (genesis on first run, restart from DIR otherwise), prints the endpoints,
 * program ids, mints and wallet, and runs until SIGINT/SIGTERM (which flush and snapshot).
 */
import path from 'node:path';
import { ChainConfigError } from './errors.ts';
import { REPO_ROOT } from './genesis.ts';
import { listenChain } from './listen.ts';
import { createChainServer, type ChainServer } from './server.ts';
import { defaultWalletPath } from './wallet.ts';

/** Parsed command-line options. */
export interface CliOptions {
  reset: boolean;
  dataDir: string;
  host: string;
  rpcPort: number;
  wsPort: number;
  slotMs: number;
  walletPath: string;
  genesisConfig: string | undefined;
  quiet: boolean;
}

/** Parses argv (without node and script); throws {@link ChainConfigError} on a bad flag. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  const o: CliOptions = {
    reset: false,
    dataDir: env.SPICETIME_CHAIN_DIR ?? path.join(REPO_ROOT, 'chain', '.data'),
    host: env.SPICETIME_CHAIN_HOST ?? '127.0.0.1',
    rpcPort: Number(env.SPICETIME_RPC_PORT ?? 8899),
    wsPort: Number(env.SPICETIME_WS_PORT ?? Number(env.SPICETIME_RPC_PORT ?? 8899) + 1),
    slotMs: 400,
    walletPath: env.SPICETIME_WALLET ?? defaultWalletPath(),
    genesisConfig: undefined,
    quiet: false,
  };
  const num = (flag: string, v: string | undefined): number => {
    const n = Number(v);
    if (v === undefined || !Number.isInteger(n) || n < 0 || n > 65535 * 1000) throw new ChainConfigError(`${flag} needs a non-negative integer`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new ChainConfigError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--reset': o.reset = true; break;
      case '--quiet': o.quiet = true; break;
      case '--data-dir': o.dataDir = path.resolve(value()); break;
      case '--host': o.host = value(); break;
      case '--rpc-port': o.rpcPort = num(flag, value()); break;
      case '--ws-port': o.wsPort = num(flag, value()); break;
      case '--slot-ms': o.slotMs = num(flag, value()); break;
      case '--wallet': o.walletPath = path.resolve(value()); break;
      case '--genesis': o.genesisConfig = path.resolve(value()); break;
      default: throw new ChainConfigError(`unknown flag ${flag} (see the header of chain/src/cli.ts)`);
    }
  }
  if (o.slotMs < 10) throw new ChainConfigError('--slot-ms must be at least 10');
  return o;
}

/** The lines `npm start` prints about a running chain. */
export function describe(server: ChainServer, rpcUrl: string, wsUrl: string, o: Pick<CliOptions, 'dataDir' | 'walletPath'>): string[] {
  const g = server.chain.genesis;
  return [
    `local chain ${server.fresh ? 'created (genesis)' : 'restarted'} in ${server.bootMs.toFixed(0)} ms — data ${o.dataDir}`,
    `  RPC        ${rpcUrl}`,
    `  WebSocket  ${wsUrl}`,
    `  wallet     ${g.wallet} (${o.walletPath}${server.walletCreated ? ', created' : ''}; upgrade authority)`,
    ...Object.entries(g.programs).map(([name, id]) => `  program    ${name.padEnd(10)} ${id}`),
    ...Object.entries(g.mints).map(([sym, m]) => `  mint       $${sym.padEnd(9)} ${m.address} (Token-2022, ${m.decimals} decimals)`),
    `  slot       ${server.chain.latest.slot}, genesis hash ${server.chain.genesisHash}`,
  ];
}

/** Runs the chain until a signal; returns a function that stops it. */
export async function main(argv: string[]): Promise<() => Promise<void>> {
  const o = parseArgs(argv);
  const server = await createChainServer({ dataDir: o.dataDir, reset: o.reset, walletPath: o.walletPath, genesisConfig: o.genesisConfig, slotMs: o.slotMs });
  const listening = await listenChain(server, { host: o.host, rpcPort: o.rpcPort, wsPort: o.wsPort });
  if (!o.quiet) for (const line of describe(server, listening.rpcUrl, listening.wsUrl, o)) console.log(line);
  else console.log(`ready ${listening.rpcUrl} ${listening.wsUrl}`);
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => (stopping ??= listening.close());
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      void stop().then(() => process.exit(0));
    });
  }
  return stop;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main(process.argv.slice(2)).catch((e: Error) => {
    console.error(`${e.name}: ${e.message}`);
    process.exit(1);
  });
}
