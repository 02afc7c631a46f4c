import { createHash } from 'node:crypto';
import { PublicKey } from '@solana/web3.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import {
  JOB_REQUEST_VERSION,
  JobRequestError,
  buildJobRequest,
  canonicalJobRequest,
  jobRequestHash,
  jobRequestSchema,
  parseJobRequest,
  type JobRequest,
  type JobRequestRule,
} from '../src/job-request/index.ts';

/** A deterministic layer address: 32 bytes of `n`. */
const addr = (n: number): string => new PublicKey(new Uint8Array(32).fill(n)).toBase58();
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** A complete, valid document; each test copies it. */
const valid = (): JobRequest => ({
  version: JOB_REQUEST_VERSION,
  baseModel: 'qwen2-0.5b',
  layers: [{ layer: addr(1), version: 3, scale: 7500 }],
  input: {
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Héllo €' },
    ],
  },
  sampling: { seed: 42, temperature: 0.7, topK: 40, topP: 0.95, repeatPenalty: 1.1, maxTokens: 256, stop: ['\n\n'] },
  output: { format: 'text' },
});

/** `valid()` changed by `change` (which may mutate it freely). */
const changed = (change: (d: any) => void): any => {
  const d = valid();
  change(d);
  return d;
};

/** What `parseJobRequest` throws for `input`. */
const refusal = (input: unknown): JobRequestError => {
  try {
    parseJobRequest(input);
  } catch (e) {
    if (e instanceof JobRequestError) return e;
    throw e;
  }
  throw new Error('the parser accepted it');
};

const ajv = new Ajv2020({ allErrors: true, strict: true });
ajv.addFormat('solana-address', (s: string) => {
  try {
    return new PublicKey(s).toBase58() === s;
  } catch {
    return false;
  }
});
const schemaAccepts = ajv.compile(jobRequestSchema);

