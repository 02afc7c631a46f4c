import schema from './schema.json' with { type: 'json' };

export { JOB_REQUEST_LIMITS, JOB_REQUEST_VERSION, type ChatMessage, type ChatRole, type JobInput, type JobLayer, type JobRequest, type JobSampling, type OutputFormat } from './document.ts';
export { JobRequestError, type JobRequestRule } from './job-request-error.ts';
export { parseJobRequest } from './parse.ts';
export { buildJobRequest, type JobRequestOptions } from './build.ts';
export { canonicalJobRequest, jobRequestHash } from './canonical.ts';
export { requestCid } from './cid.ts';

/**
 * The JSON Schema (draft 2020-12) of `spicetime.job/v1`, committed as `schema.json`. It refuses
 * what `parseJobRequest` refuses, except one rule a schema cannot say: no layer address twice. Its
 * `solana-address` format (base58 of 32 bytes) must be registered with the validator.
 */
export const jobRequestSchema = schema;
