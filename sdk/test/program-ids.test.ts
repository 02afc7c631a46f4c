import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { Keypair, PublicKey } from '@solana/web3.js';
import { LiteSVM } from 'litesvm';
import { PROGRAM_IDS, configAddress, defaultParams, economyIdl, economyProgram, marketplaceIdl } from '../src/index.ts';
import { LiteSvmProvider, programKeypair } from '../src/litesvm/index.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('program ids', () => {
  const anchorToml = parse(readFileSync(path.join(root, 'Anchor.toml'), 'utf8')) as { programs: { localnet: Record<string, string> } };

  it('are the ones Anchor.toml names, for every program', () => {
    const sdk = Object.fromEntries(Object.entries(PROGRAM_IDS).map(([name, id]) => [name, id.toBase58()]));
    expect(sdk).toEqual(anchorToml.programs.localnet);
  });

  it('match the committed localnet program keypairs', () => {
    for (const [name, id] of Object.entries(PROGRAM_IDS)) {
      expect(programKeypair(name as keyof typeof PROGRAM_IDS).publicKey.toBase58()).toBe(id.toBase58());
    }
  });

  it('pin only canonical PDAs: every account with both seeds and an address in the IDL is the canonical PDA of its seeds', () => {
    // Programs check their singleton PDAs (`known(...)`) against compile-time addresses of a written-down
    // bump; a non-canonical bump would give another address than findProgramAddressSync. The IDL is
    // generated from those constants, and the test command's verifiable-build check fails when the
    // committed IDL differs from what the source builds.
    type Seed = { kind: string; value?: number[] };
    type Account = { name: string; address?: string; pda?: { seeds: Seed[] } };
    let checked = 0;
    for (const idl of [economyIdl, marketplaceIdl] as unknown as { address: string; instructions: { name: string; accounts: Account[] }[] }[]) {
      for (const ix of idl.instructions) {
        for (const a of ix.accounts) {
          if (!a.address || !a.pda) continue;
          expect(a.pda.seeds.every((s) => s.kind === 'const'), `${ix.name}.${a.name}`).toBe(true);
          const [pda] = PublicKey.findProgramAddressSync(a.pda.seeds.map((s) => Buffer.from(s.value!)), new PublicKey(idl.address));
          expect(a.address, `${ix.name}.${a.name}`).toBe(pda.toBase58());
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(8);
  });

  it('derive the same config PDA as Anchor resolves from the IDL seeds', async () => {
    const provider = LiteSvmProvider.withFundedWallet(new LiteSVM());
    const ix = await economyProgram(provider)
      .methods.configInit(Keypair.generate().publicKey, defaultParams(9))
      .accounts({ admin: provider.publicKey })
      .instruction();
    expect(ix.keys[0]!.pubkey.toBase58()).toBe(configAddress()[0].toBase58());
  });
});
