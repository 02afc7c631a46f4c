/**
 * `npm start`: starts what exists of SpiceTime on embedded defaults. Today that is the local
 * chain (chain/): Solana JSON-RPC on 127.0.0.1:8899 and PubSub on 127.0.0.1:8900 over LiteSVM,
 * with every program of programs/ deployed through the BPF upgradeable loader at its Anchor.toml
 * id and the $UBC / $COMPUTE mints at genesis, persisted in chain/.data — then the economy and the
 * market configured on it (scripts/market-setup.ts). It prints the URLs, program ids, mints and
 * wallet, and runs until Ctrl-C. Flags go to the chain's CLI
 * (`npm start -- --reset`, `--rpc-port`, `--ws-port`, `--data-dir`, `--wallet`, `--slot-ms`;
 * see chain/src/cli.ts). No Rust toolchain is needed. The indexer, node and app join here as
 * they are built.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Connection } from '@solana/web3.js';
import { main, parseArgs } from '../chain/src/cli.ts';
import { readKeypair } from '../chain/src/wallet.ts';
import { configureLocalMarketplace } from './market-setup.ts';

/** The genesis mint of `symbol`, from the genesis config's keypair files. */
function genesisMint(genesisFile: string, symbol: string) {
  const genesis = JSON.parse(readFileSync(genesisFile, 'utf8')) as { mints: { symbol: string; keypair: string }[] };
  const mint = genesis.mints.find((m) => m.symbol === symbol);
  if (!mint) throw new Error(`${genesisFile} has no ${symbol} mint`);
  return readKeypair(path.resolve(path.dirname(genesisFile), mint.keypair)).publicKey;
}

try {
  const argv = process.argv.slice(2);
  const options = parseArgs(argv);
  await main(argv);
  const genesisFile = options.genesisConfig ?? path.join(import.meta.dirname, '../chain/genesis.json');
  const lines = await configureLocalMarketplace({
    connection: new Connection(`http://${options.host}:${options.rpcPort}`, 'confirmed'),
    wallet: readKeypair(options.walletPath),
    ubcMint: genesisMint(genesisFile, 'UBC'),
    computeMint: genesisMint(genesisFile, 'COMPUTE'),
  });
  for (const line of lines) console.log(`  ${line}`);
  console.log('ready: point any Solana client at the RPC URL above (Ctrl-C stops the chain; state is kept)');
} catch (e) {
  console.error(`${(e as Error).name}: ${(e as Error).message}`);
  process.exit(1);
}
