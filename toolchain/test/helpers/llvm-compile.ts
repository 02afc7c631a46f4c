import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { run } from '../../src/build/run.ts';

/** What compiling one IR module for BPF did. */
export interface CompileResult {
  ok: boolean;
  /** What opt and llc printed. */
  stderr: string;
}

/**
 * Compiles textual IR for SBPF the way `buildProgram` does after legalising:
 * `opt -passes=always-inline,globaldce`, then `llc -march=bpfel -mcpu=v2`.
 */
export async function compileForBpf(llvmBin: string, ir: string): Promise<CompileResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'legalise-llc-'));
  try {
    const input = path.join(dir, 'in.ll');
    const inlined = path.join(dir, 'inlined.ll');
    await writeFile(input, ir);
    const opt = await run(path.join(llvmBin, 'opt'), ['-passes=always-inline,globaldce', '-S', input, '-o', inlined]);
    if (opt.code !== 0) return { ok: false, stderr: opt.stderr };
    const llc = await run(path.join(llvmBin, 'llc'), [
      '-march=bpfel', '-mcpu=v2', '-O2', '-bpf-stack-size=4096', '-filetype=obj', inlined, '-o', path.join(dir, 'out.o'),
    ]);
    return { ok: llc.code === 0, stderr: llc.stderr };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
