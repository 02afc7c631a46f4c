import { readFileSync } from 'node:fs';
import path from 'node:path';
import { address } from '@solana/kit';
import { createTransferCheckedInstruction } from '@solana/spl-token';
import { Keypair, PublicKey, Transaction, TransactionInstruction } from '@solana/web3.js';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MARKETPLACE_CALLER, PROGRAM_IDS, decodeEvents } from '@spicetime/sdk';
import { buildProgram } from '../../toolchain/src/build/program-build.ts';
import { REPO_ROOT } from '../../toolchain/src/build/workspace.ts';
import { expectAnchorError } from '../../sdk/test/anchor-errors.ts';
import { DECIMALS, EconomyFixture, WHOLE } from '../../sdk/test/economy-fixture.ts';

// The economy program's marketplace-only entry points, called the way the marketplace program
// will: through a CPI signed with its PDA ["economy_caller"]. programs/abi/probe-marketplace stands
// in for the marketplace (it forwards one instruction and signs with its own PDA), deployed at the
// reserved marketplace id and, to show that nothing else will do, at another id.
const MARKETPLACE_ID = Keypair.fromSecretKey(
  Uint8Array.from(JSON.parse(readFileSync(path.join(REPO_ROOT, 'programs/keys/marketplace-keypair.json'), 'utf8')) as number[]),
).publicKey;
const IMPOSTOR_ID = Keypair.fromSeed(new Uint8Array(32).fill(7)).publicKey;
const DAY = 86_400;

let probeSo: Buffer;
beforeAll(async () => {
  probeSo = (await buildProgram({ cargoDir: path.join(REPO_ROOT, 'programs'), crate: 'abi-probe-marketplace' })).so;
});

/** The economy instruction `ix` wrapped in a call of the probe at `probe`, which signs for its own `["economy_caller"]`. */
function viaProbe(ix: TransactionInstruction, probe = MARKETPLACE_ID): TransactionInstruction {
  const keys = ix.keys.map((k) => ({ ...k, isSigner: k.pubkey.equals(MARKETPLACE_CALLER) ? false : k.isSigner }));
  return new TransactionInstruction({ programId: probe, keys: [{ pubkey: ix.programId, isSigner: false, isWritable: false }, ...keys], data: ix.data });
}

/** A chain with the economy, the probe at the marketplace id and at another id, and a provider with 1,000 $UBC of collateral. */
async function setup(mode: 'program mints' | 'existing mints') {
  const f = new EconomyFixture();
  f.provider.svm.addProgram(address(MARKETPLACE_ID.toBase58()), probeSo);
  f.provider.svm.addProgram(address(IMPOSTOR_ID.toBase58()), probeSo);
  await f.initConfig();
  const provider = f.user();
  let fundCompute: (to: PublicKey, amount: bigint) => Promise<void>;
  let ubcMint: PublicKey;
  let computeMint: PublicKey;
  let ubc: PublicKey;
  if (mode === 'program mints') {
    const m = await f.programMints();
    ({ ubcMint, computeMint } = m);
    ubc = f.tokenAccount(provider.publicKey, ubcMint);
    f.provider.execute(new Transaction().add(createTransferCheckedInstruction(m.genesis, ubcMint, ubc, f.admin, 10_000n * WHOLE, DECIMALS)));
    // $COMPUTE exists only as the program mints it: a marketplace reward
    fundCompute = async (to, amount) => void send(f, await f.client.marketplace.rewardPay({ destination: to, amount }));
  } else {
    const m = await f.existingMints();
    ({ ubcMint, computeMint } = m);
    ubc = f.tokenAccount(provider.publicKey, ubcMint);
    f.mintTo(ubcMint, ubc, 10_000n * WHOLE, m.mintAuthority);
    fundCompute = async (to, amount) => f.mintTo(computeMint, to, amount, m.mintAuthority);
  }
  await provider.client.collateralDeposit({ provider: provider.publicKey, source: ubc, amount: 1_000n * WHOLE });
  return { f, provider, ubc, ubcMint, computeMint, fundCompute };
}

/** Sends `ix` through the probe at `probe`, paid by the admin (who signs nothing else). */
function send(f: EconomyFixture, ix: TransactionInstruction, probe = MARKETPLACE_ID) {
  return f.provider.execute(new Transaction().add(viaProbe(ix, probe)));
}

const collateralOf = async (f: EconomyFixture, provider: PublicKey) => {
  const c = (await f.client.fetchCollateral(provider))!;
  return { amount: BigInt(c.amount.toString()), openJobs: Number(c.openJobs.toString()), unlockRequestedTs: Number(c.unlockRequestedTs.toString()) };
};

