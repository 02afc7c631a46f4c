import { BN } from '@coral-xyz/anchor';
import { address } from '@solana/kit';
import { type PublicKey, Transaction } from '@solana/web3.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { decodeEvents, positionAddress } from '../src/index.ts';
import { expectAnchorError } from './anchor-errors.ts';
import { EconomyFixture, WHOLE } from './economy-fixture.ts';

const DAY = 86_400;

for (const mode of ['program mints', 'existing mints'] as const) {
  describe(`staking (${mode})`, () => {
    let f: EconomyFixture;
    let ubcMint: PublicKey;
    let computeMint: PublicKey;
    let staker: ReturnType<EconomyFixture['user']>;
    let ubc: PublicKey;
    let compute: PublicKey;
    /** Funds the rewards vault (existing mints); program mints need none. */
    let fundRewards: (amount: bigint) => void;

    beforeEach(async () => {
      f = new EconomyFixture();
      await f.initConfig();
      staker = f.user();
      if (mode === 'program mints') {
        const m = await f.programMints();
        ({ ubcMint, computeMint } = m);
        ubc = f.tokenAccount(staker.publicKey, ubcMint);
        const { createTransferCheckedInstruction } = await import('@solana/spl-token');
        f.provider.execute(new Transaction().add(createTransferCheckedInstruction(m.genesis, ubcMint, ubc, f.admin, 10_000n * WHOLE, 9)));
        fundRewards = () => {};
      } else {
        const m = await f.existingMints();
        ({ ubcMint, computeMint } = m);
        ubc = f.tokenAccount(staker.publicKey, ubcMint);
        f.mintTo(ubcMint, ubc, 10_000n * WHOLE, m.mintAuthority);
        fundRewards = (amount) => f.mintTo(computeMint, f.client.addresses.rewardsVault, amount, m.mintAuthority);
      }
      compute = f.tokenAccount(staker.publicKey, computeMint);
    });

    const deposit = (positionId: number, tier: 'flexible' | 'days90' | 'days165' | 'days365', amount: bigint) =>
      staker.client.stakeDeposit({ owner: staker.publicKey, source: ubc, positionId, tier, amount });
    const claim = (positionId: number) => staker.client.stakeClaim({ owner: staker.publicKey, destination: compute, positionId });
    const unlock = (positionId: number) => staker.client.stakeUnlock({ owner: staker.publicKey, positionId });
    const withdraw = (positionId: number) => staker.client.stakeWithdraw({ owner: staker.publicKey, destination: ubc, positionId });

    it('stake_deposit moves $UBC into the vault as a position with its tier rate', async () => {
      await deposit(1, 'days90', 1_000n * WHOLE);
      const position = (await f.client.fetchPosition(staker.publicKey, 1))!;
      expect(position.amount.toString()).toBe((1_000n * WHOLE).toString());
      expect(position.rate.toString()).toBe('300000000');
      expect(position.tier).toEqual({ days90: {} });
      expect(position.lockupEndTs.toNumber() - position.startTs.toNumber()).toBe(90 * DAY);
      expect(await f.balance(f.client.addresses.stakeVault)).toBe(1_000n * WHOLE);
      expect(await f.balance(ubc)).toBe(9_000n * WHOLE);
      expect((await f.client.fetchConfig())!.totalStaked.toString()).toBe((1_000n * WHOLE).toString());
      const [event] = decodeEvents(staker.program, staker.provider.last!.logs);
      expect(event).toMatchObject({ name: 'stakeDeposited' });
      expect(String(event!.data.totalStaked)).toBe((1_000n * WHOLE).toString());
    });

    it('an owner may hold several positions, each with its own tier', async () => {
      await deposit(1, 'flexible', 100n * WHOLE);
      await deposit(2, 'days365', 200n * WHOLE);
      expect((await f.client.fetchPosition(staker.publicKey, 2))!.tier).toEqual({ days365: {} });
      expect((await f.client.fetchConfig())!.totalStaked.toString()).toBe((300n * WHOLE).toString());
      await expectAnchorError(() => deposit(1, 'days90', 1n), 'AccountDiscriminatorAlreadySet', 3000);
    });

    it('stake_claim pays 0.3 $COMPUTE per day per 1,000 $UBC on the 90-day tier, rounded down, without drift', async () => {
      fundRewards(1_000n * WHOLE);
      await deposit(1, 'days90', 1_000n * WHOLE);
      f.warp(DAY);
      await claim(1);
      expect(await f.balance(compute)).toBe(300_000_000n);
      // Claiming in pieces pays the same as claiming once
      for (let i = 0; i < 5; i++) {
        f.warp(DAY / 5 + 1);
        await claim(1);
      }
      const position = (await f.client.fetchPosition(staker.publicKey, 1))!;
      const elapsed = BigInt(f.now()) - BigInt(position.startTs.toString());
      const expected = (1_000n * WHOLE * 300_000_000n * elapsed) / (86_400n * 1_000n * WHOLE);
      expect(await f.balance(compute)).toBe(expected);
      expect(position.claimed.toString()).toBe(expected.toString());
      expect((await f.client.fetchConfig())!.totalYieldPaid.toString()).toBe(expected.toString());
    });

    it('stake_unlock waits for the lockup; a flexible stake unlocks at once and withdraws after the cooldown', async () => {
      fundRewards(1_000n * WHOLE);
      await deposit(1, 'days90', 100n * WHOLE);
      await deposit(2, 'flexible', 100n * WHOLE);
      await expectAnchorError(() => unlock(1), 'LockupNotEnded', 6010);
      await expectAnchorError(() => withdraw(2), 'StakeNotUnlocked', 6012);
      await unlock(2);
      await expectAnchorError(() => unlock(2), 'CannotUnlockTwice', 6011);
      await expectAnchorError(() => withdraw(2), 'CooldownNotEnded', 6013);
      f.warp(DAY);
      await withdraw(2);
      expect(await f.client.fetchPosition(staker.publicKey, 2)).toBeNull();
      f.warp(90 * DAY);
      await unlock(1);
      await expectAnchorError(() => withdraw(1), 'YieldUnclaimed', 6022);
      await claim(1);
      await withdraw(1);
      expect(await f.balance(ubc)).toBe(10_000n * WHOLE);
      expect(await f.balance(f.client.addresses.stakeVault)).toBe(0n);
      expect((await f.client.fetchConfig())!.totalStaked.toString()).toBe('0');
    });

    it('stake_withdraw closes the position and returns its rent to the owner', async () => {
      await deposit(1, 'flexible', 100n * WHOLE);
      const position = positionAddress(staker.publicKey, 1);
      const rent = f.provider.svm.getBalance(address(position.toBase58()))!;
      expect(rent).toBeGreaterThan(0n);
      await unlock(1);
      f.warp(DAY);
      const before = f.provider.svm.getBalance(address(staker.publicKey.toBase58()))!;
      await withdraw(1);
      const after = f.provider.svm.getBalance(address(staker.publicKey.toBase58()))!;
      expect(after - before + 5_000n).toBe(rent); // the transaction fee is 5,000 lamports
      expect(f.provider.svm.getAccount(address(position.toBase58())).exists).toBe(false);
    });

    it('the pause stops deposits but never unlocking, claiming or withdrawing', async () => {
      fundRewards(1_000n * WHOLE);
      await deposit(1, 'flexible', 100n * WHOLE);
      await f.program.methods.pauseSet(true).accounts({ admin: f.admin }).rpc();
      await expectAnchorError(() => deposit(2, 'flexible', 1n), 'CannotWhilePaused', 6004);
      f.warp(DAY);
      await unlock(1);
      await claim(1);
      f.warp(DAY);
      await withdraw(1);
      expect(await f.balance(ubc)).toBe(10_000n * WHOLE);
    });

    it("refuses a position that is not the signer's", async () => {
      await deposit(1, 'flexible', 100n * WHOLE);
      const thief = f.user();
      const ix = await thief.program.methods
        .stakeUnlock(new BN(1))
        .accounts({ owner: thief.publicKey })
        .instruction();
      ix.keys[2]!.pubkey = positionAddress(staker.publicKey, 1);
      await expectAnchorError(() => thief.provider.execute(new Transaction().add(ix)), 'PositionOwnerMismatch', 6021);
    });

    it('refuses a vault or authority other than the ones the config stored', async () => {
      fundRewards(1_000n * WHOLE);
      await deposit(1, 'flexible', 100n * WHOLE);
      const decoy = f.tokenAccount(staker.publicKey, ubcMint);
      // A deposit into a token account the staker controls instead of the vault
      const ix = await staker.program.methods
        .stakeDeposit(new BN(2), { flexible: {} }, new BN(1))
        .accounts({ owner: staker.publicKey, source: ubc, ubcMint, tokenProgram: (await f.client.fetchConfig())!.ubcTokenProgram })
        .instruction();
      ix.keys[4]!.pubkey = decoy;
      await expectAnchorError(() => staker.provider.execute(new Transaction().add(ix)), 'ConstraintAddress', 2012);
      // A withdrawal signed by a look-alike authority
      await unlock(1);
      f.warp(DAY);
      const w = await staker.program.methods
        .stakeWithdraw(new BN(1))
        .accounts({ owner: staker.publicKey, destination: ubc, ubcMint, tokenProgram: (await f.client.fetchConfig())!.ubcTokenProgram })
        .instruction();
      w.keys[6]!.pubkey = staker.publicKey;
      await expectAnchorError(() => staker.provider.execute(new Transaction().add(w)), 'ConstraintAddress', 2012);
    });

    it('signs with the stored canonical bump: a forged bump cannot move the vault', async () => {
      await deposit(1, 'flexible', 100n * WHOLE);
      await unlock(1);
      f.warp(DAY);
      // Given a config whose stored authority bump is not the canonical one
      const configKey = f.client.addresses.config;
      const raw = f.provider.svm.getAccount(address(configKey.toBase58()));
      if (!raw.exists) throw new Error('no config');
      const data = Uint8Array.from(raw.data);
      const bumpOffset = authorityBumpOffset(data, f.client.addresses.authority);
      data[bumpOffset] = (data[bumpOffset]! + 255) % 256;
      f.provider.svm.setAccount({ ...raw, data, space: BigInt(data.length) });
      // Then the vault cannot be signed for, and nothing moves
      await expect(withdraw(1)).rejects.toThrow(/signer|privilege|seeds/i);
      expect(await f.balance(f.client.addresses.stakeVault)).toBe(100n * WHOLE);
    });

    it('refuses a source of another mint, another owner, or zero', async () => {
      const other = f.tokenAccount(staker.publicKey, computeMint);
      await expectAnchorError(() => staker.client.stakeDeposit({ owner: staker.publicKey, source: other, positionId: 1, tier: 'flexible', amount: 1n }), 'ConstraintTokenMint', 2014);
      const someoneElses = f.tokenAccount(f.admin, ubcMint);
      await expectAnchorError(() => staker.client.stakeDeposit({ owner: staker.publicKey, source: someoneElses, positionId: 1, tier: 'flexible', amount: 1n }), 'ConstraintTokenOwner', 2015);
      await expectAnchorError(() => deposit(1, 'flexible', 0n), 'InvalidAmount', 6009);
    });

    it('refuses a token program that is not the mint\'s', async () => {
      const config = (await f.client.fetchConfig())!;
      await expectAnchorError(
        () =>
          staker.program.methods
            .stakeDeposit(new BN(1), { flexible: {} }, new BN(1))
            .accounts({ owner: staker.publicKey, source: ubc, ubcMint: config.ubcMint, tokenProgram: f.client.addresses.authority })
            .rpc(),
        'TokenProgramMismatch',
        6008,
      );
    });

    it('token_burn burns the owner\'s $COMPUTE and counts it', async () => {
      fundRewards(1_000n * WHOLE);
      await deposit(1, 'days365', 1_000n * WHOLE);
      f.warp(10 * DAY);
      await claim(1);
      const earned = await f.balance(compute);
      expect(earned).toBe(10n * WHOLE);
      const supplyBefore = await f.supply(computeMint);
      await staker.client.tokenBurn({ owner: staker.publicKey, source: compute, amount: 4n * WHOLE });
      expect(await f.balance(compute)).toBe(6n * WHOLE);
      expect(await f.supply(computeMint)).toBe(supplyBefore - 4n * WHOLE);
      expect((await f.client.fetchConfig())!.totalBurned.toString()).toBe((4n * WHOLE).toString());
      const [event] = decodeEvents(staker.program, staker.provider.last!.logs);
      expect(event).toMatchObject({ name: 'tokensBurned' });
      await expectAnchorError(() => staker.client.tokenBurn({ owner: staker.publicKey, source: compute, amount: 0n }), 'InvalidAmount', 6009);
    });
  });
}

