import { expect } from 'vitest';
import { hex, readLe } from './le-bytes.ts';
import type { LiteSvmProgram } from './litesvm-program.ts';

/** Instruction data the probes accept per transaction (1232-byte packets, less signatures and keys). */
export const MAX_INSTRUCTION_DATA = 800;
/** `MAX_RETURN_DATA` of the runtime. */
export const MAX_RETURN_DATA = 1024;

/**
 * Runs fixed-size `records` through operation `op` of a probe (`[op] ++ records` in, `outSize`
 * bytes per record out), as many per transaction as fit, and returns each record's output.
 * Fails the test when a transaction fails or returns the wrong amount of data.
 */
export async function runRecords(program: LiteSvmProgram, op: number, records: Uint8Array[], outSize: number): Promise<Uint8Array[]> {
  if (!records.length) return [];
  const inSize = records[0]!.length;
  const perTx = Math.min(Math.floor((MAX_INSTRUCTION_DATA - 1) / inSize), Math.floor(MAX_RETURN_DATA / outSize));
  const outputs: Uint8Array[] = [];
  for (let at = 0; at < records.length; at += perTx) {
    const chunk = records.slice(at, at + perTx);
    const data = new Uint8Array(1 + chunk.length * inSize);
    data[0] = op;
    chunk.forEach((r, i) => {
      if (r.length !== inSize) throw new Error(`record ${at + i} has ${r.length} bytes, not ${inSize}`);
      data.set(r, 1 + i * inSize);
    });
    const run = await program.invoke(data);
    if (!run.ok) expect.fail(`op ${op}, records ${at}..${at + chunk.length - 1}: ${run.error}\n${run.logs.join('\n')}`);
    expect(run.returnData.length, `op ${op} return data length`).toBe(chunk.length * outSize);
    for (let i = 0; i < chunk.length; i++) outputs.push(run.returnData.subarray(i * outSize, (i + 1) * outSize));
  }
  return outputs;
}

/** One record of a probe operation and the output fields it must produce. */
export interface RecordCase {
  label: string;
  record: Uint8Array;
  /** The output fields, as unsigned integers of the widths given to {@link verifyRecords}. */
  expected: bigint[];
}

/**
 * Runs `cases` through operation `op` and expects every output, read as little-endian unsigned
 * fields of `widths` bytes, to equal its case's `expected`. Lists the first mismatches.
 */
export async function verifyRecords(program: LiteSvmProgram, op: number, widths: number[], cases: RecordCase[]): Promise<void> {
  expect(cases.length).toBeGreaterThan(0);
  const outSize = widths.reduce((a, b) => a + b, 0);
  const outputs = await runRecords(program, op, cases.map((c) => c.record), outSize);
  const mismatches: string[] = [];
  cases.forEach((c, i) => {
    let at = 0;
    const got = widths.map((w) => {
      const v = readLe(outputs[i]!, at, w);
      at += w;
      return v;
    });
    if (got.some((v, j) => v !== c.expected[j])) {
      mismatches.push(`${c.label}: got [${got.map(hex).join(', ')}], want [${c.expected.map(hex).join(', ')}]`);
    }
  });
  expect(mismatches.slice(0, 12), `${mismatches.length} of ${cases.length} cases differ`).toEqual([]);
}
