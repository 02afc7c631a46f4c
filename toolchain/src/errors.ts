/**
 * Errors of the program toolchain. Each has a stable `name` and `code` so callers and tests can
 * tell them apart without matching on message text.
 */

/** Base class of every toolchain error. */
export class ToolchainError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A tool the build needs (rustc-web, cargo-web, rust-web-src, llvm-22) is not installed. */
export class ToolchainMissingError extends ToolchainError {
  constructor(
    readonly missing: string[],
    readonly aptPackages: string[],
  ) {
    super(
      'TOOLCHAIN_MISSING',
      `missing ${missing.join(', ')}; install them with: apt-get install -y ${aptPackages.join(' ')}`,
    );
  }
}

/** The program uses something the SBPF target cannot run (floating point, a frame over 4 KiB, ...). */
export class UnsupportedConstructError extends ToolchainError {
  constructor(
    readonly construct: string,
    readonly functionName: string,
    detail = '',
  ) {
    super(
      'UNSUPPORTED_CONSTRUCT',
      `unsupported on SBPF: ${construct} in function '${functionName}'${detail ? ` (${detail})` : ''}`,
    );
  }
}

/** The linker met an input it cannot turn into a loadable SBPF program. */
export class LinkError extends ToolchainError {
  constructor(message: string) {
    super('LINK_ERROR', `sbpf-link: ${message}`);
  }
}

/** A build step (cargo, opt, llc, the IDL printer) failed; `output` holds what it printed. */
export class BuildStepError extends ToolchainError {
  constructor(
    readonly step: string,
    readonly output: string,
  ) {
    super('BUILD_STEP_FAILED', `${step} failed:\n${output.trim().split('\n').slice(-40).join('\n')}`);
  }
}

/** Committed artifacts differ from what the source builds. */
export class ArtifactDriftError extends ToolchainError {
  constructor(readonly files: string[]) {
    super(
      'ARTIFACT_DRIFT',
      `committed build artifacts differ from what the source builds: ${files.join(', ')}\n` +
        'run `npm run build:programs` and commit the result',
    );
  }
}