describe('staking yield from a rewards vault (existing mints)', () => {
  it('running dry is a clear error and pays nothing, never part', async () => {
    const f = new EconomyFixture();
    await f.initConfig();
    const m = await f.existingMints();
    const staker = f.user();
    const ubc = f.tokenAccount(staker.publicKey, m.ubcMint);
    const compute = f.tokenAccount(staker.publicKey, m.computeMint);
    f.mintTo(m.ubcMint, ubc, 1_000n * WHOLE, m.mintAuthority);
    f.mintTo(m.computeMint, f.client.addresses.rewardsVault, 100_000_000n, m.mintAuthority); // 0.1 $COMPUTE
    await staker.client.stakeDeposit({ owner: staker.publicKey, source: ubc, positionId: 7, tier: 'days90', amount: 1_000n * WHOLE });
    f.warp(DAY); // 0.3 $COMPUTE due
    await expectAnchorError(() => staker.client.stakeClaim({ owner: staker.publicKey, destination: compute, positionId: 7 }), 'RewardsVaultInsufficient', 6014);
    expect(await f.balance(compute)).toBe(0n);
    expect(await f.balance(f.client.addresses.rewardsVault)).toBe(100_000_000n);
    expect((await f.client.fetchPosition(staker.publicKey, 7))!.claimed.toString()).toBe('0');
    // Topped up, the whole amount is paid
    f.mintTo(m.computeMint, f.client.addresses.rewardsVault, 1_000_000_000n, m.mintAuthority);
    await staker.client.stakeClaim({ owner: staker.publicKey, destination: compute, positionId: 7 });
    expect(await f.balance(compute)).toBe(300_000_000n);
  });
});

/** Where the authority bump sits in config data: the byte after the stored authority address. */
function authorityBumpOffset(data: Uint8Array, authority: PublicKey): number {
  const key = authority.toBytes();
  for (let i = 8; i + 32 < data.length; i++) {
    if (key.every((b, j) => data[i + j] === b)) return i + 32;
  }
  throw new Error('authority not found in config data');
}
