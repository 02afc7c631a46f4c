import { existsSync } from 'node:fs';
import path from 'node:path';
import { ToolchainMissingError } from '../errors.ts';
import { run } from './run.ts';

/** Where the build finds its tools. */
export interface ToolchainPaths {
  rustc: string;
  cargo: string;
  /** rust-web-src's `library/` folder (for `-Zbuild-std`). */
  rustSrc: string;
  /** Folder holding LLVM's `opt` and `llc`, the same major version as rustc's LLVM. */
  llvmBin: string;
}

/**
 * Finds Debian's rustc-web, cargo-web, rust-web-src and llvm-22, or the paths set in
 * `SPICETIME_RUSTC`, `SPICETIME_CARGO`, `SPICETIME_RUST_SRC`, `SPICETIME_LLVM_BIN`.
 * Throws {@link ToolchainMissingError} naming the apt packages of whatever is missing.
 */
export async function locateToolchain(env: NodeJS.ProcessEnv = process.env): Promise<ToolchainPaths> {
  const paths: ToolchainPaths = {
    rustc: env.SPICETIME_RUSTC ?? '/usr/bin/rustc',
    cargo: env.SPICETIME_CARGO ?? '/usr/bin/cargo',
    rustSrc: env.SPICETIME_RUST_SRC ?? '/usr/lib/rustlib/src/rust/library',
    llvmBin: env.SPICETIME_LLVM_BIN ?? '/usr/lib/llvm-22/bin',
  };
  const checks: [string, string, string][] = [
    [paths.rustc, 'rustc', 'rustc-web'],
    [paths.cargo, 'cargo', 'cargo-web'],
    [path.join(paths.rustSrc, 'Cargo.lock'), 'the Rust standard library sources', 'rust-web-src'],
    [path.join(paths.llvmBin, 'llc'), 'llc', 'llvm-22'],
    [path.join(paths.llvmBin, 'opt'), 'opt', 'llvm-22'],
  ];
  const missing = checks.filter(([file]) => !existsSync(file));
  if (missing.length) {
    throw new ToolchainMissingError(
      missing.map(([file, what]) => `${what} (${file})`),
      [...new Set(missing.map(([, , pkg]) => pkg))],
    );
  }
  const rustcInfo = await run(paths.rustc, ['-vV']);
  const llcInfo = await run(path.join(paths.llvmBin, 'llc'), ['--version']);
  const rustLlvm = /LLVM version: (\d+)/.exec(rustcInfo.stdout)?.[1];
  const llcLlvm = /LLVM version (\d+)/.exec(llcInfo.stdout)?.[1];
  if (!rustLlvm || rustLlvm !== llcLlvm) {
    throw new ToolchainMissingError(
      [`an LLVM ${rustLlvm ?? '?'} llc/opt matching rustc (found LLVM ${llcLlvm ?? '?'} in ${paths.llvmBin})`],
      [`llvm-${rustLlvm ?? '22'}`],
    );
  }
  return paths;
}
