import { BN } from '@coral-xyz/anchor';
import { address } from '@solana/kit';
import { TOKEN_PROGRAM_ID, createTransferCheckedInstruction } from '@solana/spl-token';
import { Keypair, type PublicKey, Transaction, type TransactionInstruction } from '@solana/web3.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { MARKETPLACE_CALLER, PROGRAM_IDS, collateralAddress, decodeEvents } from '../src/index.ts';
import { expectAnchorError } from './anchor-errors.ts';
import { DECIMALS, EconomyFixture, WHOLE } from './economy-fixture.ts';

const DAY = 86_400;

for (const mode of ['program mints', 'existing mints'] as const) {
  describe(`provider collateral (${mode})`, () => {
    let f: EconomyFixture;
    let ubcMint: PublicKey;
    let computeMint: PublicKey;
    let provider: ReturnType<EconomyFixture['user']>;
    let ubc: PublicKey;

    beforeEach(async () => {
      f = new EconomyFixture();
      await f.initConfig();
      provider = f.user();
      if (mode === 'program mints') {
        const m = await f.programMints();
        ({ ubcMint, computeMint } = m);
        ubc = f.tokenAccount(provider.publicKey, ubcMint);
        f.provider.execute(new Transaction().add(createTransferCheckedInstruction(m.genesis, ubcMint, ubc, f.admin, 10_000n * WHOLE, DECIMALS)));
      } else {
        const m = await f.existingMints();
        ({ ubcMint, computeMint } = m);
        ubc = f.tokenAccount(provider.publicKey, ubcMint);
        f.mintTo(ubcMint, ubc, 10_000n * WHOLE, m.mintAuthority);
      }
    });

    const deposit = (amount: bigint) => provider.client.collateralDeposit({ provider: provider.publicKey, source: ubc, amount });
    const unlock = () => provider.client.collateralUnlock({ provider: provider.publicKey });
    const withdraw = (amount: bigint) => provider.client.collateralWithdraw({ provider: provider.publicKey, destination: ubc, amount });
    const totals = async () => {
      const c = (await f.client.fetchConfig())!;
      return { staked: BigInt(c.totalStaked.toString()), collateral: BigInt(c.totalCollateral.toString()) };
    };
    const send = (p: { provider: { execute: (tx: Transaction, s?: Keypair[]) => unknown } }, ix: TransactionInstruction, signers: Keypair[] = []) =>
      p.provider.execute(new Transaction().add(ix), signers);

    it('collateral_deposit creates the account, moves $UBC into the vault and counts it apart from stakes', async () => {
      // Given a provider with 10,000 $UBC
      // When it deposits twice
      await deposit(600n * WHOLE);
      const [first] = decodeEvents(provider.program, provider.provider.last!.logs);
      expect(first).toMatchObject({ name: 'collateralDeposited' });
      expect(String(first!.data.collateral)).toBe((600n * WHOLE).toString());
      await deposit(400n * WHOLE);
      // Then the collateral, the vault and the totals say 1,000, and stakes are untouched
      const c = (await f.client.fetchCollateral(provider.publicKey))!;
      expect(c.provider.toBase58()).toBe(provider.publicKey.toBase58());
      expect(BigInt(c.amount.toString())).toBe(1_000n * WHOLE);
      expect(c.openJobs.toString()).toBe('0');
      expect(c.unlockRequestedTs.toString()).toBe('0');
      expect(await f.balance(f.client.addresses.stakeVault)).toBe(1_000n * WHOLE);
      expect(await f.balance(ubc)).toBe(9_000n * WHOLE);
      expect(await totals()).toEqual({ staked: 0n, collateral: 1_000n * WHOLE });
      const [second] = decodeEvents(provider.program, provider.provider.last!.logs);
      expect(String(second!.data.totalCollateral)).toBe((1_000n * WHOLE).toString());
      // And stakes share the vault: vault = stakes + collateral
      await provider.client.stakeDeposit({ owner: provider.publicKey, source: ubc, positionId: 1, tier: 'flexible', amount: 50n * WHOLE });
      expect(await f.balance(f.client.addresses.stakeVault)).toBe(1_050n * WHOLE);
      expect(await totals()).toEqual({ staked: 50n * WHOLE, collateral: 1_000n * WHOLE });
    });

    it('unlock, cooldown, partial and full withdrawal; the last one closes the account and returns its rent', async () => {
      await deposit(1_000n * WHOLE);
      await expectAnchorError(() => withdraw(1n), 'CollateralNotUnlocked', 6024);
      // When the provider unlocks
      await unlock();
      const [event] = decodeEvents(provider.program, provider.provider.last!.logs);
      expect(event).toMatchObject({ name: 'collateralUnlocked' });
      expect(Number(event!.data.withdrawableTs) - Number(event!.data.unlockRequestedTs)).toBe(DAY);
      await expectAnchorError(() => unlock(), 'CannotUnlockCollateralTwice', 6026);
      // Then nothing comes out before the cooldown
      f.warp(DAY - 1);
      await expectAnchorError(() => withdraw(1n), 'CooldownNotEnded', 6013);
      f.warp(1);
      await expectAnchorError(() => withdraw(1_000n * WHOLE + 1n), 'CollateralInsufficient', 6025);
      await expectAnchorError(() => withdraw(0n), 'InvalidAmount', 6009);
      // And after it, part, then the rest
      await withdraw(300n * WHOLE);
      expect(BigInt((await f.client.fetchCollateral(provider.publicKey))!.amount.toString())).toBe(700n * WHOLE);
      expect(await totals()).toEqual({ staked: 0n, collateral: 700n * WHOLE });
      const account = address(collateralAddress(provider.publicKey).toBase58());
      const rent = f.provider.svm.getBalance(account)!;
      const before = f.provider.svm.getBalance(address(provider.publicKey.toBase58()))!;
      await withdraw(700n * WHOLE);
      const [last] = decodeEvents(provider.program, provider.provider.last!.logs);
      expect(last).toMatchObject({ name: 'collateralWithdrawn', data: { closed: true } });
      expect(String(last!.data.totalCollateral)).toBe('0');
      expect(f.provider.svm.getAccount(account).exists).toBe(false);
      expect(f.provider.svm.getBalance(address(provider.publicKey.toBase58()))! - before + 5_000n).toBe(rent);
      expect(await f.balance(ubc)).toBe(10_000n * WHOLE);
      expect(await f.balance(f.client.addresses.stakeVault)).toBe(0n);
      // And a new deposit starts a fresh account
      await deposit(5n);
      expect((await f.client.fetchCollateral(provider.publicKey))!.unlockRequestedTs.toString()).toBe('0');
    });

    it('the pause refuses deposits but never unlocking or withdrawing', async () => {
      await deposit(100n * WHOLE);
      await f.program.methods.pauseSet(true).accounts({ admin: f.admin }).rpc();
      await expectAnchorError(() => deposit(1n), 'CannotWhilePaused', 6004);
      await unlock();
      f.warp(DAY);
      await withdraw(100n * WHOLE);
      expect(await f.balance(ubc)).toBe(10_000n * WHOLE);
    });

    it('open jobs block unlocking and withdrawing', async () => {
      await deposit(100n * WHOLE);
      await unlock();
      f.warp(DAY);
      // Given the marketplace locked a job after the unlock (planted here; the CPI is tested in tests/)
      await plantCollateral(f, provider.publicKey, { amount: 100n * WHOLE, openJobs: 1n, unlockRequestedTs: 0n });
      await expectAnchorError(() => unlock(), 'CannotWhileJobsOpen', 6023);
      await plantCollateral(f, provider.publicKey, { amount: 100n * WHOLE, openJobs: 1n, unlockRequestedTs: f.now() - BigInt(DAY) });
      await expectAnchorError(() => withdraw(1n), 'CannotWhileJobsOpen', 6023);
      expect(await f.balance(f.client.addresses.stakeVault)).toBe(100n * WHOLE);
    });

    it("refuses another provider's collateral", async () => {
      await deposit(100n * WHOLE);
      await unlock();
      f.warp(DAY);
      const thief = f.user();
      const thiefUbc = f.tokenAccount(thief.publicKey, ubcMint);
      const ix = await thief.program.methods
        .collateralWithdraw(new BN(1))
        .accounts({ provider: thief.publicKey, destination: thiefUbc, ubcMint, tokenProgram: TOKEN_PROGRAM_ID })
        .instruction();
      ix.keys[2]!.pubkey = collateralAddress(provider.publicKey);
      await expectAnchorError(() => send(thief, ix), 'CollateralProviderMismatch', 6028);
      const u = await thief.program.methods.collateralUnlock().accounts({ provider: thief.publicKey }).instruction();
      u.keys[2]!.pubkey = collateralAddress(provider.publicKey);
      await expectAnchorError(() => send(thief, u), 'CollateralProviderMismatch', 6028);
    });

    // Collateral is $UBC only: the mint mode does not change these checks.
    describe.runIf(mode === 'program mints')('account checks', () => {
      const depositIx = (amount = 1n) =>
        provider.program.methods.collateralDeposit(new BN(amount.toString())).accounts({ provider: provider.publicKey, source: ubc, ubcMint, tokenProgram: TOKEN_PROGRAM_ID }).instruction();
      const withdrawIx = async () => {
        await deposit(100n * WHOLE);
        await unlock();
        f.warp(DAY);
        return provider.program.methods.collateralWithdraw(new BN(1)).accounts({ provider: provider.publicKey, destination: ubc, ubcMint, tokenProgram: TOKEN_PROGRAM_ID }).instruction();
      };

      it('rejects a missing signer', async () => {
        const ix = await depositIx();
        ix.keys[1]!.isSigner = false;
        await expectAnchorError(() => f.provider.execute(new Transaction().add(ix)), 'AccountNotSigner', 3010);
        const w = await withdrawIx();
        w.keys[1]!.isSigner = false;
        await expectAnchorError(() => f.provider.execute(new Transaction().add(w)), 'AccountNotSigner', 3010);
      });

      it('rejects an address that is not the provider\'s collateral PDA on creation', async () => {
        const ix = await depositIx();
        ix.keys[2]!.pubkey = collateralAddress(f.admin);
        await expectAnchorError(() => send(provider, ix), 'ConstraintSeeds', 2006);
      });

      it('rejects collateral owned by another program, and an account of another type with the same size', async () => {
        await deposit(1n);
        const key = address(collateralAddress(provider.publicKey).toBase58());
        const real = f.provider.svm.getAccount(key);
        if (!real.exists) throw new Error('no collateral');
        f.provider.svm.setAccount({ ...real, programAddress: address(Keypair.generate().publicKey.toBase58()) });
        await expectAnchorError(() => deposit(1n), 'AccountOwnedByWrongProgram', 3007);
        const forged = Uint8Array.from(real.data);
        forged.set(f.program.idl.accounts.find((a) => a.name === 'position')!.discriminator, 0);
        f.provider.svm.setAccount({ ...real, data: forged });
        await expectAnchorError(() => deposit(1n), 'AccountDiscriminatorMismatch', 3002);
      });

      it('re-depositing never re-initialises: the account keeps its jobs and unlock', async () => {
        await deposit(10n);
        await unlock();
        await plantCollateral(f, provider.publicKey, { amount: 10n, openJobs: 2n, unlockRequestedTs: 5n });
        await deposit(10n);
        const c = (await f.client.fetchCollateral(provider.publicKey))!;
        expect([c.amount.toString(), c.openJobs.toString(), c.unlockRequestedTs.toString()]).toEqual(['20', '2', '5']);
      });

      it('rejects a source of another mint or owner, and zero', async () => {
        const other = f.tokenAccount(provider.publicKey, computeMint);
        await expectAnchorError(() => provider.client.collateralDeposit({ provider: provider.publicKey, source: other, amount: 1n }), 'ConstraintTokenMint', 2014);
        const someoneElses = f.tokenAccount(f.admin, ubcMint);
        await expectAnchorError(() => provider.client.collateralDeposit({ provider: provider.publicKey, source: someoneElses, amount: 1n }), 'ConstraintTokenOwner', 2015);
        await expectAnchorError(() => deposit(0n), 'InvalidAmount', 6009);
      });

      it('rejects a wrong mint, a wrong vault, a wrong authority and a destination of another mint', async () => {
        const wrongMint = await provider.program.methods
          .collateralDeposit(new BN(1))
          .accounts({ provider: provider.publicKey, source: ubc, ubcMint: computeMint, tokenProgram: TOKEN_PROGRAM_ID })
          .instruction();
        await expectAnchorError(() => send(provider, wrongMint), 'MintMismatch', 6007);
        const decoy = f.tokenAccount(provider.publicKey, ubcMint);
        const wrongVault = await depositIx();
        wrongVault.keys[4]!.pubkey = decoy;
        await expectAnchorError(() => send(provider, wrongVault), 'ConstraintAddress', 2012);
        const w = await withdrawIx();
        w.keys[4]!.pubkey = decoy;
        await expectAnchorError(() => send(provider, w), 'ConstraintAddress', 2012);
        const a = await provider.program.methods.collateralWithdraw(new BN(1)).accounts({ provider: provider.publicKey, destination: ubc, ubcMint, tokenProgram: TOKEN_PROGRAM_ID }).instruction();
        a.keys[6]!.pubkey = provider.publicKey;
        await expectAnchorError(() => send(provider, a), 'ConstraintAddress', 2012);
        const computeAccount = f.tokenAccount(provider.publicKey, computeMint);
        await expectAnchorError(() => provider.client.collateralWithdraw({ provider: provider.publicKey, destination: computeAccount, amount: 1n }), 'ConstraintTokenMint', 2014);
      });

      it('rejects one account in two writable slots', async () => {
        const ix = await depositIx();
        ix.keys[3]!.pubkey = f.client.addresses.stakeVault;
        await expectAnchorError(() => send(provider, ix), 'ConstraintDuplicateMutableAccount', 2040);
        const w = await withdrawIx();
        w.keys[3]!.pubkey = f.client.addresses.stakeVault;
        await expectAnchorError(() => send(provider, w), 'ConstraintDuplicateMutableAccount', 2040);
      });

      it('rejects an arbitrary program as the token program', async () => {
        const ix = await depositIx();
        ix.keys[6]!.pubkey = PROGRAM_IDS.economy;
        await expectAnchorError(() => send(provider, ix), 'TokenProgramMismatch', 6008);
        const w = await withdrawIx();
        w.keys[7]!.pubkey = PROGRAM_IDS.economy;
        await expectAnchorError(() => send(provider, w), 'TokenProgramMismatch', 6008);
      });
    });
  });
}

