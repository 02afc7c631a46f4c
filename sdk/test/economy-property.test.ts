import { type PublicKey, Transaction } from '@solana/web3.js';
import { createTransferCheckedInstruction } from '@solana/spl-token';
import { describe, expect, it } from 'vitest';
import type { TierName } from '../src/index.ts';
import { Random } from './random.ts';
import { EconomyFixture, WHOLE } from './economy-fixture.ts';

/**
 * Random operations across many users with clock warps, checked against a model after every
 * step: vault balance = stakes + provider collateral, with total staked = sum of positions and
 * total collateral = sum of collateral accounts; yield paid = yield accrued to the base unit;
 * $COMPUTE supply = balances + burned; no balance ever negative.
 */
const OPERATIONS = Number(process.env.ECONOMY_PROPERTY_OPS ?? 10_000);
const USERS = 8;
const DAY = 86_400n;
const TIERS: TierName[] = ['flexible', 'days90', 'days165', 'days365'];
const LOCKUPS = [0n, 90n * DAY, 165n * DAY, 365n * DAY];
const RATES = [0n, 300_000_000n, 500_000_000n, 1_000_000_000n];
const COOLDOWN = DAY;

interface ModelPosition {
  user: number;
  id: number;
  tier: number;
  amount: bigint;
  start: bigint;
  unlocked: bigint;
  claimed: bigint;
}

const accrued = (p: ModelPosition, now: bigint): bigint => {
  const end = p.unlocked || now;
  return (p.amount * RATES[p.tier]! * (end - p.start)) / (DAY * 1_000n * WHOLE);
};

