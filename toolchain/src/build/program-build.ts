import { mkdir, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { explainLlcError, findUnsupported } from '../legalise/unsupported.ts';
import { legaliseIr } from '../legalise/ir-legalise.ts';
import { type LinkReport, type SbpfVersion, linkSbpf } from '../link/link.ts';
import { BuildStepError } from '../errors.ts';
import { run, runStep } from './run.ts';
import { type ToolchainPaths, locateToolchain } from './toolchain-paths.ts';

/** The target spec: `bpfel-unknown-none` with `os = "solana"`, so pinocchio's sysvar getters work. */
export const TARGET_SPEC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../targets/bpfel-solana.json');

/** Options of {@link buildProgram}. */
export interface ProgramBuildOptions {
  /** The Cargo workspace holding the crate. */
  cargoDir: string;
  /** The package name (`-p`). */
  crate: string;
  sbpfVersion?: SbpfVersion;
  /** Cargo features of the crate to enable. */
  features?: string[];
  toolchain?: ToolchainPaths;
}

/** A built program and what each stage took. */
export interface ProgramBuild {
  so: Buffer;
  link: LinkReport;
  legalised: Record<string, number>;
  seconds: { cargo: number; backend: number };
}

/**
 * Builds one crate into an SBPF program: cargo (`-Zbuild-std`, fat LTO, `--emit=llvm-ir`) →
 * IR legaliser → `opt` → `llc -mcpu=v2` → the project's linker.
 */
export async function buildProgram(options: ProgramBuildOptions): Promise<ProgramBuild> {
  const tools = options.toolchain ?? (await locateToolchain());
  const crateIdent = options.crate.replace(/-/g, '_');
  const targetDir = path.join(options.cargoDir, 'target');
  const depsDir = path.join(targetDir, 'bpfel-solana/release/deps');
  const work = path.join(targetDir, 'sbpf', options.crate);
  await mkdir(work, { recursive: true });
  await removeStaleIr(depsDir, crateIdent);
  // Cargo re-runs rustc (and so re-emits the IR) only when it sees a change.
  const now = new Date();
  const metadata = await runStep('cargo metadata', tools.cargo, ['metadata', '--no-deps', '--format-version', '1', '--locked'], {
    cwd: options.cargoDir,
    env: cargoEnv(tools),
  });
  const pkg = (JSON.parse(metadata.stdout) as { packages: { name: string; targets: { kind: string[]; src_path: string }[] }[] }).packages.find(
    (p) => p.name === options.crate,
  );
  if (!pkg) throw new BuildStepError('cargo', `no package '${options.crate}' in ${options.cargoDir}`);
  const lib = pkg.targets.find((t) => t.kind.includes('staticlib') || t.kind.includes('lib'));
  if (lib) await utimes(lib.src_path, now, now);

  const t0 = performance.now();
  const args = ['rustc', '-Zbuild-std=core,alloc', '-Zjson-target-spec', '--target', TARGET_SPEC, '--release', '--locked', '-p', options.crate, '--lib', '--crate-type', 'staticlib'];
  if (options.features?.length) args.push('--features', options.features.join(','));
  args.push('--', '--emit=llvm-ir');
  await runStep('cargo build', tools.cargo, args, {
    cwd: options.cargoDir,
    env: { ...cargoEnv(tools), RUSTC_BOOTSTRAP: '1', CARGO_ENCODED_RUSTFLAGS: rustFlags(options.cargoDir, tools) },
  });
  const irFile = (await readdir(depsDir)).find((f) => f.startsWith(`${crateIdent}-`) && f.endsWith('.ll'));
  if (!irFile) throw new BuildStepError('cargo build', `no LLVM IR for ${options.crate} in ${depsDir}`);
  const t1 = performance.now();

  const legalised = legaliseIr(await readFile(path.join(depsDir, irFile), 'utf8'));
  const fixed = path.join(work, 'legalised.ll');
  const optimised = path.join(work, 'optimised.ll');
  const object = path.join(work, 'program.o');
  await writeFile(fixed, legalised.ir);
  await runStep('opt', path.join(tools.llvmBin, 'opt'), ['-passes=always-inline,globaldce', '-S', fixed, '-o', optimised]);
  findUnsupported(await readFile(optimised, 'utf8'));
  const llc = await run(path.join(tools.llvmBin, 'llc'), [
    '-march=bpfel', '-mcpu=v2', '-mattr=+allows-misaligned-mem-access', '-O2', '-bpf-stack-size=4096', '-function-sections', '-data-sections', '-filetype=obj', optimised, '-o', object,
  ]);
  if (llc.code !== 0) throw explainLlcError(llc.stderr) ?? new BuildStepError('llc', llc.stderr);
  const { so, report } = linkSbpf([{ name: `${options.crate}.o`, bytes: await readFile(object) }], {
    sbpfVersion: options.sbpfVersion ?? 0,
  });
  return { so, link: report, legalised: legalised.stats, seconds: { cargo: (t1 - t0) / 1000, backend: (performance.now() - t1) / 1000 } };
}

/** The environment every cargo call gets: Debian's rustc, never rustup's. */
export function cargoEnv(tools: ToolchainPaths): NodeJS.ProcessEnv {
  return { ...process.env, RUSTC: tools.rustc, RUSTDOC: path.join(path.dirname(tools.rustc), 'rustdoc'), CARGO_TERM_COLOR: 'never' };
}

/**
 * Flags for every crate of the SBPF build, build-std included. Path prefixes are remapped so
 * the panic locations baked into a program do not depend on where the repo or cargo home live:
 * that keeps builds byte-identical across machines.
 */
function rustFlags(cargoDir: string, tools: ToolchainPaths): string {
  const cargoHome = process.env.CARGO_HOME ?? path.join(os.homedir(), '.cargo');
  return [
    '-C', 'target-cpu=v2',
    '-C', 'llvm-args=-bpf-stack-size=4096',
    `--remap-path-prefix=${path.resolve(cargoDir)}=programs`,
    `--remap-path-prefix=${path.join(cargoHome, 'registry/src')}=crates`,
    `--remap-path-prefix=${tools.rustSrc}=rust/library`,
  ].join('\x1f');
}

async function removeStaleIr(depsDir: string, crateIdent: string): Promise<void> {
  const files = await readdir(depsDir).catch(() => [] as string[]);
  await Promise.all(files.filter((f) => f.startsWith(`${crateIdent}-`) && f.endsWith('.ll')).map((f) => rm(path.join(depsDir, f))));
}
