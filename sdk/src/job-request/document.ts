/**
 * The job request document, `spicetime.job/v1`: what a client asks a provider to run. Its
 * canonical bytes (RFC 8785) are what the chain's `request_hash` commits to, so every field that
 * changes the output is explicit and there is one way to write each value. `schema.json` beside
 * this file says the same in JSON Schema (draft 2020-12).
 */

/** The version string every v1 document carries in `version`. */
export const JOB_REQUEST_VERSION = 'spicetime.job/v1';

/**
 * The bounds a v1 document must keep, the same numbers as `schema.json`. Ranges are inclusive
 * except where `exclusiveMin` says so; lengths of texts count Unicode code points.
 */
export const JOB_REQUEST_LIMITS = {
  /** 1–4 layers, as a job on chain holds. */
  layers: { min: 1, max: 4 },
  /** A layer's version, a `u32` on chain, from 1. */
  layerVersion: { min: 1, max: 4_294_967_295 },
  /** A layer's scale in basis points (10,000 = 1.0), as on chain. */
  scale: { min: 1, max: 20_000 },
  /** The base model id: ASCII, so at most 32 bytes as the chain's `Text<32>` holds. */
  baseModel: { pattern: /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,31}$/ },
  /** Chat messages. */
  messages: { min: 1, max: 256 },
  /** A `u32` seed. */
  seed: { min: 0, max: 4_294_967_295 },
  /** 0 samples greedily. */
  temperature: { min: 0, max: 2 },
  /** 0 turns top-k off. */
  topK: { min: 0, max: 1_000 },
  /** 1 turns top-p off. */
  topP: { exclusiveMin: 0, max: 1 },
  /** 1 turns the penalty off. */
  repeatPenalty: { exclusiveMin: 0, max: 2 },
  /** Tokens to generate at most. */
  maxTokens: { min: 1, max: 32_768 },
  /** At most 4 distinct, non-empty stop strings of at most 64 code points each. */
  stop: { max: 4, maxLength: 64 },
} as const;

/** One layer applied over the base model, in the order the request lists them. */
export interface JobLayer {
  /** The layer's account address (base58, 32 bytes). */
  layer: string;
  /** The layer version to run (1 ≤ version ≤ 2³²−1). */
  version: number;
  /** The scale in basis points, 1–20,000 (10,000 = 1.0). */
  scale: number;
}

/** Who says a chat message. */
export type ChatRole = 'system' | 'user' | 'assistant';

/** One chat message. */
export interface ChatMessage {
  role: ChatRole;
  /** The text, non-empty. */
  content: string;
}

/** What the model reads: a plain prompt or 1–256 chat messages; exactly one of the two. */
export type JobInput = { prompt: string } | { messages: ChatMessage[] };

/** How tokens are drawn. Every field is explicit so the request determines the run. */
export interface JobSampling {
  /** Integer seed, 0 to 2³²−1. */
  seed: number;
  /** 0 to 2; 0 is greedy. */
  temperature: number;
  /** Integer 0 to 1,000; 0 is off. */
  topK: number;
  /** Greater than 0, at most 1; 1 is off. */
  topP: number;
  /** Greater than 0, at most 2; 1 is off. */
  repeatPenalty: number;
  /** Integer 1 to 32,768. */
  maxTokens: number;
  /** 0–4 distinct, non-empty stop strings of at most 64 code points each. */
  stop: string[];
}

/** The form of the output: free text or a JSON value. */
export type OutputFormat = 'text' | 'json';

/** A parsed, valid `spicetime.job/v1` document. */
export interface JobRequest {
  version: typeof JOB_REQUEST_VERSION;
  /** The base model all layers apply to: 1–32 characters of `A–Z a–z 0–9 . _ : / -`, starting with a letter or digit. */
  baseModel: string;
  /** 1–4 layers, no address twice, applied in this order. */
  layers: JobLayer[];
  input: JobInput;
  sampling: JobSampling;
  output: { format: OutputFormat };
}
