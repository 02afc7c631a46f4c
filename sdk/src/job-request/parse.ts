import { PublicKey } from '@solana/web3.js';
import {
  JOB_REQUEST_LIMITS as L,
  JOB_REQUEST_VERSION,
  type ChatMessage,
  type ChatRole,
  type JobInput,
  type JobLayer,
  type JobRequest,
  type JobSampling,
  type OutputFormat,
} from './document.ts';
import { JobRequestError, type JobRequestRule } from './job-request-error.ts';

type Fields = Record<string, unknown>;

const ROLES: readonly ChatRole[] = ['system', 'user', 'assistant'];
const FORMATS: readonly OutputFormat[] = ['text', 'json'];

const fail = (field: string, rule: JobRequestRule, detail: string): never => {
  throw new JobRequestError(field, rule, detail);
};

const at = (path: string, key: string): string => (path ? `${path}.${key}` : key);

/** How a value shows in a message: numbers as written, texts quoted and cut, others by kind. */
function shown(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (v === null) return 'null';
  return Array.isArray(v) ? 'an array' : `a ${typeof v}`;
}

/** An object with exactly `keys` (properties whose value is `undefined` count as absent, as in JSON). */
function record(v: unknown, path: string, keys: readonly string[]): Fields {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'type', `must be an object (got ${shown(v)})`);
  const o = v as Fields;
  for (const k of keys) if (o[k] === undefined) fail(at(path, k), 'required', 'is required');
  for (const k of Object.keys(o)) if (o[k] !== undefined && !keys.includes(k)) fail(at(path, k), 'unknown-field', 'is not a field of this object');
  return o;
}

function list(v: unknown, path: string, min: number, max: number): unknown[] {
  if (!Array.isArray(v)) return fail(path, 'type', `must be an array (got ${shown(v)})`);
  if (v.length < min) fail(path, 'too-few', `must hold at least ${min} item${min === 1 ? '' : 's'} (got ${v.length})`);
  if (v.length > max) fail(path, 'too-many', `must hold at most ${max} items (got ${v.length})`);
  return v;
}

function number(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'type', `must be a finite number (got ${shown(v)})`);
  return v as number;
}

function integer(v: unknown, path: string, { min, max }: { min: number; max: number }): number {
  const n = number(v, path);
  const rule = `must be an integer from ${min} to ${max} (got ${n})`;
  if (!Number.isInteger(n)) fail(path, 'integer', rule);
  if (n < min || n > max) fail(path, 'range', rule);
  return n;
}

function real(v: unknown, path: string, { exclusiveMin, min, max }: { exclusiveMin?: number; min?: number; max: number }): number {
  const n = number(v, path);
  const low = exclusiveMin !== undefined ? `greater than ${exclusiveMin}` : `at least ${min}`;
  if ((exclusiveMin !== undefined && n <= exclusiveMin) || (min !== undefined && n < min) || n > max) {
    fail(path, 'range', `must be ${low} and at most ${max} (got ${n})`);
  }
  return n;
}

/** A well-formed string (no lone surrogate, which has no UTF-8) of `min`–`max` code points. */
function text(v: unknown, path: string, min: number, max = Infinity): string {
  if (typeof v !== 'string') return fail(path, 'type', `must be a string (got ${shown(v)})`);
  if (/\p{Surrogate}/u.test(v)) fail(path, 'unicode', 'must not hold a lone surrogate (it has no UTF-8 form)');
  const length = [...v].length;
  if (length < min) fail(path, 'length', min === 1 ? 'must not be empty' : `must be at least ${min} characters`);
  if (length > max) fail(path, 'length', `must be at most ${max} characters (got ${length})`);
  return v;
}

function oneOf<T extends string>(v: unknown, path: string, allowed: readonly T[]): T {
  if (!allowed.includes(v as T)) fail(path, 'enum', `must be one of ${allowed.map((a) => `"${a}"`).join(', ')} (got ${shown(v)})`);
  return v as T;
}

/** A layer account address: base58 of exactly 32 bytes, written the one way base58 writes them. */
function address(v: unknown, path: string): string {
  const s = text(v, path, 1);
  let canonical: string | undefined;
  try {
    canonical = new PublicKey(s).toBase58();
  } catch {
    // not base58, or not 32 bytes
  }
  if (canonical !== s) fail(path, 'address', `must be a base58 account address of 32 bytes (got ${shown(s)})`);
  return s;
}

