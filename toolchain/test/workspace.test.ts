import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT, readWorkspace } from '../src/build/workspace.ts';
import { ToolchainError } from '../src/errors.ts';

describe('programs workspace', () => {
  let copy = '';
  afterEach(async () => {
    if (copy) await rm(copy, { recursive: true, force: true });
  });

  it('lists the programs of Anchor.toml with their ids and crates', () => {
    const ws = readWorkspace();
    expect(ws.programs.map((p) => p.name)).toEqual(['economy', 'marketplace']);
    expect(ws.programs.map((p) => p.crateDir)).toEqual([path.join(REPO_ROOT, 'programs/economy'), path.join(REPO_ROOT, 'programs/marketplace')]);
  });

  it("refuses a program whose declare_id! differs from Anchor.toml", async () => {
    // Given a copy of the repo files whose Anchor.toml names another id
    copy = await mkdtemp(path.join(os.tmpdir(), 'spicetime-ws-'));
    await cp(path.join(REPO_ROOT, 'programs/economy/src'), path.join(copy, 'programs/economy/src'), { recursive: true });
    const toml = await readFile(path.join(REPO_ROOT, 'Anchor.toml'), 'utf8');
    await writeFile(path.join(copy, 'Anchor.toml'), toml.replace(/economy = "\w+"/, 'economy = "11111111111111111111111111111111"'));
    // Then reading it fails, naming both ids
    let error: unknown;
    try {
      readWorkspace(copy);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ToolchainError);
    expect((error as ToolchainError).code).toBe('PROGRAM_ID_MISMATCH');
    expect((error as Error).message).toMatch(/declares \w{32,44} but Anchor.toml names 11111111111111111111111111111111/);
  });
});