describe('economy ⇄ marketplace CPI', () => {
  it('the economy pins the canonical ["economy_caller"] PDA of the reserved marketplace id', () => {
    const [pda, bump] = PublicKey.findProgramAddressSync([Buffer.from('economy_caller')], MARKETPLACE_ID);
    expect(MARKETPLACE_CALLER.toBase58()).toBe(pda.toBase58());
    expect(bump).toBe(253); // MARKETPLACE_CALLER_BUMP in programs/economy/src/marketplace.rs
  });

  describe('collateral locks', () => {
    let s: Awaited<ReturnType<typeof setup>>;
    beforeEach(async () => {
      s = await setup('program mints');
    });

    it('the marketplace locks and releases; open jobs block unlock and withdrawal, the pause does not', async () => {
      const { f, provider, ubc } = s;
      const lock = () => f.client.marketplace.collateralLock({ provider: provider.publicKey });
      const release = () => f.client.marketplace.collateralRelease({ provider: provider.publicKey });
      // Given the provider asked to leave
      await provider.client.collateralUnlock({ provider: provider.publicKey });
      // When the marketplace locks two jobs
      send(f, await lock());
      const [event] = decodeEvents(f.program, f.provider.last!.logs);
      expect(event).toMatchObject({ name: 'collateralLocked' });
      expect(String(event!.data.openJobs)).toBe('1');
      send(f, await lock());
      // Then the pending unlock is cancelled and nothing can leave
      expect(await collateralOf(f, provider.publicKey)).toEqual({ amount: 1_000n * WHOLE, openJobs: 2, unlockRequestedTs: 0 });
      f.warp(DAY);
      await expectAnchorError(() => provider.client.collateralUnlock({ provider: provider.publicKey }), 'CannotWhileJobsOpen', 6023);
      await expectAnchorError(() => provider.client.collateralWithdraw({ provider: provider.publicKey, destination: ubc, amount: 1n }), 'CannotWhileJobsOpen', 6023);
      // When both jobs are released
      send(f, await release());
      send(f, await release());
      expect(String(decodeEvents(f.program, f.provider.last!.logs)[0]!.data.openJobs)).toBe('0');
      await expectAnchorError(async () => send(f, await release()), 'NoOpenJobs', 6027);
      // Then the provider can leave, even while the program is paused
      await provider.client.collateralUnlock({ provider: provider.publicKey });
      await f.program.methods.pauseSet(true).accounts({ admin: f.admin }).rpc();
      f.warp(DAY);
      await provider.client.collateralWithdraw({ provider: provider.publicKey, destination: ubc, amount: 1_000n * WHOLE });
      expect(await f.balance(ubc)).toBe(10_000n * WHOLE);
      expect(await f.client.fetchCollateral(provider.publicKey)).toBeNull();
    });

    it('refuses a lock on an account that is not the provider\'s collateral', async () => {
      const { f, provider } = s;
      const ix = await f.client.marketplace.collateralLock({ provider: f.admin });
      await expectAnchorError(() => send(f, ix), 'AccountNotInitialized', 3012);
      ix.keys[2]!.pubkey = (await f.client.marketplace.collateralLock({ provider: provider.publicKey })).keys[2]!.pubkey;
      await expectAnchorError(() => send(f, ix), 'CollateralProviderMismatch', 6028);
    });
  });

  describe('collateral_slash', () => {
    let s: Awaited<ReturnType<typeof setup>>;
    let challenger: PublicKey;
    let treasury: PublicKey;
    beforeEach(async () => {
      s = await setup('program mints');
      challenger = s.f.tokenAccount(Keypair.generate().publicKey, s.ubcMint);
      treasury = s.f.tokenAccount(s.f.treasury, s.ubcMint);
    });
    const slash = (amount: bigint, challengerBps: number, over: Partial<{ challenger: PublicKey; treasury: PublicKey }> = {}) =>
      s.f.client.marketplace.collateralSlash({ provider: s.provider.publicKey, challenger, treasury, amount, challengerBps, ...over });

    it('splits the slashed amount between challenger and treasury to the base unit, and conserves $UBC', async () => {
      const { f, provider, ubc } = s;
      const everything = async () => (await f.balance(ubc)) + (await f.balance(challenger)) + (await f.balance(treasury)) + (await f.balance(f.client.addresses.stakeVault));
      const before = await everything();
      send(f, await slash(300n * WHOLE + 3n, 2_500));
      // 25% of 300.000000003 rounds down to the challenger; the treasury gets the rest
      const toChallenger = ((300n * WHOLE + 3n) * 2_500n) / 10_000n;
      expect(await f.balance(challenger)).toBe(toChallenger);
      expect(await f.balance(treasury)).toBe(300n * WHOLE + 3n - toChallenger);
      expect(await f.balance(f.client.addresses.stakeVault)).toBe(700n * WHOLE - 3n);
      expect(await everything()).toBe(before);
      expect((await collateralOf(f, provider.publicKey)).amount).toBe(700n * WHOLE - 3n);
      const config = (await f.client.fetchConfig())!;
      expect([config.totalCollateral.toString(), config.totalSlashed.toString()]).toEqual([(700n * WHOLE - 3n).toString(), (300n * WHOLE + 3n).toString()]);
      const [event] = decodeEvents(f.program, f.provider.last!.logs);
      expect(event).toMatchObject({ name: 'collateralSlashed' });
      expect(String(event!.data.challengerAmount)).toBe(toChallenger.toString());
      expect(String(event!.data.totalSlashed)).toBe((300n * WHOLE + 3n).toString());
      // All to the treasury, all to the challenger, and never more than there is
      send(f, await slash(1n, 0));
      send(f, await slash(1n, 10_000));
      await expectAnchorError(async () => send(f, await slash(700n * WHOLE, 5_000)), 'CollateralInsufficient', 6025);
      expect(await everything()).toBe(before);
    });

    it('slashes while paused and leaves job locks to the marketplace', async () => {
      const { f, provider } = s;
      send(f, await f.client.marketplace.collateralLock({ provider: provider.publicKey }));
      await f.program.methods.pauseSet(true).accounts({ admin: f.admin }).rpc();
      send(f, await slash(10n, 5_000));
      expect(await collateralOf(f, provider.publicKey)).toMatchObject({ amount: 1_000n * WHOLE - 10n, openJobs: 1 });
    });

    it('checks the split, the accounts and the token program', async () => {
      const { f, provider, computeMint } = s;
      await expectAnchorError(async () => send(f, await slash(1n, 10_001)), 'SlashBpsExceeded', 6029);
      await expectAnchorError(async () => send(f, await slash(1n, 0, { treasury: challenger })), 'ConstraintDuplicateMutableAccount', 2040);
      const notTreasury = f.tokenAccount(provider.publicKey, s.ubcMint);
      await expectAnchorError(async () => send(f, await slash(1n, 0, { treasury: notTreasury })), 'ConstraintTokenOwner', 2015);
      const computeAccount = f.tokenAccount(provider.publicKey, computeMint);
      await expectAnchorError(async () => send(f, await slash(1n, 0, { challenger: computeAccount })), 'ConstraintTokenMint', 2014);
      await expectAnchorError(async () => send(f, await slash(0n, 0)), 'InvalidAmount', 6009);
      const wrongVault = await slash(1n, 0);
      wrongVault.keys[6]!.pubkey = f.tokenAccount(f.client.addresses.authority, s.ubcMint);
      await expectAnchorError(() => send(f, wrongVault), 'ConstraintAddress', 2012);
      const wrongProgram = await slash(1n, 0);
      wrongProgram.keys[9]!.pubkey = PROGRAM_IDS.economy;
      await expectAnchorError(() => send(f, wrongProgram), 'TokenProgramMismatch', 6008);
      expect((await collateralOf(f, provider.publicKey)).amount).toBe(1_000n * WHOLE);
    });
  });

  for (const mode of ['program mints', 'existing mints'] as const) {
    describe(`reward_pay and settlement_burn (${mode})`, () => {
      let s: Awaited<ReturnType<typeof setup>>;
      beforeEach(async () => {
        s = await setup(mode);
      });

      it('reward_pay pays the provider in $COMPUTE, all or nothing', async () => {
        const { f, provider, computeMint, fundCompute } = s;
        const compute = f.tokenAccount(provider.publicKey, computeMint);
        if (mode === 'existing mints') await fundCompute(f.client.addresses.rewardsVault, 5n * WHOLE);
        const supply = await f.supply(computeMint);
        send(f, await f.client.marketplace.rewardPay({ destination: compute, amount: 3n * WHOLE }));
        expect(await f.balance(compute)).toBe(3n * WHOLE);
        const [event] = decodeEvents(f.program, f.provider.last!.logs);
        expect(event).toMatchObject({ name: 'providerRewarded' });
        expect((event!.data.recipient as PublicKey).toBase58()).toBe(provider.publicKey.toBase58());
        expect(String(event!.data.totalRewardsPaid)).toBe((3n * WHOLE).toString());
        expect((await f.client.fetchConfig())!.totalRewardsPaid.toString()).toBe((3n * WHOLE).toString());
        if (mode === 'program mints') {
          expect(await f.supply(computeMint)).toBe(supply + 3n * WHOLE);
        } else {
          // From the funded vault; running dry pays nothing at all
          expect(await f.balance(f.client.addresses.rewardsVault)).toBe(2n * WHOLE);
          await expectAnchorError(async () => send(f, await f.client.marketplace.rewardPay({ destination: compute, amount: 2n * WHOLE + 1n })), 'RewardsVaultInsufficient', 6014);
          expect(await f.balance(compute)).toBe(3n * WHOLE);
          expect(await f.supply(computeMint)).toBe(supply);
        }
        await expectAnchorError(async () => send(f, await f.client.marketplace.rewardPay({ destination: compute, amount: 0n })), 'InvalidAmount', 6009);
      });

      it('settlement_burn burns from the marketplace\'s account and counts it; supply falls by exactly the burn', async () => {
        const { f, provider, computeMint, fundCompute } = s;
        const escrow = f.tokenAccount(MARKETPLACE_CALLER, computeMint);
        await fundCompute(escrow, 10n * WHOLE);
        const supply = await f.supply(computeMint);
        send(f, await f.client.marketplace.settlementBurn({ source: escrow, amount: 4n * WHOLE }));
        expect(await f.balance(escrow)).toBe(6n * WHOLE);
        expect(await f.supply(computeMint)).toBe(supply - 4n * WHOLE);
        expect((await f.client.fetchConfig())!.totalBurned.toString()).toBe((4n * WHOLE).toString());
        const [event] = decodeEvents(f.program, f.provider.last!.logs);
        expect(event).toMatchObject({ name: 'tokensBurned' });
        expect(String(event!.data.totalBurned)).toBe((4n * WHOLE).toString());
        // Only from the marketplace's own account, only $COMPUTE, only through a token program
        const someoneElses = f.tokenAccount(provider.publicKey, computeMint);
        await fundCompute(someoneElses, 1n);
        await expectAnchorError(async () => send(f, await f.client.marketplace.settlementBurn({ source: someoneElses, amount: 1n })), 'ConstraintTokenOwner', 2015);
        const ubcEscrow = f.tokenAccount(MARKETPLACE_CALLER, s.ubcMint);
        await expectAnchorError(async () => send(f, await f.client.marketplace.settlementBurn({ source: ubcEscrow, amount: 1n })), 'ConstraintTokenMint', 2014);
        const wrongMint = await f.client.marketplace.settlementBurn({ source: escrow, amount: 1n });
        wrongMint.keys[3]!.pubkey = s.ubcMint;
        await expectAnchorError(() => send(f, wrongMint), 'MintMismatch', 6007);
        const wrongProgram = await f.client.marketplace.settlementBurn({ source: escrow, amount: 1n });
        wrongProgram.keys[4]!.pubkey = MARKETPLACE_ID;
        await expectAnchorError(() => send(f, wrongProgram), 'TokenProgramMismatch', 6008);
        expect(await f.balance(escrow)).toBe(6n * WHOLE);
      });
    });
  }

  for (const mode of ['program mints', 'existing mints'] as const) {
    it(`settlement_finish burns, rewards and releases in one call, or changes nothing (${mode})`, async () => {
      // Given a provider with one job locked and the marketplace's vault holding $COMPUTE
      const s = await setup(mode);
      const { f, provider, computeMint, fundCompute } = s;
      const mk = f.client.marketplace;
      send(f, await mk.collateralLock({ provider: provider.publicKey }));
      const vault = f.tokenAccount(MARKETPLACE_CALLER, computeMint);
      const paid = f.tokenAccount(provider.publicKey, computeMint);
      await fundCompute(vault, 10n * WHOLE);
      if (mode === 'existing mints') await fundCompute(f.client.addresses.rewardsVault, 5n * WHOLE);
      const supply = await f.supply(computeMint);
      const before = (await f.client.fetchConfig())!;

      // When the marketplace finishes a settlement burning 4 and rewarding 3
      send(f, await mk.settlementFinish({ provider: provider.publicKey, source: vault, destination: paid, burn: 4n * WHOLE, reward: 3n * WHOLE }));

      // Then all three happened, with their events
      expect(await f.balance(vault)).toBe(6n * WHOLE);
      expect(await f.balance(paid)).toBe(3n * WHOLE);
      expect(await f.supply(computeMint)).toBe(supply - 4n * WHOLE + (mode === 'program mints' ? 3n * WHOLE : 0n));
      expect((await collateralOf(f, provider.publicKey)).openJobs).toBe(0);
      const config = (await f.client.fetchConfig())!;
      expect(BigInt(config.totalBurned.toString()) - BigInt(before.totalBurned.toString())).toBe(4n * WHOLE);
      expect(BigInt(config.totalRewardsPaid.toString()) - BigInt(before.totalRewardsPaid.toString())).toBe(3n * WHOLE);
      expect(decodeEvents(f.program, f.provider.last!.logs).map((e) => e.name)).toEqual(['tokensBurned', 'providerRewarded', 'collateralReleased']);

      // And with no lock left, or a dry rewards vault, nothing at all happens
      await expectAnchorError(async () => send(f, await mk.settlementFinish({ provider: provider.publicKey, source: vault, destination: paid, burn: 1n, reward: 0n })), 'NoOpenJobs', 6027);
      if (mode === 'existing mints') {
        send(f, await mk.collateralLock({ provider: provider.publicKey }));
        await expectAnchorError(
          async () => send(f, await mk.settlementFinish({ provider: provider.publicKey, source: vault, destination: paid, burn: 1n, reward: 100n * WHOLE })),
          'RewardsVaultInsufficient',
          6014,
        );
        expect(await f.balance(vault)).toBe(6n * WHOLE);
        expect((await collateralOf(f, provider.publicKey)).openJobs).toBe(1);
      }
    });
  }

  describe('nobody else', () => {
    let s: Awaited<ReturnType<typeof setup>>;
    let instructions: [string, TransactionInstruction][];
    beforeEach(async () => {
      s = await setup('program mints');
      const { f, provider, ubcMint, computeMint } = s;
      const mk = f.client.marketplace;
      const escrow = f.tokenAccount(MARKETPLACE_CALLER, computeMint);
      send(f, await mk.rewardPay({ destination: escrow, amount: 10n }));
      instructions = [
        ['collateral_lock', await mk.collateralLock({ provider: provider.publicKey })],
        ['collateral_release', await mk.collateralRelease({ provider: provider.publicKey })],
        ['collateral_slash', await mk.collateralSlash({ provider: provider.publicKey, challenger: f.tokenAccount(f.admin, ubcMint), treasury: f.tokenAccount(f.treasury, ubcMint), amount: 1n, challengerBps: 5_000 })],
        ['reward_pay', await mk.rewardPay({ destination: f.tokenAccount(f.admin, computeMint), amount: 1n })],
        ['settlement_burn', await mk.settlementBurn({ source: escrow, amount: 1n })],
        ['settlement_finish', await mk.settlementFinish({ provider: provider.publicKey, source: escrow, destination: f.tokenAccount(f.admin, computeMint), burn: 1n, reward: 1n })],
      ];
    });

    const unchanged = async () => {
      const { f, provider } = s;
      expect(await collateralOf(f, provider.publicKey)).toEqual({ amount: 1_000n * WHOLE, openJobs: 0, unlockRequestedTs: 0 });
      const config = (await f.client.fetchConfig())!;
      expect([config.totalBurned.toString(), config.totalRewardsPaid.toString(), config.totalSlashed.toString()]).toEqual(['0', '10', '0']);
    };

    it('a direct call, even by the admin, fails', async () => {
      const { f } = s;
      for (const [name, ix] of instructions) {
        const i = ix.keys.findIndex((k) => k.pubkey.equals(MARKETPLACE_CALLER));
        ix.keys[i]!.isSigner = false;
        await expectAnchorError(() => f.provider.execute(new Transaction().add(ix)), 'AccountNotSigner', 3010).catch((e: unknown) => {
          throw new Error(`${name}: ${String(e)}`);
        });
      }
      await unchanged();
    });

    it('the same program at another id cannot sign for the marketplace PDA, and its own PDA is refused', async () => {
      const { f } = s;
      const [impostorCaller] = PublicKey.findProgramAddressSync([Buffer.from('economy_caller')], IMPOSTOR_ID);
      for (const [name, ix] of instructions) {
        // Forwarding the marketplace's PDA: the impostor cannot sign for it
        await expectAnchorError(() => send(f, ix, IMPOSTOR_ID), 'AccountNotSigner', 3010).catch((e: unknown) => {
          throw new Error(`${name}: ${String(e)}`);
        });
        // Its own PDA, which it can sign for, is not the marketplace's
        const own = new TransactionInstruction({ ...ix, keys: ix.keys.map((k) => (k.pubkey.equals(MARKETPLACE_CALLER) ? { ...k, pubkey: impostorCaller, isSigner: false } : k)) });
        await expectAnchorError(() => send(f, own, IMPOSTOR_ID), 'ConstraintAddress', 2012);
      }
      await unchanged();
    });
  });
});
