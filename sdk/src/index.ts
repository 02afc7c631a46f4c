/**
 * @spicetime/sdk — program ids, IDLs, typed program clients, PDAs and event decoding.
 * Browser-safe; the in-process LiteSVM chain is in `@spicetime/sdk/litesvm` (Node only).
 */
export { PROGRAM_IDS, economyIdl, economyProgram, type Economy, type ProgramName } from './programs.ts';
export { ECONOMY_SEEDS, MARKETPLACE_CALLER, collateralAddress, configAddress, economyAddresses, positionAddress } from './pda.ts';
export {
  EconomyClient,
  TIERS,
  defaultParams,
  type CollateralAccount,
  type ConfigParams,
  type EconomyConfig,
  type StakePosition,
  type TierName,
} from './economy.ts';
export { decodeEvents, type DecodedEvent } from './events.ts';
