/** In-process chain for tests and tools (Node only): LiteSVM 1.5 behind an Anchor `Provider`. */
export { LiteSvmProvider, LiteSvmTransactionError, walletOf, type TransactionOutcome } from './provider.ts';
export { deployUpgradeable, UPGRADEABLE_LOADER_ID, type DeployedProgram } from './deploy.ts';
export { localChain, programElf, programKeypair } from './local-programs.ts';
