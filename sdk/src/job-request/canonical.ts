import { sha256 } from '@noble/hashes/sha256';
import canonicalize from 'canonicalize';
import type { JobRequest } from './document.ts';
import { parseJobRequest } from './parse.ts';

/**
 * The canonical bytes of a job request: the UTF-8 of its RFC 8785 (JSON Canonicalization Scheme)
 * form, by the `canonicalize` package (keys sorted by UTF-16 code units, numbers as ECMAScript
 * writes them, no whitespace). These are the bytes to store and hash. The document is checked
 * first, so invalid input never gets a hash.
 *
 * @throws {JobRequestError} when `doc` is not a valid request.
 */
export function canonicalJobRequest(doc: JobRequest): Uint8Array {
  return new TextEncoder().encode(canonicalize(parseJobRequest(doc)));
}

/**
 * `request_hash = sha256(canonical bytes)`, 32 bytes: what a job on chain commits to.
 *
 * @throws {JobRequestError} when `doc` is not a valid request.
 */
export function jobRequestHash(doc: JobRequest): Uint8Array {
  return sha256(canonicalJobRequest(doc));
}
