import type { PublicKey } from '@solana/web3.js';
import { JOB_REQUEST_VERSION, type JobInput, type JobLayer, type JobRequest, type JobSampling, type OutputFormat } from './document.ts';
import { parseJobRequest } from './parse.ts';

/** What `buildJobRequest` takes: the document's fields, with layer addresses as keys or text and a few defaults. */
export interface JobRequestOptions {
  baseModel: string;
  /** 1–4 layers in the order to apply them; `layer` as a `PublicKey` or base58. */
  layers: Array<Omit<JobLayer, 'layer'> & { layer: PublicKey | string }>;
  /** A prompt (a string is taken as `{ prompt }`) or chat messages. */
  input: JobInput | string;
  /** Every sampling value but `stop`, which defaults to none (`[]`). */
  sampling: Omit<JobSampling, 'stop'> & { stop?: string[] };
  /** The output format; defaults to `"text"`. */
  output?: { format?: OutputFormat };
}

/**
 * Builds a complete `spicetime.job/v1` document: fills `version`, `sampling.stop` (`[]`) and
 * `output.format` (`"text"`), then checks it as `parseJobRequest` does. The result always holds
 * every field, so its canonical bytes are those of the same document parsed back.
 *
 * @throws {JobRequestError} naming the first bad field and the rule it broke.
 */
export function buildJobRequest(opts: JobRequestOptions): JobRequest {
  return parseJobRequest({
    version: JOB_REQUEST_VERSION,
    baseModel: opts.baseModel,
    layers: Array.isArray(opts.layers) ? opts.layers.map((l) => ({ ...l, layer: typeof l.layer === 'string' ? l.layer : l.layer?.toBase58() })) : opts.layers,
    input: typeof opts.input === 'string' ? { prompt: opts.input } : opts.input,
    sampling: { ...opts.sampling, stop: opts.sampling?.stop ?? [] },
    output: { ...opts.output, format: opts.output?.format ?? 'text' },
  });
}