for (const mode of ['program mints', 'existing mints'] as const) {
  describe(`economy property test (${mode})`, () => {
    it(`holds the invariants over ${OPERATIONS} random operations`, async () => {
      const f = new EconomyFixture();
      await f.initConfig();
      const rng = new Random(mode === 'program mints' ? 0x5eed_0001n : 0x5eed_0002n);
      const users = Array.from({ length: USERS }, () => f.user(1_000_000_000_000n));
      const ubc: PublicKey[] = [];
      const compute: PublicKey[] = [];
      const ubcBalance: bigint[] = [];
      const computeBalance: bigint[] = Array(USERS).fill(0n);
      const grant = 1_000_000n * WHOLE;
      let rewardsFunding = 0n;
      let m: { ubcMint: PublicKey; computeMint: PublicKey };
      if (mode === 'program mints') {
        const p = await f.programMints();
        m = p;
        for (const u of users) {
          const account = f.tokenAccount(u.publicKey, p.ubcMint);
          f.provider.execute(new Transaction().add(createTransferCheckedInstruction(p.genesis, p.ubcMint, account, f.admin, grant, 9)));
          ubc.push(account);
        }
      } else {
        const e = await f.existingMints();
        m = e;
        for (const u of users) {
          const account = f.tokenAccount(u.publicKey, e.ubcMint);
          f.mintTo(e.ubcMint, account, grant, e.mintAuthority);
          ubc.push(account);
        }
        rewardsFunding = 2n ** 62n;
        f.mintTo(e.computeMint, f.client.addresses.rewardsVault, rewardsFunding, e.mintAuthority);
      }
      for (const u of users) {
        compute.push(f.tokenAccount(u.publicKey, m.computeMint));
        ubcBalance.push(grant);
      }

      const positions = new Map<string, ModelPosition>();
      const collateral: bigint[] = Array(USERS).fill(0n);
      const collateralUnlocked: bigint[] = Array(USERS).fill(0n);
      const nextId = Array(USERS).fill(0);
      let yieldPaid = 0n;
      let burned = 0n;
      const counts: Record<string, number> = {};
      const key = (user: number, id: number) => `${user}/${id}`;
      const pick = (filter: (p: ModelPosition) => boolean): ModelPosition | undefined => {
        const list = [...positions.values()].filter(filter);
        return list.length ? list[rng.below(list.length)] : undefined;
      };

      const pickUser = (filter: (u: number) => boolean): number | undefined => {
        const list = [...Array(USERS).keys()].filter(filter);
        return list.length ? list[rng.below(list.length)] : undefined;
      };

      for (let step = 0; step < OPERATIONS; step++) {
        const now = f.now();
        const roll = rng.below(110);
        let op = 'warp';
        if (roll < 30) {
          const user = rng.below(USERS);
          if (ubcBalance[user]! > 0n) {
            op = 'deposit';
            const tier = rng.below(4);
            const amount = rng.amount(ubcBalance[user]! < 50_000n * WHOLE ? ubcBalance[user]! : 50_000n * WHOLE);
            const id = nextId[user]++;
            await users[user]!.client.stakeDeposit({ owner: users[user]!.publicKey, source: ubc[user]!, positionId: id, tier: TIERS[tier]!, amount });
            positions.set(key(user, id), { user, id, tier, amount, start: now, unlocked: 0n, claimed: 0n });
            ubcBalance[user]! -= amount;
          }
        } else if (roll < 50) {
          const p = pick(() => true);
          if (p) {
            op = 'claim';
            const due = accrued(p, now) - p.claimed;
            await users[p.user]!.client.stakeClaim({ owner: users[p.user]!.publicKey, destination: compute[p.user]!, positionId: p.id });
            p.claimed += due;
            yieldPaid += due;
            computeBalance[p.user]! += due;
            expect(await f.balance(compute[p.user]!)).toBe(computeBalance[p.user]);
          }
        } else if (roll < 65) {
          const p = pick((q) => q.unlocked === 0n && now >= q.start + LOCKUPS[q.tier]!);
          if (p) {
            op = 'unlock';
            await users[p.user]!.client.stakeUnlock({ owner: users[p.user]!.publicKey, positionId: p.id });
            p.unlocked = now;
          }
        } else if (roll < 80) {
          const p = pick((q) => q.unlocked !== 0n && now >= q.unlocked + (q.tier === 0 ? COOLDOWN : 0n) && accrued(q, now) === q.claimed);
          if (p) {
            op = 'withdraw';
            await users[p.user]!.client.stakeWithdraw({ owner: users[p.user]!.publicKey, destination: ubc[p.user]!, positionId: p.id });
            positions.delete(key(p.user, p.id));
            ubcBalance[p.user]! += p.amount;
            expect(await f.balance(ubc[p.user]!)).toBe(ubcBalance[p.user]);
          }
        } else if (roll < 85) {
          const user = rng.below(USERS);
          if (computeBalance[user]! > 0n) {
            op = 'burn';
            const amount = rng.amount(computeBalance[user]!);
            await users[user]!.client.tokenBurn({ owner: users[user]!.publicKey, source: compute[user]!, amount });
            computeBalance[user]! -= amount;
            burned += amount;
          }
        } else if (roll >= 100 && roll < 104) {
          const user = rng.below(USERS);
          if (ubcBalance[user]! > 0n) {
            op = 'collateral_deposit';
            const amount = rng.amount(ubcBalance[user]! < 50_000n * WHOLE ? ubcBalance[user]! : 50_000n * WHOLE);
            await users[user]!.client.collateralDeposit({ provider: users[user]!.publicKey, source: ubc[user]!, amount });
            collateral[user]! += amount;
            ubcBalance[user]! -= amount;
          }
        } else if (roll >= 104 && roll < 107) {
          const user = pickUser((u) => collateral[u]! > 0n && collateralUnlocked[u] === 0n);
          if (user !== undefined) {
            op = 'collateral_unlock';
            await users[user]!.client.collateralUnlock({ provider: users[user]!.publicKey });
            collateralUnlocked[user] = now;
          }
        } else if (roll >= 107) {
          const user = pickUser((u) => collateral[u]! > 0n && collateralUnlocked[u]! !== 0n && now >= collateralUnlocked[u]! + COOLDOWN);
          if (user !== undefined) {
            op = 'collateral_withdraw';
            // Half the time everything, which closes the account
            const amount = rng.below(2) === 0 ? collateral[user]! : rng.amount(collateral[user]!);
            await users[user]!.client.collateralWithdraw({ provider: users[user]!.publicKey, destination: ubc[user]!, amount });
            collateral[user]! -= amount;
            ubcBalance[user]! += amount;
            if (collateral[user] === 0n) collateralUnlocked[user] = 0n;
            expect(await f.balance(ubc[user]!)).toBe(ubcBalance[user]);
          }
        }
        if (op === 'warp') f.warp(rng.amount(20n * DAY));
        counts[op] = (counts[op] ?? 0) + 1;

        // Invariants, after every step
        const config = (await f.client.fetchConfig())!;
        const staked = [...positions.values()].reduce((s, p) => s + p.amount, 0n);
        const collateralSum = collateral.reduce((s, c) => s + c, 0n);
        const vault = await f.balance(f.client.addresses.stakeVault);
        expect({ step, vault, totalStaked: BigInt(config.totalStaked.toString()), totalCollateral: BigInt(config.totalCollateral.toString()) }).toEqual({
          step,
          vault: staked + collateralSum,
          totalStaked: staked,
          totalCollateral: collateralSum,
        });
        expect(BigInt(config.totalYieldPaid.toString())).toBe(yieldPaid);
        expect(BigInt(config.totalBurned.toString())).toBe(burned);
        const supply = await f.supply(m.computeMint);
        const balances = computeBalance.reduce((s, b) => s + b, 0n);
        if (mode === 'program mints') {
          expect(supply).toBe(balances); // minted = yield paid = balances + burned
          expect(yieldPaid).toBe(balances + burned);
        } else {
          expect(await f.balance(f.client.addresses.rewardsVault)).toBe(rewardsFunding - yieldPaid);
          expect(supply).toBe(rewardsFunding - burned);
        }
      }
      // Every account agrees with the model at the end.
      for (let u = 0; u < USERS; u++) {
        expect(await f.balance(ubc[u]!)).toBe(ubcBalance[u]);
        expect(await f.balance(compute[u]!)).toBe(computeBalance[u]);
      }
      for (let u = 0; u < USERS; u++) {
        const onChain = await f.client.fetchCollateral(users[u]!.publicKey);
        expect(onChain ? BigInt(onChain.amount.toString()) : 0n).toBe(collateral[u]);
        if (collateral[u] === 0n) expect(onChain).toBeNull();
      }
      for (const p of positions.values()) {
        const onChain = (await f.client.fetchPosition(users[p.user]!.publicKey, p.id))!;
        expect(BigInt(onChain.claimed.toString())).toBe(p.claimed);
      }
      // Each kind of operation ran many times.
      for (const op of ['deposit', 'claim', 'unlock', 'withdraw', 'burn', 'warp', 'collateral_deposit', 'collateral_unlock', 'collateral_withdraw']) {
        expect(counts[op] ?? 0, op).toBeGreaterThan(OPERATIONS / 100);
      }
      console.log(`economy property test (${mode}): ${JSON.stringify(counts)}, yield paid ${yieldPaid}, burned ${burned}`);
    }, 1_200_000);
  });
}
