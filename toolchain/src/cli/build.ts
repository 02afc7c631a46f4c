#!/usr/bin/env -S npx tsx
/**
 * spicetime-build — builds the Solana programs under programs/ into SBPF .so files and Anchor IDLs.
 *
 *   spicetime-build [NAME…]          build (all by default) and write programs/deploy + programs/idl
 *   spicetime-build --check [NAME…]  rebuild and fail if the committed artifacts differ
 *   spicetime-build --sbpf-v3        write SBPF v3 programs to programs/target/deploy-v3 instead
 */
import path from 'node:path';
import { buildAll, checkArtifacts, writeArtifacts } from '../build/build-all.ts';
import { readWorkspace } from '../build/workspace.ts';
import { ToolchainError } from '../errors.ts';

const args = process.argv.slice(2);
const check = args.includes('--check');
const v3 = args.includes('--sbpf-v3');
const names = args.filter((a) => !a.startsWith('--'));

try {
  const ws = readWorkspace();
  const built = await buildAll({ names, sbpfVersion: v3 ? 3 : 0, workspace: ws });
  for (const b of built) {
    const { link, seconds } = b.build;
    console.log(
      `${b.name}: SBPF v${link.sbpfVersion} ${link.bytes} bytes (text ${link.textBytes}, rodata ${link.rodataBytes}), ` +
        `cargo ${seconds.cargo.toFixed(1)} s, backend ${seconds.backend.toFixed(2)} s`,
    );
  }
  if (check) {
    const files = await checkArtifacts(ws, built);
    console.log(`verifiable build: ${files.length} committed artifacts match the source`);
  } else {
    await writeArtifacts(ws, built, v3 ? path.join(ws.cargoDir, 'target/deploy-v3') : ws.deployDir);
  }
} catch (e) {
  if (e instanceof ToolchainError) {
    console.error(`error: ${e.message}`);
    process.exit(1);
  }
  throw e;
}
