/**
 * Which rule a job request broke:
 * `json` (not JSON text, or not UTF-8), `type`, `required`, `unknown-field`, `unknown-version`,
 * `one-of` (an input with both or neither of `prompt` and `messages`), `integer`, `range`,
 * `length` (a text too short or too long), `pattern`, `unicode` (a lone surrogate), `enum`,
 * `address` (not a base58 32-byte address), `too-few`, `too-many`, `duplicate`.
 */
export type JobRequestRule =
  | 'json'
  | 'type'
  | 'required'
  | 'unknown-field'
  | 'unknown-version'
  | 'one-of'
  | 'integer'
  | 'range'
  | 'length'
  | 'pattern'
  | 'unicode'
  | 'enum'
  | 'address'
  | 'too-few'
  | 'too-many'
  | 'duplicate';

/**
 * A job request is not a valid `spicetime.job/v1` document. It names the first field found wrong,
 * in document order, as a path such as `layers[2].scale` (empty for the document itself), and the
 * rule it broke; the message reads `layers[2].scale: must be an integer from 1 to 20000 (got 0)`.
 */
export class JobRequestError extends Error {
  override readonly name = 'JobRequestError';
  readonly code = 'JOB_REQUEST_INVALID';
  constructor(
    /** The path of the offending field, e.g. `sampling.stop[1]`; `''` for the whole document. */
    readonly field: string,
    readonly rule: JobRequestRule,
    detail: string,
  ) {
    super(`${field || '(document)'}: ${detail}`);
  }
}
