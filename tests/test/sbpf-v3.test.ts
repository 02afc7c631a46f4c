import path from 'node:path';
import { Keypair, Transaction, TransactionInstruction } from '@solana/web3.js';
import { describe, expect, it } from 'vitest';
import { configAddress, decodeEvents, defaultParams, economyProgram } from '@spicetime/sdk';
import { LiteSvmProvider, deployUpgradeable, programKeypair } from '@spicetime/sdk/litesvm';
import { LiteSVM } from 'litesvm';
import { buildProgram } from '../../toolchain/src/build/program-build.ts';
import { REPO_ROOT } from '../../toolchain/src/build/workspace.ts';

describe('SBPF v3 builds', () => {
  it('build, deploy through the upgradeable loader and run through the Anchor client', async () => {
    // Given the economy program built as SBPF v3
    const built = await buildProgram({ cargoDir: path.join(REPO_ROOT, 'programs'), crate: 'economy', sbpfVersion: 3 });
    expect(built.so.readUInt32LE(48)).toBe(3); // e_flags
    expect(built.link.sbpfVersion).toBe(3);

    // When it is deployed with the loader's own instructions and called through Anchor
    const provider = LiteSvmProvider.withFundedWallet(new LiteSVM());
    deployUpgradeable(provider, programKeypair('economy'), built.so);
    const program = economyProgram(provider);
    await program.methods.configInit(Keypair.generate().publicKey, { ...defaultParams(9), burnBps: 10, treasuryFeeBps: 20 }).accounts({ admin: provider.publicKey }).rpc();

    // Then it behaves as the v0 build: state, event and errors
    const config = await program.account.config.fetch(configAddress()[0]);
    expect([config.params.burnBps, config.params.treasuryFeeBps]).toEqual([10, 20]);
    expect(decodeEvents(program, provider.last!.logs).map((e) => e.name)).toEqual(['configInitialized']);
    const bad = new TransactionInstruction({ programId: program.programId, keys: [], data: Buffer.alloc(8) });
    expect(() => provider.execute(new Transaction().add(bad))).toThrow(/InstructionFallbackNotFound/);
  });
});
