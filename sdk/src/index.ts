/**
 * @spicetime/sdk — program ids, IDLs, typed program clients, PDAs and event decoding.
 * Browser-safe; the in-process LiteSVM chain is in `@spicetime/sdk/litesvm` (Node only).
 */
export { PROGRAM_IDS, economyIdl, economyProgram, marketplaceIdl, marketplaceProgram, type Economy, type Marketplace, type ProgramName } from './programs.ts';
export {
  ECONOMY_SEEDS,
  MARKETPLACE_CALLER,
  MARKETPLACE_SEEDS,
  collateralAddress,
  configAddress,
  economyAddresses,
  marketplacePda,
  positionAddress,
} from './pda.ts';
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
export {
  MarketplaceClient,
  defaultMarketParams,
  jobStatusName,
  sha256,
  type ChallengeAccount,
  type GenomeLayer,
  type JobAccount,
  type JobStatus,
  type LayerAccount,
  type LayerPublication,
  type LayerVersionAccount,
  type MarketAccount,
  type MarketParams,
  type ProviderAccount,
  type ProviderSpec,
  type VerifierAccount,
} from './marketplace.ts';
export { ClusterMismatchError, ed25519Verification, ed25519VerificationOf, receiptMessage, verdictMessage, type JobInstance, type Receipt, type Verdict } from './receipts.ts';
export { decodeEvents, type DecodedEvent } from './events.ts';
export { LOADER_BUFFER_HEADER, LOADER_PROGRAM_ACCOUNT_SIZE, UPGRADEABLE_LOADER_ID, loaderInstructions, programDataAddress } from './loader.ts';
export {
  JOB_REQUEST_LIMITS,
  JOB_REQUEST_VERSION,
  JobRequestError,
  buildJobRequest,
  requestCid,
  canonicalJobRequest,
  jobRequestHash,
  jobRequestSchema,
  parseJobRequest,
  type ChatMessage,
  type ChatRole,
  type JobInput,
  type JobLayer,
  type JobRequest,
  type JobRequestOptions,
  type JobRequestRule,
  type JobSampling,
  type OutputFormat,
} from './job-request/index.ts';
