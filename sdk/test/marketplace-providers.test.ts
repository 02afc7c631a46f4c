import { BN } from '@coral-xyz/anchor';
import { Keypair, PublicKey, SystemProgram, Transaction } from '@solana/web3.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROGRAM_IDS, type ProviderSpec, collateralAddress, decodeEvents, marketplacePda, sha256 } from '../src/index.ts';
import { expectAnchorError } from './anchor-errors.ts';
import { WHOLE } from './economy-fixture.ts';
import { MIN_COLLATERAL, MarketFixture } from './market-fixture.ts';
import { b58, rawAccount, sendRaw, slot, str, unsign } from './marketplace-layer-helpers.ts';
import { requestOf } from './marketplace-job-helpers.ts';


const spec = (overrides: Partial<ProviderSpec> = {}): ProviderSpec => ({
  nodeKey: Keypair.generate().publicKey,
  pricePerThousand: new BN(2_000_000),
  endpoint: 'https://node.example:7777',
  baseModels: 'qwen2-0.5b, llama-3-8b',
  ...overrides,
});

for (const mode of ['existing mints', 'program mints'] as const) {
  describe(`providers and verifiers (${mode})`, () => {
    let f: MarketFixture;

    beforeAll(async () => {
      f = await new MarketFixture(mode).setup();
    });

    /** A wallet with `amount` $UBC deposited as collateral in the economy program (none when 0). */
    async function staked(amount = MIN_COLLATERAL) {
      const u = f.marketUser();
      const source = f.fundUbc(u.publicKey, amount);
      if (amount > 0n) await u.client.collateralDeposit({ provider: u.publicKey, source, amount });
      return u;
    }
    type User = Awaited<ReturnType<typeof staked>>;

    const registerIx = (u: User, s: ProviderSpec = spec(), collateralOf: PublicKey = u.publicKey) =>
      u.market.program.methods
        .providerRegister(s)
        .accountsPartial({ authority: u.publicKey, economyConfig: f.client.addresses.config, collateral: collateralAddress(collateralOf) })
        .instruction();
    const verifierIx = (u: User, collateralOf: PublicKey = u.publicKey) =>
      u.market.program.methods
        .verifierRegister()
        .accountsPartial({ authority: u.publicKey, economyConfig: f.client.addresses.config, collateral: collateralAddress(collateralOf) })
        .instruction();
    const providerAddress = (authority: PublicKey) => marketplacePda.provider(authority);
    const verifierAddress = (authority: PublicKey) => marketplacePda.verifier(authority);

    // -----------------------------------------------------------------------------------------

    describe('provider_register', () => {
      it('creates the provider with its offer and zero reputation, and emits ProviderRegistered', async () => {
        const u = await staked();
        const s = spec({ pricePerThousand: new BN(3_141_592), endpoint: 'http://10.0.0.1:9000', baseModels: 'llama-3-8b' });
        await u.market.providerRegister({ authority: u.publicKey, spec: s });
        const p = (await f.market.fetchProvider(u.publicKey))!;
        expect([p.authority, p.nodeKey].map(b58)).toEqual([u.publicKey, s.nodeKey].map(b58));
        expect([p.pricePerThousand, p.registeredTs, p.heartbeatTs].map(str)).toEqual(['3141592', str(f.now()), str(f.now())]);
        expect([p.openJobs, p.jobsCompleted, p.jobsChallenged, p.jobsSlashed, p.tokensServed, p.ratingSum, p.ratingCount, p.earned].map(str)).toEqual(['0', '0', '0', '0', '0', '0', '0', '0']);
        expect([p.endpoint, p.baseModels]).toEqual(['http://10.0.0.1:9000', 'llama-3-8b']);
        expect(p.bump).toBe(PublicKey.findProgramAddressSync([Buffer.from('provider'), u.publicKey.toBuffer()], PROGRAM_IDS.marketplace)[1]);
        // Sized for the longest texts: discriminator, 2 keys, 11 integers, the bump, the deregistered flag, 2 × (length + 128 bytes).
        expect(rawAccount(f, providerAddress(u.publicKey))!.data.length).toBe(8 + 2 * 32 + 11 * 8 + 1 + 1 + 2 * (4 + 128));
        expect(p.deregistered).toBe(false);
        const events = decodeEvents(f.market.program, u.provider.last!.logs);
        expect(events.map((e) => e.name)).toEqual(['providerRegistered']);
        const e = events[0]!.data;
        expect([e.provider, e.authority, e.nodeKey].map(b58)).toEqual([providerAddress(u.publicKey), u.publicKey, s.nodeKey].map(b58));
        expect([str(e.pricePerThousand), e.endpoint, e.baseModels]).toEqual(['3141592', 'http://10.0.0.1:9000', 'llama-3-8b']);
      });

      it('refuses collateral one base unit below the minimum with CollateralInsufficient', async () => {
        const u = await staked(MIN_COLLATERAL - 1n);
        await expectAnchorError(() => u.market.providerRegister({ authority: u.publicKey, spec: spec() }), 'CollateralInsufficient', 6012);
        expect(rawAccount(f, providerAddress(u.publicKey))).toBeNull();
      });

      it('refuses a wallet with no collateral account with AccountNotInitialized', async () => {
        const u = await staked(0n);
        await expectAnchorError(() => u.market.providerRegister({ authority: u.publicKey, spec: spec() }), 'AccountNotInitialized', 3012);
      });

      it("refuses another wallet's collateral with the economy's CollateralProviderMismatch", async () => {
        const rich = await staked(10n * MIN_COLLATERAL);
        const u = await staked(0n);
        await expectAnchorError(async () => sendRaw(u.provider, await registerIx(u, spec(), rich.publicKey)), 'CollateralProviderMismatch', 6028);
        expect(rawAccount(f, providerAddress(u.publicKey))).toBeNull();
      });

      it.each([
        ['an empty endpoint', { endpoint: '' }],
        ['an empty model list', { baseModels: '' }],
      ])('refuses %s with InvalidName', async (_, overrides) => {
        const u = await staked();
        await expectAnchorError(() => u.market.providerRegister({ authority: u.publicKey, spec: spec(overrides) }), 'InvalidName', 6004);
      });

      it('cannot register twice (AccountDiscriminatorAlreadySet)', async () => {
        const u = await staked();
        const first = spec();
        await u.market.providerRegister({ authority: u.publicKey, spec: first });
        await expectAnchorError(() => u.market.providerRegister({ authority: u.publicKey, spec: spec({ endpoint: 'http://other' }) }), 'AccountDiscriminatorAlreadySet', 3000);
        expect((await f.market.fetchProvider(u.publicKey))!.endpoint).toBe(first.endpoint);
      });

      it('survives a griefer pre-funding the provider address', async () => {
        const u = await staked();
        const griefer = f.marketUser();
        griefer.provider.execute(new Transaction().add(SystemProgram.transfer({ fromPubkey: griefer.publicKey, toPubkey: providerAddress(u.publicKey), lamports: 1_000_000 })));
        await u.market.providerRegister({ authority: u.publicKey, spec: spec() });
        expect((await f.market.fetchProvider(u.publicKey))!.authority.toBase58()).toBe(u.publicKey.toBase58());
      });

      it('refuses an authority that did not sign with AccountNotSigner', async () => {
        const u = await staked();
        const ix = unsign(await registerIx(u), 'provider_register', 'authority');
        await expectAnchorError(() => sendRaw(u.provider, ix), 'AccountNotSigner', 3010);
      });

      it("refuses an address other than the authority's provider PDA with ConstraintSeeds", async () => {
        const u = await staked();
        const ix = await registerIx(u);
        ix.keys[slot('provider_register', 'provider')]!.pubkey = providerAddress(Keypair.generate().publicKey);
        await expectAnchorError(() => sendRaw(u.provider, ix), 'ConstraintSeeds', 2006);
      });

      it('refuses the market account as the economy config with AccountOwnedByWrongProgram', async () => {
        const u = await staked();
        const ix = await registerIx(u);
        ix.keys[slot('provider_register', 'economy_config')]!.pubkey = marketplacePda.market();
        await expectAnchorError(() => sendRaw(u.provider, ix), 'AccountOwnedByWrongProgram', 3007);
      });

      it('refuses a collateral account as the economy config with AccountDiscriminatorMismatch', async () => {
        const u = await staked();
        const ix = await registerIx(u);
        ix.keys[slot('provider_register', 'economy_config')]!.pubkey = collateralAddress(u.publicKey);
        await expectAnchorError(() => sendRaw(u.provider, ix), 'AccountDiscriminatorMismatch', 3002);
      });

      it('refuses the economy config as the collateral with AccountDiscriminatorMismatch', async () => {
        const u = await staked();
        const ix = await registerIx(u);
        ix.keys[slot('provider_register', 'collateral')]!.pubkey = f.client.addresses.config;
        await expectAnchorError(() => sendRaw(u.provider, ix), 'AccountDiscriminatorMismatch', 3002);
      });

      it('refuses a marketplace account as the collateral with AccountOwnedByWrongProgram', async () => {
        const u = await staked();
        const ix = await registerIx(u);
        ix.keys[slot('provider_register', 'collateral')]!.pubkey = marketplacePda.market();
        await expectAnchorError(() => sendRaw(u.provider, ix), 'AccountOwnedByWrongProgram', 3007);
      });
    });

    // -----------------------------------------------------------------------------------------

    describe('provider_update', () => {
      it("replaces the provider's offer, keeps its reputation, and emits ProviderRegistered", async () => {
        const u = await f.registeredProvider();
        const before = (await f.market.fetchProvider(u.publicKey))!;
        const s = spec({ pricePerThousand: new BN(9), endpoint: 'https://new.example', baseModels: 'phi-3' });
        f.warp(50);
        await u.market.providerUpdate({ authority: u.publicKey, spec: s });
        const p = (await f.market.fetchProvider(u.publicKey))!;
        expect([b58(p.nodeKey), str(p.pricePerThousand), p.endpoint, p.baseModels]).toEqual([s.nodeKey.toBase58(), '9', 'https://new.example', 'phi-3']);
        expect([b58(p.authority), str(p.registeredTs), str(p.heartbeatTs), str(p.openJobs), p.bump]).toEqual([b58(before.authority), str(before.registeredTs), str(before.heartbeatTs), '0', before.bump]);
        const events = decodeEvents(f.market.program, u.provider.last!.logs);
        expect(events.map((e) => e.name)).toEqual(['providerRegistered']);
        const e = events[0]!.data;
        expect([b58(e.provider), b58(e.authority), b58(e.nodeKey), str(e.pricePerThousand), e.endpoint, e.baseModels]).toEqual([
          providerAddress(u.publicKey).toBase58(),
          u.publicKey.toBase58(),
          s.nodeKey.toBase58(),
          '9',
          'https://new.example',
          'phi-3',
        ]);
      });

      it("refuses a stranger passing the provider's account with ProviderMismatch", async () => {
        const u = await f.registeredProvider();
        const stranger = f.marketUser();
        const before = rawAccount(f, providerAddress(u.publicKey))!.data;
        const ix = await stranger.market.program.methods.providerUpdate(spec()).accountsPartial({ authority: stranger.publicKey, provider: providerAddress(u.publicKey) }).instruction();
        await expectAnchorError(() => sendRaw(stranger.provider, ix), 'ProviderMismatch', 6017);
        expect(rawAccount(f, providerAddress(u.publicKey))!.data).toEqual(before);
      });

      it('refuses a wallet that never registered with AccountNotInitialized', async () => {
        const stranger = f.marketUser();
        await expectAnchorError(() => stranger.market.providerUpdate({ authority: stranger.publicKey, spec: spec() }), 'AccountNotInitialized', 3012);
      });

      it.each([
        ['an empty endpoint', { endpoint: '' }],
        ['an empty model list', { baseModels: '' }],
      ])('refuses %s with InvalidName', async (_, overrides) => {
        const u = await f.registeredProvider();
        await expectAnchorError(() => u.market.providerUpdate({ authority: u.publicKey, spec: spec(overrides) }), 'InvalidName', 6004);
      });

      it('refuses an authority that did not sign with AccountNotSigner', async () => {
        const u = await f.registeredProvider();
        const ix = await f.market.program.methods.providerUpdate(spec()).accountsPartial({ authority: u.publicKey, provider: providerAddress(u.publicKey) }).instruction();
        ix.keys[slot('provider_update', 'authority')]!.isSigner = false;
        await expectAnchorError(() => sendRaw(f.provider, ix), 'AccountNotSigner', 3010);
      });

      it('refuses a Verifier account passed as the provider with AccountDiscriminatorMismatch', async () => {
        const v = await f.registeredVerifier();
        const ix = await v.market.program.methods.providerUpdate(spec()).accountsPartial({ authority: v.publicKey, provider: verifierAddress(v.publicKey) }).instruction();
        await expectAnchorError(() => sendRaw(v.provider, ix), 'AccountDiscriminatorMismatch', 3002);
      });

      it('refuses an economy account passed as the provider with AccountOwnedByWrongProgram', async () => {
        const u = await f.registeredProvider();
        const ix = await u.market.program.methods.providerUpdate(spec()).accountsPartial({ authority: u.publicKey, provider: collateralAddress(u.publicKey) }).instruction();
        await expectAnchorError(() => sendRaw(u.provider, ix), 'AccountOwnedByWrongProgram', 3007);
      });
    });

    // -----------------------------------------------------------------------------------------

    describe('provider_heartbeat', () => {
      const heartbeatIx = (signer: PublicKey, provider: PublicKey) =>
        f.market.program.methods.providerHeartbeat().accountsPartial({ signer, provider }).instruction();

      it('by the node key records the time and emits ProviderHeartbeat', async () => {
        const u = await f.registeredProvider();
        const registered = str((await f.market.fetchProvider(u.publicKey))!.registeredTs);
        f.warp(3_600);
        // The node key holds no lamports: the admin pays, the node key signs.
        sendRaw(f.provider, await heartbeatIx(u.nodeKey.publicKey, providerAddress(u.publicKey)), [u.nodeKey]);
        const p = (await f.market.fetchProvider(u.publicKey))!;
        expect([str(p.heartbeatTs), str(p.registeredTs)]).toEqual([str(f.now()), registered]);
        expect(Number(f.now()) - Number(registered)).toBe(3_600);
        const events = decodeEvents(f.market.program, f.provider.last!.logs);
        expect(events.map((e) => e.name)).toEqual(['providerHeartbeat']);
        expect([b58(events[0]!.data.provider), str(events[0]!.data.heartbeatTs)]).toEqual([providerAddress(u.publicKey).toBase58(), str(f.now())]);
      });

      it("by the provider's wallet records the time and emits ProviderHeartbeat", async () => {
        const u = await f.registeredProvider();
        f.warp(60);
        await u.market.providerHeartbeat({ signer: u.publicKey, authority: u.publicKey });
        expect(str((await f.market.fetchProvider(u.publicKey))!.heartbeatTs)).toBe(str(f.now()));
        const [event] = decodeEvents(f.market.program, u.provider.last!.logs);
        expect([event!.name, str(event!.data.heartbeatTs)]).toEqual(['providerHeartbeat', str(f.now())]);
      });

      it('by anyone else fails with ProviderMismatch', async () => {
        const u = await f.registeredProvider();
        const before = str((await f.market.fetchProvider(u.publicKey))!.heartbeatTs);
        f.warp(60);
        const stranger = f.marketUser();
        await expectAnchorError(() => stranger.market.providerHeartbeat({ signer: stranger.publicKey, authority: u.publicKey }), 'ProviderMismatch', 6017);
        // Nor may another provider's node key speak for it
        const other = await f.registeredProvider();
        const ix = await heartbeatIx(other.nodeKey.publicKey, providerAddress(u.publicKey));
        await expectAnchorError(() => sendRaw(f.provider, ix, [other.nodeKey]), 'ProviderMismatch', 6017);
        expect(str((await f.market.fetchProvider(u.publicKey))!.heartbeatTs)).toBe(before);
      });

      it('refuses a signer that did not sign with AccountNotSigner', async () => {
        const u = await f.registeredProvider();
        const ix = await heartbeatIx(u.nodeKey.publicKey, providerAddress(u.publicKey));
        ix.keys[slot('provider_heartbeat', 'signer')]!.isSigner = false;
        await expectAnchorError(() => sendRaw(f.provider, ix), 'AccountNotSigner', 3010);
      });

      it('refuses a Verifier account passed as the provider with AccountDiscriminatorMismatch', async () => {
        const v = await f.registeredVerifier();
        const ix = await heartbeatIx(v.publicKey, verifierAddress(v.publicKey));
        await expectAnchorError(() => sendRaw(v.provider, ix), 'AccountDiscriminatorMismatch', 3002);
      });

      it("refuses the provider's economy collateral passed as the provider with AccountOwnedByWrongProgram", async () => {
        const u = await f.registeredProvider();
        const ix = await heartbeatIx(u.publicKey, collateralAddress(u.publicKey));
        await expectAnchorError(() => sendRaw(u.provider, ix), 'AccountOwnedByWrongProgram', 3007);
      });
    });

    // -----------------------------------------------------------------------------------------

    describe('provider_deregister', () => {
      it('keeps the record, marked deregistered, and emits ProviderDeregistered', async () => {
        const u = await f.registeredProvider();
        const account = providerAddress(u.publicKey);
        const before = rawAccount(f, account)!;
        await u.market.providerDeregister({ authority: u.publicKey });
        const after = rawAccount(f, account)!;
        expect(after.lamports).toBe(before.lamports);
        expect((await f.market.fetchProvider(u.publicKey))!.deregistered).toBe(true);
        const events = decodeEvents(f.market.program, u.provider.last!.logs);
        expect(events.map((e) => e.name)).toEqual(['providerDeregistered']);
        expect([b58(events[0]!.data.provider), b58(events[0]!.data.authority)]).toEqual([account.toBase58(), u.publicKey.toBase58()]);
        // And it cannot deregister twice
        await expectAnchorError(() => u.market.providerDeregister({ authority: u.publicKey }), 'ProviderDeregistered', 6037);
      });

      it('a deregistered provider cannot claim, update or heartbeat (ProviderDeregistered)', async () => {
        const u = await f.registeredProvider({ pricePerThousand: 2_000_000n });
        const { layer } = await f.publishedLayer({ pricePerThousand: 1_000_000n });
        const client = f.marketUser(100n * WHOLE);
        const { job } = await client.market.createJob({ client: client.publicKey, jobId: 1, request: requestOf([layer], { prompt: 'Ahoy', maxTokens: 2_000 }), maxPricePerThousand: 2_500_000 });
        await u.market.providerDeregister({ authority: u.publicKey });
        await expectAnchorError(() => u.market.jobClaim({ authority: u.publicKey, job }), 'ProviderDeregistered', 6037);
        await expectAnchorError(() => u.market.providerUpdate({ authority: u.publicKey, spec: spec() }), 'ProviderDeregistered', 6037);
        await expectAnchorError(() => u.market.providerHeartbeat({ signer: u.publicKey, authority: u.publicKey }), 'ProviderDeregistered', 6037);
        // And registering again is refused while still registered
        await u.market.providerRegister({ authority: u.publicKey, spec: spec() });
        await expectAnchorError(() => u.market.providerRegister({ authority: u.publicKey, spec: spec() }), 'AccountDiscriminatorAlreadySet', 3000);
        await u.market.jobClaim({ authority: u.publicKey, job });
      });

      it('is refused while a claimed job is open (CannotWhileJobsOpen)', async () => {
        // Given a provider that claimed a job
        const u = await f.registeredProvider({ pricePerThousand: 2_000_000n });
        const { layer } = await f.publishedLayer({ pricePerThousand: 1_000_000n });
        const client = f.marketUser(100n * WHOLE);
        const { job } = await client.market.createJob({ client: client.publicKey, jobId: 1, request: requestOf([layer], { prompt: 'Ahoy', maxTokens: 2_000 }), maxPricePerThousand: 2_500_000 });
        await u.market.jobClaim({ authority: u.publicKey, job });
        expect(str((await f.market.fetchProvider(u.publicKey))!.openJobs)).toBe('1');
        // When it deregisters, Then it is refused and stays
        await expectAnchorError(() => u.market.providerDeregister({ authority: u.publicKey }), 'CannotWhileJobsOpen', 6013);
        expect(rawAccount(f, providerAddress(u.publicKey))).not.toBeNull();
      });

      it("refuses a stranger passing the provider's account with ProviderMismatch", async () => {
        const u = await f.registeredProvider();
        const stranger = f.marketUser();
        const ix = await stranger.market.program.methods.providerDeregister().accountsPartial({ authority: stranger.publicKey, provider: providerAddress(u.publicKey) }).instruction();
        await expectAnchorError(() => sendRaw(stranger.provider, ix), 'ProviderMismatch', 6017);
        expect(rawAccount(f, providerAddress(u.publicKey))).not.toBeNull();
      });

      it('refuses an authority that did not sign with AccountNotSigner', async () => {
        const u = await f.registeredProvider();
        const ix = await f.market.program.methods.providerDeregister().accountsPartial({ authority: u.publicKey, provider: providerAddress(u.publicKey) }).instruction();
        ix.keys[slot('provider_deregister', 'authority')]!.isSigner = false;
        await expectAnchorError(() => sendRaw(f.provider, ix), 'AccountNotSigner', 3010);
        expect(rawAccount(f, providerAddress(u.publicKey))).not.toBeNull();
      });

      it('refuses a Verifier account passed as the provider with AccountDiscriminatorMismatch', async () => {
        const v = await f.registeredVerifier();
        const ix = await v.market.program.methods.providerDeregister().accountsPartial({ authority: v.publicKey, provider: verifierAddress(v.publicKey) }).instruction();
        await expectAnchorError(() => sendRaw(v.provider, ix), 'AccountDiscriminatorMismatch', 3002);
        expect(rawAccount(f, verifierAddress(v.publicKey))).not.toBeNull();
      });
    });

    // -----------------------------------------------------------------------------------------

    describe('verifier_register', () => {
      it('creates the verifier and emits VerifierRegistered', async () => {
        const u = await staked();
        await u.market.verifierRegister({ authority: u.publicKey });
        const v = (await f.market.fetchVerifier(u.publicKey))!;
        expect([b58(v.authority), str(v.votesCast), str(v.registeredTs)]).toEqual([u.publicKey.toBase58(), '0', str(f.now())]);
        expect(v.bump).toBe(PublicKey.findProgramAddressSync([Buffer.from('verifier'), u.publicKey.toBuffer()], PROGRAM_IDS.marketplace)[1]);
        const events = decodeEvents(f.market.program, u.provider.last!.logs);
        expect(events.map((e) => e.name)).toEqual(['verifierRegistered']);
        expect([b58(events[0]!.data.verifier), b58(events[0]!.data.authority)]).toEqual([verifierAddress(u.publicKey).toBase58(), u.publicKey.toBase58()]);
      });

      it('refuses collateral one base unit below the minimum with CollateralInsufficient', async () => {
        const u = await staked(MIN_COLLATERAL - 1n);
        await expectAnchorError(() => u.market.verifierRegister({ authority: u.publicKey }), 'CollateralInsufficient', 6012);
        expect(rawAccount(f, verifierAddress(u.publicKey))).toBeNull();
      });

      it('refuses a wallet with no collateral account with AccountNotInitialized', async () => {
        const u = await staked(0n);
        await expectAnchorError(() => u.market.verifierRegister({ authority: u.publicKey }), 'AccountNotInitialized', 3012);
      });

      it("refuses another wallet's collateral with the economy's CollateralProviderMismatch", async () => {
        const rich = await staked();
        const u = await staked(0n);
        await expectAnchorError(async () => sendRaw(u.provider, await verifierIx(u, rich.publicKey)), 'CollateralProviderMismatch', 6028);
      });

      it('cannot register twice (AccountDiscriminatorAlreadySet)', async () => {
        const u = await staked();
        await u.market.verifierRegister({ authority: u.publicKey });
        await expectAnchorError(() => u.market.verifierRegister({ authority: u.publicKey }), 'AccountDiscriminatorAlreadySet', 3000);
      });

      it('refuses an authority that did not sign with AccountNotSigner', async () => {
        const u = await staked();
        await expectAnchorError(async () => sendRaw(u.provider, unsign(await verifierIx(u), 'verifier_register', 'authority')), 'AccountNotSigner', 3010);
      });

      it("refuses an address other than the authority's verifier PDA with ConstraintSeeds", async () => {
        const u = await staked();
        const ix = await verifierIx(u);
        ix.keys[slot('verifier_register', 'verifier')]!.pubkey = providerAddress(u.publicKey);
        await expectAnchorError(() => sendRaw(u.provider, ix), 'ConstraintSeeds', 2006);
      });

      it('refuses the market account as the economy config with AccountOwnedByWrongProgram', async () => {
        const u = await staked();
        const ix = await verifierIx(u);
        ix.keys[slot('verifier_register', 'economy_config')]!.pubkey = marketplacePda.market();
        await expectAnchorError(() => sendRaw(u.provider, ix), 'AccountOwnedByWrongProgram', 3007);
      });

      it('refuses the economy config as the collateral with AccountDiscriminatorMismatch', async () => {
        const u = await staked();
        const ix = await verifierIx(u);
        ix.keys[slot('verifier_register', 'collateral')]!.pubkey = f.client.addresses.config;
        await expectAnchorError(() => sendRaw(u.provider, ix), 'AccountDiscriminatorMismatch', 3002);
      });

      it('a verifier that withdrew all its collateral can no longer vote on a challenge', async () => {
        // Given a registered verifier that then unlocked and withdrew its whole stake
        const v = await staked();
        await v.market.verifierRegister({ authority: v.publicKey });
        await v.client.collateralUnlock({ provider: v.publicKey });
        f.warp(86_400);
        await v.client.collateralWithdraw({ provider: v.publicKey, destination: f.fundUbc(v.publicKey, 0n), amount: MIN_COLLATERAL });
        expect(await f.client.fetchCollateral(v.publicKey)).toBeNull();
        // And a challenged job
        const provider = await f.registeredProvider({ pricePerThousand: 2_000_000n });
        const { layer } = await f.publishedLayer({ pricePerThousand: 1_000_000n });
        const client = f.marketUser(100n * WHOLE);
        const { job } = await client.market.createJob({ client: client.publicKey, jobId: 1, request: requestOf([layer], { prompt: 'Ahoy', maxTokens: 2_000 }), maxPricePerThousand: 2_500_000 });
        await provider.market.jobClaim({ authority: provider.publicKey, job });
        await provider.market.submitReceipt({ job, nodeKey: provider.nodeKey, receipt: { outputHash: sha256('Arr'), tokensUsed: 1_000, outputCid: 'bafkreiarr' } });
        const challenger = f.marketUser(10n * WHOLE);
        await challenger.market.challengeOpen({ challenger: challenger.publicKey, job, bond: 1n });
        // When the unstaked verifier votes, Then the vote is refused and not counted
        // (`verifier_register` requires the economy's provider minimum; nothing re-checks it later).
        await expect(v.market.challengeVote({ job, verifier: v.keypair, upheld: true, resultHash: sha256('Yarr') })).rejects.toThrow();
        const c = (await f.market.fetchChallenge(job))!;
        expect([c.upheldVotes, c.rejectedVotes]).toEqual([0, 0]);
      });
    });
  });
}