describe('marketplace-only entry points called directly', () => {
  let f: EconomyFixture;
  let provider: ReturnType<EconomyFixture['user']>;
  let instructions: [string, TransactionInstruction][];

  beforeEach(async () => {
    f = new EconomyFixture();
    await f.initConfig();
    const m = await f.programMints();
    provider = f.user();
    const ubc = f.tokenAccount(provider.publicKey, m.ubcMint);
    f.provider.execute(new Transaction().add(createTransferCheckedInstruction(m.genesis, m.ubcMint, ubc, f.admin, 100n * WHOLE, DECIMALS)));
    await provider.client.collateralDeposit({ provider: provider.publicKey, source: ubc, amount: 100n * WHOLE });
    const challenger = f.tokenAccount(f.admin, m.ubcMint);
    const treasury = f.tokenAccount(f.treasury, m.ubcMint);
    const compute = f.tokenAccount(f.admin, m.computeMint);
    const mk = f.client.marketplace;
    instructions = [
      ['collateral_lock', await mk.collateralLock({ provider: provider.publicKey })],
      ['collateral_release', await mk.collateralRelease({ provider: provider.publicKey })],
      ['collateral_slash', await mk.collateralSlash({ provider: provider.publicKey, challenger, treasury, amount: 1n, challengerBps: 5_000 })],
      ['reward_pay', await mk.rewardPay({ destination: compute, amount: 1n })],
      ['settlement_burn', await mk.settlementBurn({ source: compute, amount: 1n })],
    ];
  });

  const callerIndex = (ix: TransactionInstruction) => ix.keys.findIndex((k) => k.pubkey.equals(MARKETPLACE_CALLER));

  it('refuse anyone, the admin included, without the marketplace PDA signing', async () => {
    for (const [name, ix] of instructions) {
      // When the admin sends it with the marketplace PDA unsigned (nobody holds its key)
      ix.keys[callerIndex(ix)]!.isSigner = false;
      await expectAnchorError(() => f.provider.execute(new Transaction().add(ix)), 'AccountNotSigner', 3010).catch((e) => {
        throw new Error(`${name}: ${String(e)}`);
      });
    }
  });

  it('refuse a signer other than the marketplace PDA', async () => {
    for (const [, ix] of instructions) {
      // When the admin signs in the caller's place
      const i = callerIndex(ix);
      ix.keys[i] = { pubkey: f.admin, isSigner: true, isWritable: false };
      await expectAnchorError(() => f.provider.execute(new Transaction().add(ix)), 'ConstraintAddress', 2012);
    }
    // Then nothing changed
    const c = (await f.client.fetchCollateral(provider.publicKey))!;
    expect([c.amount.toString(), c.openJobs.toString()]).toEqual([(100n * WHOLE).toString(), '0']);
  });
});

/** Overwrites a provider's collateral account fields, as a marketplace lock would leave them. */
async function plantCollateral(f: EconomyFixture, provider: PublicKey, fields: { amount: bigint; openJobs: bigint; unlockRequestedTs: bigint }): Promise<void> {
  const key = address(collateralAddress(provider).toBase58());
  const real = f.provider.svm.getAccount(key);
  if (!real.exists) throw new Error('no collateral');
  const current = (await f.client.fetchCollateral(provider))!;
  const data = await f.program.coder.accounts.encode('collateral', {
    ...current,
    amount: new BN(fields.amount.toString()),
    openJobs: new BN(fields.openJobs.toString()),
    unlockRequestedTs: new BN(fields.unlockRequestedTs.toString()),
  });
  f.provider.svm.setAccount({ ...real, data: Uint8Array.from(data) });
}