function layers(v: unknown, path: string): JobLayer[] {
  const seen = new Set<string>();
  return list(v, path, L.layers.min, L.layers.max).map((item, i) => {
    const p = `${path}[${i}]`;
    const o = record(item, p, ['layer', 'version', 'scale']);
    const layer = address(o.layer, `${p}.layer`);
    if (seen.has(layer)) fail(`${p}.layer`, 'duplicate', `must not name a layer twice (${layer} is already in ${path})`);
    seen.add(layer);
    return { layer, version: integer(o.version, `${p}.version`, L.layerVersion), scale: integer(o.scale, `${p}.scale`, L.scale) };
  });
}

function input(v: unknown, path: string): JobInput {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail(path, 'type', `must be an object (got ${shown(v)})`);
  const has = (k: string) => (v as Fields)[k] !== undefined;
  if (has('prompt') === has('messages')) fail(path, 'one-of', 'must hold exactly one of prompt and messages');
  if (has('prompt')) return { prompt: text(record(v, path, ['prompt']).prompt, at(path, 'prompt'), 1) };
  const p = at(path, 'messages');
  const messages = list(record(v, path, ['messages']).messages, p, L.messages.min, L.messages.max).map((m, i): ChatMessage => {
    const o = record(m, `${p}[${i}]`, ['role', 'content']);
    return { role: oneOf(o.role, `${p}[${i}].role`, ROLES), content: text(o.content, `${p}[${i}].content`, 1) };
  });
  return { messages };
}

function sampling(v: unknown, path: string): JobSampling {
  const o = record(v, path, ['seed', 'temperature', 'topK', 'topP', 'repeatPenalty', 'maxTokens', 'stop']);
  const p = (k: string) => at(path, k);
  return {
    seed: integer(o.seed, p('seed'), L.seed),
    temperature: real(o.temperature, p('temperature'), L.temperature),
    topK: integer(o.topK, p('topK'), L.topK),
    topP: real(o.topP, p('topP'), L.topP),
    repeatPenalty: real(o.repeatPenalty, p('repeatPenalty'), L.repeatPenalty),
    maxTokens: integer(o.maxTokens, p('maxTokens'), L.maxTokens),
    stop: stops(o.stop, p('stop')),
  };
}

function stops(v: unknown, path: string): string[] {
  const seen = new Set<string>();
  return list(v, path, 0, L.stop.max).map((s, i) => {
    const t = text(s, `${path}[${i}]`, 1, L.stop.maxLength);
    if (seen.has(t)) fail(`${path}[${i}]`, 'duplicate', `must not repeat a stop string (got ${shown(t)} twice)`);
    seen.add(t);
    return t;
  });
}

function json(input: string | Uint8Array): unknown {
  let source: string;
  try {
    source = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input);
  } catch {
    return fail('', 'json', 'is not UTF-8 text');
  }
  try {
    return JSON.parse(source);
  } catch (e) {
    return fail('', 'json', `is not JSON text (${(e as Error).message})`);
  }
}

/**
 * Reads a `spicetime.job/v1` document from JSON text, its UTF-8 bytes, or an object such as
 * `JSON.parse` returns, and checks every rule of `schema.json` plus one a schema cannot say (no
 * layer address twice). The document must be complete: nothing is filled in (the builder fills
 * defaults), so a parsed document's canonical bytes are those of the full document it was read from.
 *
 * @returns a fresh, typed copy of the document.
 * @throws {JobRequestError} naming the first bad field and the rule it broke. Fields are checked in
 * the order `JobRequest` lists them (`version` first, so a later version is reported as such, not
 * as unknown fields); in each object, missing fields before unknown ones before each field's value.
 */
export function parseJobRequest(source: unknown): JobRequest {
  const v = typeof source === 'string' || source instanceof Uint8Array ? json(source) : source;
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail('', 'type', `must be a JSON object (got ${shown(v)})`);
  const version = (v as Fields).version;
  if (version === undefined) fail('version', 'required', 'is required');
  if (typeof version !== 'string') fail('version', 'type', `must be a string (got ${shown(version)})`);
  if (version !== JOB_REQUEST_VERSION) fail('version', 'unknown-version', `must be "${JOB_REQUEST_VERSION}" (got ${shown(version)})`);
  const o = record(v, '', ['version', 'baseModel', 'layers', 'input', 'sampling', 'output']);
  const baseModel = text(o.baseModel, 'baseModel', 1);
  if (!L.baseModel.pattern.test(baseModel)) {
    fail('baseModel', 'pattern', `must be 1–32 characters of A–Z a–z 0–9 . _ : / -, starting with a letter or digit (got ${shown(baseModel)})`);
  }
  return {
    version: JOB_REQUEST_VERSION,
    baseModel,
    layers: layers(o.layers, 'layers'),
    input: input(o.input, 'input'),
    sampling: sampling(o.sampling, 'sampling'),
    output: { format: oneOf(record(o.output, 'output', ['format']).format, 'output.format', FORMATS) },
  };
}