describe('canonical bytes (RFC 8785)', () => {
  it('the canonicalize package gives RFC 8785 §3.2.2 number and string forms and §3.2.3 key order', () => {
    // Given the RFC's sample data (JSON text, so the numbers are read as written there)
    const sample = JSON.parse(String.raw`{
      "numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],
      "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
      "literals": [null, true, false]
    }`);
    const sorting = JSON.parse(String.raw`{
      "\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh", "1": "One",
      "\ud83d\ude00": "Emoji: Grinning Face", "\u0080": "Control", "\u00f6": "Latin Small Letter O With Diaeresis"
    }`);
    // When canonicalized / Then the RFC's output, byte for byte
    expect(canonicalize(sample)).toBe(String.raw`{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}`);
    expect(canonicalize(sorting)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign",' +
        '"\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('of a request are its RFC 8785 form: keys sorted at every level, numbers in shortest form, no spaces', () => {
    // Given a request whose numbers are spelled unusually in its JSON text
    const source = `{ "version": "spicetime.job/v1", "baseModel": "qwen2-0.5b",
      "layers": [ { "layer": "${addr(1)}", "version": 3.0, "scale": 7.5e3 } ],
      "input": { "messages": [ { "role": "system", "content": "Be brief." }, { "content": "H\\u00e9llo \\u20ac", "role": "user" } ] },
      "sampling": { "seed": 42, "temperature": 0.70, "topK": 40, "topP": 9.5e-1, "repeatPenalty": 1.10, "maxTokens": 256, "stop": ["\\n\\n"] },
      "output": { "format": "text" } }`;
    // When parsed and canonicalized
    const bytes = canonicalJobRequest(parseJobRequest(source));
    // Then the bytes are exactly these
    expect(text(bytes)).toBe(
      String.raw`{"baseModel":"qwen2-0.5b","input":{"messages":[{"content":"Be brief.","role":"system"},{"content":"Héllo €","role":"user"}]},` +
        String.raw`"layers":[{"layer":"${addr(1)}","scale":7500,"version":3}],"output":{"format":"text"},` +
        String.raw`"sampling":{"maxTokens":256,"repeatPenalty":1.1,"seed":42,"stop":["\n\n"],"temperature":0.7,"topK":40,"topP":0.95},"version":"spicetime.job/v1"}`,
    );
  });

  it('do not depend on the order fields are given in', () => {
    // Given the same request with every object's fields reversed
    const reversed = (v: unknown): unknown =>
      Array.isArray(v) ? v.map(reversed) : typeof v === 'object' && v !== null ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : v;
    const shuffled = reversed(valid()) as JobRequest;
    expect(Object.keys(shuffled)[0]).toBe('output');
    // When both are canonicalized and hashed / Then bytes and hash are the same
    expect(hex(canonicalJobRequest(shuffled))).toBe(hex(canonicalJobRequest(valid())));
    expect(hex(jobRequestHash(shuffled))).toBe(hex(jobRequestHash(valid())));
  });

  it('hash to request_hash = sha256(canonical bytes), 32 bytes', () => {
    // Given a request / When hashed / Then node's own SHA-256 of the canonical bytes agrees
    const hash = jobRequestHash(valid());
    expect(hash.length).toBe(32);
    expect(hex(hash)).toBe(createHash('sha256').update(canonicalJobRequest(valid())).digest('hex'));
    // And any change to the request changes the hash
    expect(hex(jobRequestHash(changed((d) => (d.layers[0].scale = 7501))))).not.toBe(hex(hash));
  });

  it('are refused for an invalid document, which gets no hash', () => {
    expect(() => jobRequestHash(changed((d) => (d.sampling.seed = -1)))).toThrow(JobRequestError);
  });
});

describe('build and parse', () => {
  it('round trip: build → canonical → parse (bytes and text) → canonical gives the same bytes', () => {
    // Given a request built from options with a PublicKey layer and a prompt shorthand
    const built = buildJobRequest({
      baseModel: 'qwen2-0.5b',
      layers: [
        { layer: new PublicKey(new Uint8Array(32).fill(1)), version: 1, scale: 10_000 },
        { layer: addr(2), version: 2, scale: 5_000 },
      ],
      input: 'Write a haiku about 😀.',
      sampling: { seed: 7, temperature: 0, topK: 0, topP: 1, repeatPenalty: 1, maxTokens: 64 },
    });
    // When its canonical bytes are parsed back, as bytes and as text
    const bytes = canonicalJobRequest(built);
    // Then both give the same document and the same bytes
    expect(parseJobRequest(bytes)).toEqual(built);
    expect(text(canonicalJobRequest(parseJobRequest(bytes)))).toBe(text(bytes));
    expect(text(canonicalJobRequest(parseJobRequest(text(bytes))))).toBe(text(bytes));
  });

  it('the builder fills stop = [] and output.format = "text"; the parser fills nothing and requires them', () => {
    // Given a request built without stop or output
    const built = buildJobRequest({ baseModel: 'm', layers: [{ layer: addr(1), version: 1, scale: 1 }], input: 'hi', sampling: { seed: 0, temperature: 1, topK: 1, topP: 1, repeatPenalty: 1, maxTokens: 1 } });
    // Then the document holds them explicitly
    expect(built.sampling.stop).toEqual([]);
    expect(built.output).toEqual({ format: 'text' });
    expect(text(canonicalJobRequest(built))).toContain('"output":{"format":"text"}');
    // And a document without them is refused by the parser
    expect(refusal({ ...built, output: undefined })).toMatchObject({ field: 'output', rule: 'required' });
    expect(refusal(changed((d) => delete d.sampling.stop))).toMatchObject({ field: 'sampling.stop', rule: 'required' });
  });

  it('the builder refuses what the parser refuses, naming the document field', () => {
    const e = (() => {
      try {
        buildJobRequest({ baseModel: 'm', layers: [{ layer: addr(1), version: 1, scale: 20_001 }], input: 'hi', sampling: valid().sampling });
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(JobRequestError);
    expect(e).toMatchObject({ field: 'layers[0].scale', rule: 'range', message: 'layers[0].scale: must be an integer from 1 to 20000 (got 20001)' });
  });

  it('returns a fresh copy: later changes to the input do not reach the parsed document', () => {
    const input = valid();
    const parsed = parseJobRequest(input);
    input.layers[0]!.scale = 1;
    expect(parsed.layers[0]!.scale).toBe(7500);
  });
});

type Case = [name: string, input: unknown, field: string, rule: JobRequestRule];
const long = (n: number, c = 'a') => c.repeat(n);
const layer = (n: number) => ({ layer: addr(n), version: 1, scale: 10_000 });

/** Bad documents that are JSON values: the schema must refuse them too. */
const badDocuments: Case[] = [
  ['a document that is an array', [valid()], '', 'type'],
  ['no version', changed((d) => delete d.version), 'version', 'required'],
  ['an unknown version', changed((d) => (d.version = 'spicetime.job/v2')), 'version', 'unknown-version'],
  ['a version that is a number', changed((d) => (d.version = 1)), 'version', 'type'],
  ['an unknown top-level field', changed((d) => (d.priority = 1)), 'priority', 'unknown-field'],
  ['no base model', changed((d) => delete d.baseModel), 'baseModel', 'required'],
  ['an empty base model', changed((d) => (d.baseModel = '')), 'baseModel', 'length'],
  ['a base model of 33 bytes', changed((d) => (d.baseModel = long(33))), 'baseModel', 'pattern'],
  ['a base model with a comma', changed((d) => (d.baseModel = 'qwen2,llama')), 'baseModel', 'pattern'],
  ['a base model with a space', changed((d) => (d.baseModel = 'qwen2 0.5b')), 'baseModel', 'pattern'],
  ['a non-ASCII base model', changed((d) => (d.baseModel = 'qwén')), 'baseModel', 'pattern'],
  ['no layers field', changed((d) => delete d.layers), 'layers', 'required'],
  ['layers not an array', changed((d) => (d.layers = layer(1))), 'layers', 'type'],
  ['no layers', changed((d) => (d.layers = [])), 'layers', 'too-few'],
  ['more than 4 layers', changed((d) => (d.layers = [1, 2, 3, 4, 5].map(layer))), 'layers', 'too-many'],
  ['a layer that is not base58', changed((d) => (d.layers[0].layer = 'not-an-address')), 'layers[0].layer', 'address'],
  ['a layer address of 31 bytes', changed((d) => (d.layers[0].layer = long(31, '1'))), 'layers[0].layer', 'address'],
  ['a layer address of 33 bytes', changed((d) => (d.layers[0].layer = new PublicKey(new Uint8Array(32).fill(255)).toBase58() + '2')), 'layers[0].layer', 'address'],
  ['a layer without scale', changed((d) => delete d.layers[0].scale), 'layers[0].scale', 'required'],
  ['a layer with an unknown field', changed((d) => (d.layers[0].weight = 1)), 'layers[0].weight', 'unknown-field'],
  ['scale 0', changed((d) => (d.layers = [layer(1), layer(2), { ...layer(3), scale: 0 }])), 'layers[2].scale', 'range'],
  ['scale above 20000', changed((d) => (d.layers[0].scale = 20_001)), 'layers[0].scale', 'range'],
  ['a fractional scale', changed((d) => (d.layers[0].scale = 1.5)), 'layers[0].scale', 'integer'],
  ['a scale as text', changed((d) => (d.layers[0].scale = '10000')), 'layers[0].scale', 'type'],
  ['layer version 0', changed((d) => (d.layers[0].version = 0)), 'layers[0].version', 'range'],
  ['layer version above u32', changed((d) => (d.layers[0].version = 2 ** 32)), 'layers[0].version', 'range'],
  ['no input', changed((d) => delete d.input), 'input', 'required'],
  ['an input with prompt and messages', changed((d) => (d.input.prompt = 'hi')), 'input', 'one-of'],
  ['an input with neither', changed((d) => (d.input = {})), 'input', 'one-of'],
  ['an input with an unknown field', changed((d) => (d.input = { prompt: 'hi', system: 'x' })), 'input.system', 'unknown-field'],
  ['an empty prompt', changed((d) => (d.input = { prompt: '' })), 'input.prompt', 'length'],
  ['a prompt with a lone surrogate', changed((d) => (d.input = { prompt: 'a\ud800b' })), 'input.prompt', 'unicode'],
  ['no messages', changed((d) => (d.input.messages = [])), 'input.messages', 'too-few'],
  ['more than 256 messages', changed((d) => (d.input.messages = Array.from({ length: 257 }, () => ({ role: 'user', content: 'x' })))), 'input.messages', 'too-many'],
  ['an unknown role', changed((d) => (d.input.messages[1].role = 'tool')), 'input.messages[1].role', 'enum'],
  ['a message without content', changed((d) => delete d.input.messages[0].content), 'input.messages[0].content', 'required'],
  ['empty message content', changed((d) => (d.input.messages[1].content = '')), 'input.messages[1].content', 'length'],
  ['no sampling', changed((d) => delete d.sampling), 'sampling', 'required'],
  ['sampling with an unknown field', changed((d) => (d.sampling.minP = 0.1)), 'sampling.minP', 'unknown-field'],
  ['no seed', changed((d) => delete d.sampling.seed), 'sampling.seed', 'required'],
  ['a non-integer seed', changed((d) => (d.sampling.seed = 1.5)), 'sampling.seed', 'integer'],
  ['a negative seed', changed((d) => (d.sampling.seed = -1)), 'sampling.seed', 'range'],
  ['a seed above u32', changed((d) => (d.sampling.seed = 2 ** 32)), 'sampling.seed', 'range'],
  ['a seed beyond safe integers', changed((d) => (d.sampling.seed = 2 ** 53)), 'sampling.seed', 'range'],
  ['a seed as text', changed((d) => (d.sampling.seed = '42')), 'sampling.seed', 'type'],
  ['a negative temperature', changed((d) => (d.sampling.temperature = -0.1)), 'sampling.temperature', 'range'],
  ['a temperature above 2', changed((d) => (d.sampling.temperature = 2.01)), 'sampling.temperature', 'range'],
  ['a null temperature', changed((d) => (d.sampling.temperature = null)), 'sampling.temperature', 'type'],
  ['a fractional topK', changed((d) => (d.sampling.topK = 1.5)), 'sampling.topK', 'integer'],
  ['topK above 1000', changed((d) => (d.sampling.topK = 1001)), 'sampling.topK', 'range'],
  ['topP 0', changed((d) => (d.sampling.topP = 0)), 'sampling.topP', 'range'],
  ['topP above 1', changed((d) => (d.sampling.topP = 1.01)), 'sampling.topP', 'range'],
  ['repeat penalty 0', changed((d) => (d.sampling.repeatPenalty = 0)), 'sampling.repeatPenalty', 'range'],
  ['repeat penalty above 2', changed((d) => (d.sampling.repeatPenalty = 2.5)), 'sampling.repeatPenalty', 'range'],
  ['maxTokens 0', changed((d) => (d.sampling.maxTokens = 0)), 'sampling.maxTokens', 'range'],
  ['maxTokens above 32768', changed((d) => (d.sampling.maxTokens = 32_769)), 'sampling.maxTokens', 'range'],
  ['stop not an array', changed((d) => (d.sampling.stop = '\n')), 'sampling.stop', 'type'],
  ['more than 4 stop strings', changed((d) => (d.sampling.stop = ['a', 'b', 'c', 'd', 'e'])), 'sampling.stop', 'too-many'],
  ['an empty stop string', changed((d) => (d.sampling.stop = ['a', ''])), 'sampling.stop[1]', 'length'],
  ['a stop string of 65 characters', changed((d) => (d.sampling.stop = [long(65)])), 'sampling.stop[0]', 'length'],
  ['a stop string twice', changed((d) => (d.sampling.stop = ['a', 'b', 'a'])), 'sampling.stop[2]', 'duplicate'],
  ['no output', changed((d) => delete d.output), 'output', 'required'],
  ['an unknown output format', changed((d) => (d.output.format = 'xml')), 'output.format', 'enum'],
  ['output with an unknown field', changed((d) => (d.output.schema = {})), 'output.schema', 'unknown-field'],
];

/** Bad input a JSON Schema cannot see (not JSON) or cannot say (no layer twice). */
const parserOnly: Case[] = [
  ['text that is not JSON', '{"version":', '', 'json'],
  ['bytes that are not UTF-8', new Uint8Array([0x7b, 0xff, 0x7d]), '', 'json'],
  ['JSON text that is not an object', '"spicetime.job/v1"', '', 'type'],
  ['a temperature that overflows to Infinity', JSON.stringify(valid()).replace('"temperature":0.7', '"temperature":1e400'), 'sampling.temperature', 'type'],
  ['a NaN seed', changed((d) => (d.sampling.seed = NaN)), 'sampling.seed', 'type'],
  ['the same layer twice', changed((d) => (d.layers = [layer(1), layer(2), { ...layer(1), version: 2, scale: 5000 }])), 'layers[2].layer', 'duplicate'],
];

describe('refusals', () => {
  const cases = [...badDocuments, ...parserOnly].map(([name, input, field, rule]) => ({ name, input, field, rule }));
  it.each(cases)('$name: refused at $field by rule $rule', ({ input, field, rule }) => {
    // Given a bad input / When parsed
    const e = refusal(input);
    // Then the error names the field and the rule, in a stable class
    expect({ field: e.field, rule: e.rule }).toEqual({ field, rule });
    expect(e.name).toBe('JobRequestError');
    expect(e.code).toBe('JOB_REQUEST_INVALID');
    expect(e.message.startsWith(`${field || '(document)'}: `)).toBe(true);
  });

  it('messages say what was wrong and what was got', () => {
    expect(refusal(changed((d) => (d.sampling.seed = 1.5))).message).toBe('sampling.seed: must be an integer from 0 to 4294967295 (got 1.5)');
    expect(refusal(changed((d) => (d.version = 'spicetime.job/v2'))).message).toBe('version: must be "spicetime.job/v1" (got "spicetime.job/v2")');
    expect(refusal(changed((d) => (d.layers = [1, 2, 3, 4, 5].map(layer)))).message).toBe('layers: must hold at most 4 items (got 5)');
  });
});

describe('the JSON Schema agrees with the parser', () => {
  const goodDocuments: [string, unknown][] = [
    ['the sample chat request', valid()],
    ['a prompt request with JSON output', changed((d) => ((d.input = { prompt: 'Name three colours as JSON 😀' }), (d.output.format = 'json')))],
    ['the smallest values', changed((d) => {
      d.baseModel = 'q';
      d.layers = [{ layer: addr(0), version: 1, scale: 1 }];
      d.sampling = { seed: 0, temperature: 0, topK: 0, topP: Number.MIN_VALUE, repeatPenalty: Number.MIN_VALUE, maxTokens: 1, stop: [] };
    })],
    ['the largest values', changed((d) => {
      d.baseModel = `Qwen/Qwen2-0.5B:${long(16, '_')}`;
      d.layers = [1, 2, 3, 4].map((n) => ({ layer: addr(n), version: 2 ** 32 - 1, scale: 20_000 }));
      d.input = { messages: Array.from({ length: 256 }, (_, i) => ({ role: ['system', 'user', 'assistant'][i % 3], content: 'x' })) };
      // 64 code points: 128 UTF-16 units for the emoji strings
      d.sampling = { seed: 2 ** 32 - 1, temperature: 2, topK: 1000, topP: 1, repeatPenalty: 2, maxTokens: 32_768, stop: [long(64), long(64, '😀'), long(64, 'é'), 'x'] };
    })],
  ];

  it.each(goodDocuments)('%s is accepted by both', (_name, doc) => {
    expect(schemaAccepts(doc), JSON.stringify(schemaAccepts.errors)).toBe(true);
    expect(() => parseJobRequest(doc)).not.toThrow();
  });

  it.each(badDocuments)('%s is refused by both', (_name, doc) => {
    expect(schemaAccepts(doc)).toBe(false);
    expect(() => parseJobRequest(doc)).toThrow(JobRequestError);
  });

  it('the one rule only the parser checks is a layer named twice', () => {
    const twice = changed((d) => (d.layers = [layer(1), { ...layer(1), scale: 5000 }]));
    expect(schemaAccepts(twice)).toBe(true);
    expect(refusal(twice).rule).toBe('duplicate');
  });
});
