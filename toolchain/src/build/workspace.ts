import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';
import { ToolchainError } from '../errors.ts';

/** The repository root (where `Anchor.toml` lives). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** One program crate under `programs/`, named in `Anchor.toml`. */
export interface ProgramCrate {
  name: string;
  /** The program id from `Anchor.toml` `[programs.localnet]`. */
  id: string;
  crateDir: string;
}

/** The programs workspace: the Cargo workspace and where built artifacts are committed. */
export interface ProgramsWorkspace {
  root: string;
  /** The Cargo workspace folder (`programs/`). */
  cargoDir: string;
  /** Committed `.so` files (`programs/deploy/<name>.so`). */
  deployDir: string;
  /** Committed Anchor IDLs (`programs/idl/<name>.json`). */
  idlDir: string;
  /** Committed IDL types for the SDK (`sdk/src/idl/<name>.ts`). */
  idlTypesDir: string;
  programs: ProgramCrate[];
}

/** Reads `Anchor.toml` and checks each program's `declare_id!` against it. */
export function readWorkspace(root = REPO_ROOT): ProgramsWorkspace {
  const anchor = parse(readFileSync(path.join(root, 'Anchor.toml'), 'utf8')) as {
    programs?: { localnet?: Record<string, string> };
  };
  const ids = anchor.programs?.localnet ?? {};
  const cargoDir = path.join(root, 'programs');
  const programs = Object.entries(ids).map(([name, id]) => {
    const crateDir = path.join(cargoDir, name);
    const lib = readFileSync(path.join(crateDir, 'src/lib.rs'), 'utf8');
    const declared = /declare_id!\(\s*"([1-9A-HJ-NP-Za-km-z]+)"\s*\)/.exec(lib)?.[1];
    if (declared !== id) {
      throw new ToolchainError(
        'PROGRAM_ID_MISMATCH',
        `programs/${name}/src/lib.rs declares ${declared ?? 'no id'} but Anchor.toml names ${id}`,
      );
    }
    return { name, id, crateDir };
  });
  return {
    root,
    cargoDir,
    deployDir: path.join(cargoDir, 'deploy'),
    idlDir: path.join(cargoDir, 'idl'),
    idlTypesDir: path.join(root, 'sdk/src/idl'),
    programs,
  };
}
