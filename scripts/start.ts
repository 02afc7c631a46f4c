/**
 * `npm start`: starts what exists of SpiceTime on embedded defaults. Today that is the local
 * chain (chain/): Solana JSON-RPC on 127.0.0.1:8899 and PubSub on 127.0.0.1:8900 over LiteSVM,
 * with every program of programs/ deployed through the BPF upgradeable loader at its Anchor.toml
 * id and the $UBC / $COMPUTE mints at genesis, persisted in chain/.data. It prints the URLs,
 * program ids, mints and wallet, and runs until Ctrl-C. Flags go to the chain's CLI
 * (`npm start -- --reset`, `--rpc-port`, `--ws-port`, `--data-dir`, `--wallet`, `--slot-ms`;
 * see chain/src/cli.ts). No Rust toolchain is needed. The indexer, node and app join here as
 * they are built.
 */
import { main } from '../chain/src/cli.ts';

try {
  await main(process.argv.slice(2));
  console.log('ready: point any Solana client at the RPC URL above (Ctrl-C stops the chain; state is kept)');
} catch (e) {
  console.error(`${(e as Error).name}: ${(e as Error).message}`);
  process.exit(1);
}
