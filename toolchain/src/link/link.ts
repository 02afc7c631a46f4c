import { parseObject } from '../elf/object-file.ts';
import { LinkError } from '../errors.ts';
import { collectLive } from './resolve.ts';
import { writeSbpfV0 } from './sbpf-v0.ts';
import { writeSbpfV3 } from './sbpf-v3.ts';
import { KNOWN_SYSCALLS, syscallsByHash } from './syscalls.ts';

/** SBPF versions the linker writes: v0 (lenient loader, the default) and v3 (strict loader). */
export type SbpfVersion = 0 | 3;

/** Options of {@link linkSbpf}. */
export interface LinkOptions {
  sbpfVersion?: SbpfVersion;
  /** The entry symbol; `entrypoint` by default. */
  entry?: string;
  /** Syscall names beyond the built-in list (imports and static syscalls). */
  extraSyscalls?: string[];
}

/** What the linker produced. */
export interface LinkReport {
  sbpfVersion: SbpfVersion;
  bytes: number;
  textBytes: number;
  rodataBytes: number;
  internalCalls: number;
  callx: number;
  staticSyscalls: number;
  syscalls: string[];
}

/**
 * Links upstream-LLVM BPF relocatable objects into a Solana program (`.so`).
 * Throws {@link LinkError} for anything the SBPF loaders would refuse.
 */
export function linkSbpf(
  inputs: { name: string; bytes: Buffer }[],
  options: LinkOptions = {},
): { so: Buffer; report: LinkReport } {
  if (!inputs.length) throw new LinkError('no input objects');
  const version = options.sbpfVersion ?? 0;
  if (version !== 0 && version !== 3) throw new LinkError(`SBPF v${version} is not supported (v0 or v3)`);
  const objects = inputs.map((i) => parseObject(i.bytes, i.name));
  const live = collectLive(objects, options.entry ?? 'entrypoint', new Set([...KNOWN_SYSCALLS, ...(options.extraSyscalls ?? [])]));
  const names = syscallsByHash(options.extraSyscalls);
  return version === 3 ? writeSbpfV3(live, names) : writeSbpfV0(live, names);
}
