import { TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID, getMint } from '@solana/spl-token';
import { SystemProgram } from '@solana/web3.js';
import { BN } from '@coral-xyz/anchor';
import { beforeEach, describe, expect, it } from 'vitest';
import { decodeEvents } from '../src/index.ts';
import { expectAnchorError } from './anchor-errors.ts';
import { DECIMALS, EconomyFixture, WHOLE } from './economy-fixture.ts';

describe('economy mints', () => {
  let f: EconomyFixture;
  beforeEach(async () => {
    f = new EconomyFixture();
    await f.initConfig();
  });

  for (const [label, tokenProgram] of [
    ['SPL Token', TOKEN_PROGRAM_ID],
    ['Token-2022', TOKEN_2022_PROGRAM_ID],
  ] as const) {
    it(`program mode (${label}): fixed $UBC supply minted once, then no mint authority; $COMPUTE minted by the program's PDA`, async () => {
      const { ubcMint, computeMint, genesis } = await f.programMints(tokenProgram, 21_000_000n * WHOLE);
      const ubc = await getMint(f.provider.connection, ubcMint, 'confirmed', tokenProgram);
      expect(ubc.supply).toBe(21_000_000n * WHOLE);
      expect(ubc.mintAuthority).toBeNull();
      expect(ubc.decimals).toBe(DECIMALS);
      expect(await f.balance(genesis, tokenProgram)).toBe(21_000_000n * WHOLE);
      const compute = await getMint(f.provider.connection, computeMint, 'confirmed', tokenProgram);
      expect(compute.mintAuthority?.toBase58()).toBe(f.client.addresses.authority.toBase58());
      expect(compute.supply).toBe(0n);
      const config = (await f.client.fetchConfig())!;
      expect(config.mintMode).toEqual({ programMints: {} });
      expect(config.genesisMinted).toBe(true);
      expect(decodeEvents(f.program, f.provider.last!.logs)).toMatchObject([{ name: 'ubcGenesisMinted' }]);
    });
  }

  it('mints the $UBC genesis supply only once', async () => {
    const { ubcMint, genesis, tokenProgram } = await f.programMints();
    await expectAnchorError(
      () => f.program.methods.ubcGenesis(new BN(1)).accounts({ admin: f.admin, ubcMint, destination: genesis, tokenProgram }).rpc(),
      'CannotMintGenesisTwice',
      6019,
    );
  });

  it('sets the mints only once, in either mode', async () => {
    await f.programMints();
    await expectAnchorError(() => f.existingMints(), 'MintsAlreadySet', 6005);
    await expectAnchorError(
      () => f.program.methods.mintsCreate(DECIMALS, DECIMALS).accounts({ admin: f.admin, tokenProgram: TOKEN_PROGRAM_ID }).rpc(),
      'MintsAlreadySet',
      6005,
    );
  });

  it('existing mode: adopts mints whose authority it does not hold and creates both vaults', async () => {
    const { ubcMint, computeMint, mintAuthority } = await f.existingMints();
    const config = (await f.client.fetchConfig())!;
    expect(config.mintMode).toEqual({ existingMints: {} });
    expect([config.ubcMint.toBase58(), config.computeMint.toBase58()]).toEqual([ubcMint.toBase58(), computeMint.toBase58()]);
    expect((await getMint(f.provider.connection, computeMint)).mintAuthority?.toBase58()).toBe(mintAuthority.publicKey.toBase58());
    expect(await f.balance(f.client.addresses.rewardsVault)).toBe(0n);
    expect(await f.balance(f.client.addresses.stakeVault)).toBe(0n);
  });

  it('genesis minting is only for program mints', async () => {
    const { ubcMint, tokenProgram } = await f.existingMints();
    const destination = f.tokenAccount(f.admin, ubcMint);
    await expectAnchorError(
      () => f.program.methods.ubcGenesis(new BN(1)).accounts({ admin: f.admin, ubcMint, destination, tokenProgram }).rpc(),
      'MintModeMismatch',
      6020,
    );
  });

  it('refuses an arbitrary program as the token program', async () => {
    await expectAnchorError(
      () => f.program.methods.mintsCreate(DECIMALS, DECIMALS).accounts({ admin: f.admin, tokenProgram: SystemProgram.programId }).rpc(),
      'InvalidProgramId',
      3008,
    );
  });

  it('lets only the admin set the mints', async () => {
    const stranger = f.user();
    await expectAnchorError(
      () => stranger.program.methods.mintsCreate(DECIMALS, DECIMALS).accounts({ admin: stranger.publicKey, tokenProgram: TOKEN_PROGRAM_ID }).rpc(),
      'AdminMismatch',
      6002,
    );
  });
});
