import { Keypair } from '@solana/web3.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { decodeEvents, defaultParams } from '../src/index.ts';
import { expectAnchorError } from './anchor-errors.ts';
import { DECIMALS, EconomyFixture } from './economy-fixture.ts';

describe('economy admin: two-step handover, pause, bounds', () => {
  let f: EconomyFixture;
  beforeEach(async () => {
    f = new EconomyFixture();
    await f.initConfig();
  });

  it('hands the admin role over only when the proposed admin accepts', async () => {
    const next = f.user();
    // When the admin proposes
    await f.client.adminPropose({ admin: f.admin, pendingAdmin: next.publicKey });
    expect(decodeEvents(f.program, f.provider.last!.logs)[0]).toMatchObject({ name: 'adminProposed' });
    // Then nothing changes until the proposed admin accepts
    expect((await f.client.fetchConfig())!.admin.toBase58()).toBe(f.admin.toBase58());
    await next.client.adminAccept({ pendingAdmin: next.publicKey });
    const config = (await f.client.fetchConfig())!;
    expect(config.admin.toBase58()).toBe(next.publicKey.toBase58());
    expect(config.pendingAdmin.toBase58()).toBe('11111111111111111111111111111111');
    // And the old admin has lost its rights
    await expectAnchorError(() => f.program.methods.pauseSet(true).accounts({ admin: f.admin }).rpc(), 'AdminMismatch', 6002);
  });

  it('refuses acceptance by anyone else, and acceptance with nobody proposed', async () => {
    const stranger = f.user();
    await expectAnchorError(() => stranger.program.methods.adminAccept().accounts({ pendingAdmin: stranger.publicKey }).rpc(), 'PendingAdminMismatch', 6003);
    await f.program.methods.adminPropose(Keypair.generate().publicKey).accounts({ admin: f.admin }).rpc();
    await expectAnchorError(() => stranger.program.methods.adminAccept().accounts({ pendingAdmin: stranger.publicKey }).rpc(), 'PendingAdminMismatch', 6003);
  });

  it('lets only the admin propose', async () => {
    const stranger = f.user();
    await expectAnchorError(
      () => stranger.program.methods.adminPropose(stranger.publicKey).accounts({ admin: stranger.publicKey }).rpc(),
      'AdminMismatch',
      6002,
    );
  });

  it('pauses and resumes, with an event, admin only', async () => {
    await f.client.pauseSet({ admin: f.admin, paused: true });
    expect((await f.client.fetchConfig())!.paused).toBe(true);
    expect(decodeEvents(f.program, f.provider.last!.logs)[0]).toMatchObject({ name: 'pauseSet', data: { paused: true } });
    const stranger = f.user();
    await expectAnchorError(() => stranger.program.methods.pauseSet(false).accounts({ admin: stranger.publicKey }).rpc(), 'AdminMismatch', 6002);
    await f.program.methods.pauseSet(false).accounts({ admin: f.admin }).rpc();
    expect((await f.client.fetchConfig())!.paused).toBe(false);
  });

  it.each([
    ['BurnBpsExceeded', 6000, { burnBps: 1001 }],
    ['TreasuryFeeBpsExceeded', 6001, { treasuryFeeBps: 1001 }],
    ['CooldownExceeded', 6018, { unlockCooldown: 30 * 86_400 + 1 }],
    ['LockupExceeded', 6016, { tierLockups: [1, 0, 0, 0] }],
    ['LockupExceeded', 6016, { tierLockups: [0, 0, 0, 5 * 365 * 86_400 + 1] }],
    ['YieldRateExceeded', 6017, { tierRates: [0, 0, 0, '1000000000000000001'] }],
  ] as const)('config_update rejects out-of-bounds parameters: %s', async (name, code, change) => {
    const { BN } = await import('@coral-xyz/anchor');
    const bn = (v: unknown) => (Array.isArray(v) ? v.map((x) => new BN(String(x))) : new BN(String(v)));
    const params = { ...defaultParams(DECIMALS) } as Record<string, unknown>;
    for (const [k, v] of Object.entries(change)) params[k] = k.endsWith('Bps') ? v : bn(v);
    await expectAnchorError(() => f.program.methods.configUpdate(params as never).accounts({ admin: f.admin }).rpc(), name, code);
    expect((await f.client.fetchConfig())!.params.burnBps).toBe(50);
  });
});
