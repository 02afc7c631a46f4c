/**
 * `npm start`: starts what exists of SpiceTime on embedded defaults. Today that is the on-chain
 * programs: each committed build is deployed through the BPF upgradeable loader into an
 * in-process LiteSVM chain at its Anchor.toml id, and driven once through the Anchor client.
 * No Rust toolchain is needed. The JSON-RPC local chain, indexer, node and app join here as they
 * are built.
 */
import { Keypair } from '@solana/web3.js';
import { LiteSVM } from 'litesvm';
import { PROGRAM_IDS, configAddress, decodeEvents, economyProgram } from '@spicetime/sdk';
import { LiteSvmProvider, deployUpgradeable, programElf, programKeypair } from '@spicetime/sdk/litesvm';

const provider = LiteSvmProvider.withFundedWallet(new LiteSVM());
console.log(`wallet (upgrade authority): ${provider.publicKey.toBase58()}`);
for (const name of Object.keys(PROGRAM_IDS) as (keyof typeof PROGRAM_IDS)[]) {
  const elf = programElf(name);
  const deployed = deployUpgradeable(provider, programKeypair(name), elf);
  console.log(`${name}: ${deployed.programId.toBase58()} deployed (${elf.length} bytes, ${deployed.transactions} transactions)`);
}

const economy = economyProgram(provider);
const treasury = Keypair.generate().publicKey;
await economy.methods.configInit(treasury, 50, 100).accounts({ admin: provider.publicKey }).rpc();
const [config] = configAddress();
const state = await economy.account.config.fetch(config);
console.log(`economy config ${config.toBase58()}: burn ${state.burnBps} bps, treasury fee ${state.treasuryFeeBps} bps (${provider.last!.computeUnits} CU)`);
for (const event of decodeEvents(economy, provider.last!.logs)) console.log(`event ${event.name}`);
console.log('ready: the programs run in an in-process SVM; the RPC local chain, indexer, node and app are not built yet');
