import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ArtifactDriftError } from '../errors.ts';
import type { SbpfVersion } from '../link/link.ts';
import { buildIdl, formatIdl, idlTypeModule } from './idl.ts';
import { type ProgramBuild, buildProgram } from './program-build.ts';
import { locateToolchain } from './toolchain-paths.ts';
import { type ProgramsWorkspace, readWorkspace } from './workspace.ts';

/** One program's artifacts. */
export interface BuiltProgram {
  name: string;
  so: Buffer;
  idl: string;
  /** The IDL as a TypeScript type module for the SDK. */
  idlType: string;
  build: ProgramBuild;
}

/** Builds every program named in `Anchor.toml` (or the ones given) into `.so` + IDL, in memory. */
export async function buildAll(
  options: { names?: string[]; sbpfVersion?: SbpfVersion; workspace?: ProgramsWorkspace } = {},
): Promise<BuiltProgram[]> {
  const ws = options.workspace ?? readWorkspace();
  const toolchain = await locateToolchain();
  const wanted = ws.programs.filter((p) => !options.names?.length || options.names.includes(p.name));
  const missing = options.names?.filter((n) => !ws.programs.some((p) => p.name === n)) ?? [];
  if (missing.length) throw new Error(`not a program in Anchor.toml: ${missing.join(', ')}`);
  const built: BuiltProgram[] = [];
  for (const p of wanted) {
    const build = await buildProgram({ cargoDir: ws.cargoDir, crate: p.name, sbpfVersion: options.sbpfVersion ?? 0, toolchain });
    const idl = await buildIdl({ cargoDir: ws.cargoDir, crate: p.name, address: p.id, toolchain });
    built.push({ name: p.name, so: build.so, idl: formatIdl(idl), idlType: idlTypeModule(p.name, idl), build });
  }
  return built;
}

/** Where a program's committed artifacts live. */
export const artifactPaths = (ws: ProgramsWorkspace, name: string): { so: string; idl: string; idlType: string } => ({
  so: path.join(ws.deployDir, `${name}.so`),
  idl: path.join(ws.idlDir, `${name}.json`),
  idlType: path.join(ws.idlTypesDir, `${name}.ts`),
});

/** Writes built artifacts where they are committed. */
export async function writeArtifacts(ws: ProgramsWorkspace, built: BuiltProgram[], deployDir = ws.deployDir): Promise<void> {
  await mkdir(deployDir, { recursive: true });
  await mkdir(ws.idlDir, { recursive: true });
  await mkdir(ws.idlTypesDir, { recursive: true });
  for (const b of built) {
    const paths = artifactPaths(ws, b.name);
    await writeFile(path.join(deployDir, `${b.name}.so`), b.so);
    await writeFile(paths.idl, b.idl);
    await writeFile(paths.idlType, b.idlType);
  }
}

/**
 * The verifiable-build check: every committed `.so` and IDL must equal what the source builds,
 * byte for byte. Throws {@link ArtifactDriftError} naming the files that differ.
 */
export async function checkArtifacts(ws: ProgramsWorkspace, built: BuiltProgram[]): Promise<string[]> {
  const drift: string[] = [];
  const checked: string[] = [];
  for (const b of built) {
    const paths = artifactPaths(ws, b.name);
    const expected = [[paths.so, b.so], [paths.idl, Buffer.from(b.idl)], [paths.idlType, Buffer.from(b.idlType)]] as const;
    for (const [file, bytes] of expected) {
      const committed = await readFile(file).catch(() => null);
      checked.push(path.relative(ws.root, file));
      if (!committed || !committed.equals(bytes)) drift.push(path.relative(ws.root, file));
    }
  }
  if (drift.length) throw new ArtifactDriftError(drift);
  return checked;
}
