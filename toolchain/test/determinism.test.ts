import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../src/build/program-build.ts';
import { REPO_ROOT } from '../src/build/workspace.ts';

describe('deterministic builds', () => {
  const copies: string[] = [];
  afterAll(async () => {
    await Promise.all(copies.map((d) => rm(d, { recursive: true, force: true })));
  });

  it('two builds of the same source are byte-identical, and equal the committed program', async () => {
    const cargoDir = path.join(REPO_ROOT, 'programs');
    const first = await buildProgram({ cargoDir, crate: 'economy' });
    const second = await buildProgram({ cargoDir, crate: 'economy' });
    expect(second.so.equals(first.so)).toBe(true);
    expect(first.so.equals(await readFile(path.join(cargoDir, 'deploy/economy.so')))).toBe(true);
  });

  it('a copy of the source in another folder builds the same bytes', async () => {
    // Given the programs workspace somewhere else, with a cold target folder
    const elsewhere = await mkdtemp(path.join(os.tmpdir(), 'spicetime-elsewhere-'));
    copies.push(elsewhere);
    const cargoDir = path.join(elsewhere, 'programs');
    await cp(path.join(REPO_ROOT, 'programs'), cargoDir, {
      recursive: true,
      filter: (src) => !src.includes(`${path.sep}target`),
    });
    // When it is built there
    const moved = await buildProgram({ cargoDir, crate: 'economy' });
    // Then the program is byte-identical to the committed one
    expect(moved.so.equals(await readFile(path.join(REPO_ROOT, 'programs/deploy/economy.so')))).toBe(true);
  });
});
