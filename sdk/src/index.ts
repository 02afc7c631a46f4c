/**
 * @spicetime/sdk — program ids, IDLs, typed program clients, PDAs and event decoding.
 * Browser-safe; the in-process LiteSVM chain is in `@spicetime/sdk/litesvm` (Node only).
 */
export { PROGRAM_IDS, economyIdl, economyProgram, type Economy, type ProgramName } from './programs.ts';
export { ECONOMY_SEEDS, configAddress } from './pda.ts';
export { decodeEvents, type DecodedEvent } from './events.ts';
