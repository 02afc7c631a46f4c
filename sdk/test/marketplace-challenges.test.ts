import { BN } from '@coral-xyz/anchor';
import { TOKEN_2022_PROGRAM_ID, TOKEN_PROGRAM_ID } from '@solana/spl-token';
import { type Keypair, PublicKey, Transaction } from '@solana/web3.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROGRAM_IDS, collateralAddress, ed25519Verification, jobStatusName, marketplacePda, sha256, verdictMessage } from '../src/index.ts';
import { expectAnchorError } from './anchor-errors.ts';
import { WHOLE } from './economy-fixture.ts';
import { MIN_COLLATERAL, MarketFixture } from './market-fixture.ts';
import {
  JOB,
  type JobOptions,
  type MarketUser,
  TX_FEE,
  big,
  claimedJob,
  computeAta,
  eventOf,
  exists,
  lamports,
  nobody,
  plain,
  replaceAccounts,
  sendIxs,
  sendWith,
  settle,
  submittedJob,
  tokenBalance,
  ubcAta,
  ubcOf,
} from './marketplace-job-helpers.ts';

const DEFAULT_KEY = PublicKey.default.toBase58();
/** The market here: challenges bond at least 1,000 base units; an upheld one slashes 100 $UBC, 40% of it to the challenger. */
const MIN_BOND = 1_000n;
const BOND = 5_000n;
const SLASH = 100n * WHOLE;
const CHALLENGER_BPS = 4_000;
const CHALLENGE_WINDOW = 300n;
const VOTE_WINDOW = 600n;
const CHALLENGER_COMPUTE = 10n * WHOLE;

type Verifier = Awaited<ReturnType<MarketFixture['registeredVerifier']>>;

// One chain for the file, with $UBC and $COMPUTE minted by the economy program; every test makes
// its own layers, providers, verifiers, clients and jobs, and time only moves forward.
describe('marketplace challenges (program mints)', () => {
  let f: MarketFixture;

  beforeAll(async () => {
    f = await new MarketFixture('program mints').setup({ slashAmount: new BN(SLASH.toString()), challengerBps: CHALLENGER_BPS, minBond: new BN(MIN_BOND.toString()) });
  });

  const status = async (job: PublicKey) => jobStatusName((await f.market.fetchJob(job))!.status);
  const fetchProvider = async (p: { publicKey: PublicKey }) => plain(await f.market.fetchProvider(p.publicKey)) as Record<string, unknown>;
  const fetchLayer = async (layer: PublicKey) => plain(await f.market.fetchLayer(layer)) as Record<string, unknown>;
  const collateralOf = async (p: { publicKey: PublicKey }) => {
    const c = (await f.client.fetchCollateral(p.publicKey))!;
    return { amount: big(c.amount), openJobs: big(c.openJobs) };
  };

  /** A submitted job challenged with `bond` by a fresh challenger holding 10 $COMPUTE (unless given). */
  const challengedJob = async (o: JobOptions & { challenger?: MarketUser; bond?: bigint } = {}) => {
    const s = await submittedJob(f, o);
    const challenger = o.challenger ?? f.marketUser(CHALLENGER_COMPUTE);
    await challenger.market.challengeOpen({ challenger: challenger.publicKey, job: s.job, bond: o.bond ?? BOND });
    return { ...s, challenger };
  };
  const resultHash = (upheld: boolean) => sha256(upheld ? 'a different output' : 'the same output');
  /** `verifier`'s signed verdict, submitted by `by` (the verifier itself unless given). */
  const vote = (verifier: Verifier, job: PublicKey, upheld: boolean, by: MarketUser = verifier) =>
    by.market.challengeVote({ job, verifier: verifier.keypair, upheld, resultHash: resultHash(upheld) });
  const voteIxs = (verifier: { keypair: Keypair }, job: PublicKey, upheld: boolean) => f.market.voteInstructions({ job, verifier: verifier.keypair, upheld, resultHash: resultHash(upheld) });
  const verifiers = (n: number) => Promise.all(Array.from({ length: n }, () => f.registeredVerifier()));
  /** A challenged job with a quorum (2) of `upheld` votes. */
  const decidedJob = async (upheld: boolean, o: Parameters<typeof challengedJob>[0] = {}) => {
    const c = await challengedJob(o);
    const voters = await verifiers(2);
    for (const v of voters) await vote(v, c.job, upheld);
    return { ...c, voters };
  };
  /** Releases each voter's lock on a resolved challenge, by a fresh cranker. */
  const releaseVotes = async (challenge: PublicKey, voters: { publicKey: PublicKey }[]) => {
    const by = f.marketUser();
    for (const v of voters) await by.market.challengeVoteRelease({ challenge, verifier: v.publicKey });
    return by;
  };
  const resolve = (job: PublicKey, by: MarketUser = f.marketUser()) => by.market.challengeResolve({ job });
  const resolveWith = (job: PublicKey, accounts: Record<string, PublicKey>) => {
    const by = f.marketUser();
    return sendWith(by, () => resolve(job, by), 'challengeResolve', accounts);
  };

  // ---------------------------------------------------------------- challenge_open
  describe('challenge_open', () => {
    const open = (challenger: MarketUser, job: PublicKey, bond = BOND, challengerToken?: PublicKey) =>
      challenger.market.challengeOpen({ challenger: challenger.publicKey, job, bond, challengerToken });
    const openWith = (challenger: MarketUser, job: PublicKey, accounts: Record<string, PublicKey>) => sendWith(challenger, () => open(challenger, job), 'challengeOpen', accounts);

    it("bonds the challenger's $COMPUTE into the job's vault in the window's last second, starts the vote and emits ChallengeOpened", async () => {
      // Given a receipt 299 s old (the window is 300 s)
      const s = await submittedJob(f);
      f.warp(CHALLENGE_WINDOW - 1n);
      const challenger = f.marketUser(CHALLENGER_COMPUTE);
      const before = lamports(f, challenger.publicKey);
      // When a challenger bonds 5,000
      await open(challenger, s.job);
      // Then the challenge records it, with a vote open for 600 s
      const deadline = f.now() + VOTE_WINDOW;
      const serial = big((await f.market.fetchMarket())!.challengesOpened);
      const seeds = [Buffer.from('challenge'), s.job.toBuffer(), new BN(s.serial.toString()).toArrayLike(Buffer, 'le', 8)];
      expect(s.challenge.toBase58()).toBe(PublicKey.findProgramAddressSync(seeds, PROGRAM_IDS.marketplace)[0].toBase58());
      expect(plain(await f.market.fetchChallenge(s.job))).toEqual({
        job: s.job.toBase58(),
        jobSerial: s.serial,
        serial,
        challenger: challenger.publicKey.toBase58(),
        bond: BOND,
        openedTs: f.now(),
        voteDeadlineTs: deadline,
        quorum: 2,
        upheldVotes: 0,
        rejectedVotes: 0,
        voters: Array(8).fill(DEFAULT_KEY),
        upheldMask: 0,
        releasedMask: 0,
        resolved: false,
        outcome: { undecided: {} },
        bump: PublicKey.findProgramAddressSync(seeds, PROGRAM_IDS.marketplace)[1],
      });
      // And the bond sits in the job's vault beside the escrow
      expect(await tokenBalance(f, s.vault)).toBe(JOB.escrow + BOND);
      expect(await f.computeOf(challenger.publicKey)).toBe(CHALLENGER_COMPUTE - BOND);
      expect(plain(await f.market.fetchJob(s.job))).toMatchObject({ status: { challenged: {} }, bond: BOND, challenged: true });
      // And the challenger paid the challenge's rent
      expect(before - lamports(f, challenger.publicKey)).toBe(lamports(f, s.challenge) + TX_FEE);
      // And the provider and the layer count the challenge
      expect((await fetchProvider(s.provider)).jobsChallenged).toBe(1n);
      expect((await fetchLayer(s.layer)).jobsChallenged).toBe(1n);
      expect(plain(eventOf(f, challenger, 'challengeOpened'))).toEqual({ job: s.job.toBase58(), jobSerial: s.serial, challenge: s.challenge.toBase58(), serial, challenger: challenger.publicKey.toBase58(), bond: BOND, voteDeadlineTs: deadline });
    });

    it('is refused once the challenge window has ended', async () => {
      const s = await submittedJob(f);
      f.warp(CHALLENGE_WINDOW);
      const challenger = f.marketUser(CHALLENGER_COMPUTE);
      await expectAnchorError(() => open(challenger, s.job), 'ChallengeWindowClosed', 6026);
      expect(await f.computeOf(challenger.publicKey)).toBe(CHALLENGER_COMPUTE);
    });

    it("is refused with a bond below the market's minimum, accepted at it", async () => {
      const s = await submittedJob(f);
      const challenger = f.marketUser(CHALLENGER_COMPUTE);
      await expectAnchorError(() => open(challenger, s.job, MIN_BOND - 1n), 'BondTooSmall', 6027);
      await open(challenger, s.job, MIN_BOND);
      expect(await tokenBalance(f, s.vault)).toBe(JOB.escrow + MIN_BOND);
    });

    it("is refused to the job's own provider", async () => {
      const s = await submittedJob(f);
      f.fundCompute(s.provider.publicKey, CHALLENGER_COMPUTE);
      await expectAnchorError(() => open(s.provider, s.job), 'CannotChallengeOwnJob', 6035);
    });

    it('is refused for a job without a receipt', async () => {
      const c = await claimedJob(f);
      await expectAnchorError(() => open(f.marketUser(CHALLENGER_COMPUTE), c.job), 'JobStatusMismatch', 6016);
    });

    it('is refused for a job already challenged', async () => {
      const c = await challengedJob();
      const second = f.marketUser(CHALLENGER_COMPUTE);
      await expectAnchorError(() => open(second, c.job), 'JobStatusMismatch', 6016);
      expect(await tokenBalance(f, c.vault)).toBe(JOB.escrow + BOND);
    });

    it("is refused with another job's vault", async () => {
      const s = await submittedJob(f);
      const other = await submittedJob(f);
      await expectAnchorError(() => openWith(f.marketUser(CHALLENGER_COMPUTE), s.job, { jobVault: other.vault }), 'ConstraintAddress', 2012);
    });

    it("is refused with a challenge account other than the job's PDA", async () => {
      const s = await submittedJob(f);
      const other = await submittedJob(f);
      await expectAnchorError(() => openWith(f.marketUser(CHALLENGER_COMPUTE), s.job, { challenge: other.challenge }), 'ConstraintSeeds', 2006);
    });

    it("is refused with another provider's account", async () => {
      const s = await submittedJob(f);
      const other = await f.registeredProvider();
      await expectAnchorError(() => openWith(f.marketUser(CHALLENGER_COMPUTE), s.job, { provider: f.market.providerAddress(other.publicKey) }), 'ProviderMismatch', 6017);
    });

    it("is refused with a layer other than the job's", async () => {
      const s = await submittedJob(f);
      const { layer: other } = await f.publishedLayer();
      await expectAnchorError(() => openWith(f.marketUser(CHALLENGER_COMPUTE), s.job, { layer: other }), 'LayerMismatch', 6046);
    });

    it("is refused to bond from someone else's account", async () => {
      const s = await submittedJob(f);
      const victim = f.marketUser(CHALLENGER_COMPUTE);
      await expectAnchorError(() => open(f.marketUser(CHALLENGER_COMPUTE), s.job, BOND, computeAta(f, victim.publicKey)), 'ConstraintTokenOwner', 2015);
      expect(await f.computeOf(victim.publicKey)).toBe(CHALLENGER_COMPUTE);
    });

    it("is refused with a token program other than $COMPUTE's", async () => {
      const s = await submittedJob(f);
      await expectAnchorError(() => openWith(f.marketUser(CHALLENGER_COMPUTE), s.job, { tokenProgram: TOKEN_2022_PROGRAM_ID }), 'MintMismatch', 6034);
    });

    it('keeps the job from settling until the challenge is resolved', async () => {
      const c = await challengedJob();
      f.warp(CHALLENGE_WINDOW);
      await expectAnchorError(() => settle(f, c.job), 'JobStatusMismatch', 6016);
    });
  });

  // ---------------------------------------------------------------- challenge_vote
  describe('challenge_vote', () => {
    it("records a registered verifier's signed verdict, whoever submits it, and emits ChallengeVoted", async () => {
      // Given a challenged job and two verifiers
      const c = await challengedJob();
      const [first, second] = await verifiers(2);
      // When a relayer submits the first's verdict (upheld) and the second submits its own (rejected)
      const relayer = f.marketUser();
      await vote(first!, c.job, true, relayer);
      expect(plain(eventOf(f, relayer, 'challengeVoted'))).toEqual({
        job: c.job.toBase58(),
        challenge: c.challenge.toBase58(),
        serial: big((await f.market.fetchChallenge(c.job))!.serial),
        verifier: first!.publicKey.toBase58(),
        upheld: true,
        resultHash: [...resultHash(true)],
        upheldVotes: 1,
        rejectedVotes: 0,
      });
      await vote(second!, c.job, false);
      // Then the challenge holds both votes in order, and each verifier counts its vote
      expect(plain(await f.market.fetchChallenge(c.job))).toMatchObject({
        upheldVotes: 1,
        rejectedVotes: 1,
        voters: [first!.publicKey.toBase58(), second!.publicKey.toBase58(), ...Array(6).fill(DEFAULT_KEY)],
        upheldMask: 0b01,
      });
      expect(plain(eventOf(f, second!, 'challengeVoted'))).toMatchObject({ upheld: false, upheldVotes: 1, rejectedVotes: 1 });
      for (const v of [first!, second!]) expect(plain(await f.market.fetchVerifier(v.publicKey))).toMatchObject({ votesCast: 1n, openVotes: 1n, votesWon: 0n, votesLost: 0n });
      // And each vote locks the verifier's collateral: it cannot be unlocked while the challenge is open
      for (const v of [first!, second!]) expect((await collateralOf(v)).openJobs).toBe(1n);
      await expectAnchorError(() => first!.client.collateralUnlock({ provider: first!.publicKey }), 'CannotWhileJobsOpen', 6023);
      // And the job stays challenged, no token moved
      expect(await status(c.job)).toBe('challenged');
      expect(await tokenBalance(f, c.vault)).toBe(JOB.escrow + BOND);
    });

    it('is accepted at the vote deadline itself', async () => {
      const c = await challengedJob();
      const [v] = await verifiers(1);
      f.warp(VOTE_WINDOW);
      await vote(v!, c.job, true);
      expect((await f.market.fetchChallenge(c.job))!.upheldVotes).toBe(1);
    });

    it('is refused after the vote deadline', async () => {
      const c = await challengedJob();
      const [v] = await verifiers(1);
      f.warp(VOTE_WINDOW + 1n);
      await expectAnchorError(() => vote(v!, c.job, true), 'VotingClosed', 6031);
    });

    it('is refused once a side has its quorum', async () => {
      const c = await decidedJob(true);
      const [late] = await verifiers(1);
      await expectAnchorError(() => vote(late!, c.job, false), 'VotingClosed', 6031);
    });

    it('is refused a second time from the same verifier', async () => {
      const c = await challengedJob();
      const [v] = await verifiers(1);
      await vote(v!, c.job, true);
      await expectAnchorError(() => vote(v!, c.job, false), 'VerifierAlreadyVoted', 6028);
      expect(plain(await f.market.fetchChallenge(c.job))).toMatchObject({ upheldVotes: 1, rejectedVotes: 0 });
    });

    it("is refused from the job's provider, registered as a verifier", async () => {
      const s = await submittedJob(f);
      await s.provider.market.verifierRegister({ authority: s.provider.publicKey });
      const challenger = f.marketUser(CHALLENGER_COMPUTE);
      await challenger.market.challengeOpen({ challenger: challenger.publicKey, job: s.job, bond: BOND });
      await expectAnchorError(() => vote(s.provider, s.job, false), 'VerifierNotEligible', 6029);
    });

    it('is refused from the challenger, registered as a verifier', async () => {
      const challenger = await f.registeredVerifier();
      f.fundCompute(challenger.publicKey, CHALLENGER_COMPUTE);
      const c = await challengedJob({ challenger });
      await expectAnchorError(() => vote(challenger, c.job, true), 'VerifierNotEligible', 6029);
    });

    it("is refused from the job's client, registered as a verifier", async () => {
      const client = await f.registeredVerifier();
      f.fundCompute(client.publicKey, 100n * WHOLE);
      const c = await challengedJob({ client });
      await expectAnchorError(() => vote(client, c.job, true), 'VerifierNotEligible', 6029);
    });

    it("is refused from a verifier whose collateral fell below the economy's minimum since it registered", async () => {
      // Given a registered verifier that withdrew one base unit of its collateral after the cooldown
      const [v] = await verifiers(1);
      await v!.client.collateralUnlock({ provider: v!.publicKey });
      f.warp(86_400);
      await v!.client.collateralWithdraw({ provider: v!.publicKey, destination: ubcAta(f, v!.publicKey), amount: 1n });
      // When it votes on a challenge
      const c = await challengedJob();
      // Then it is refused
      await expectAnchorError(() => vote(v!, c.job, true), 'CollateralInsufficient', 6012);
    });

    it("is refused with another verifier's collateral", async () => {
      const c = await challengedJob();
      const [v, other] = await verifiers(2);
      await expectAnchorError(() => sendWith(v!, () => vote(v!, c.job, true), 'challengeVote', { collateral: collateralAddress(other!.publicKey) }), 'CollateralProviderMismatch', 6028);
    });

    it('is refused from an unregistered verifier', async () => {
      const c = await challengedJob();
      const stranger = f.marketUser();
      await expectAnchorError(() => vote(stranger, c.job, true), 'AccountNotInitialized', 3012);
    });

    it('is refused for a job not under challenge', async () => {
      const s = await submittedJob(f);
      const other = await challengedJob();
      const [v] = await verifiers(1);
      // (the SDK finds no challenge for the job: the challenge of another job is passed instead)
      await expectAnchorError(() => sendWith(v!, () => vote(v!, other.job, true), 'challengeVote', { job: s.job }), 'JobStatusMismatch', 6016);
    });

    it("is refused with another job's challenge", async () => {
      const c = await challengedJob();
      const other = await challengedJob();
      const [v] = await verifiers(1);
      await expectAnchorError(() => sendWith(v!, () => vote(v!, c.job, true), 'challengeVote', { challenge: other.challenge }), 'JobStatusMismatch', 6016);
    });

    it('is refused without an Ed25519 verification before it', async () => {
      const c = await challengedJob();
      const [v] = await verifiers(1);
      const [, ix] = await voteIxs(v!, c.job, true);
      await expectAnchorError(() => sendIxs(v!, [ix!]), 'SignatureMissing', 6022);
    });

    it("is refused when signed by a key other than the verifier's", async () => {
      const c = await challengedJob();
      const [v] = await verifiers(1);
      const [, ix] = await voteIxs(v!, c.job, true);
      const impostor = f.marketUser();
      const { instance, challengeSerial } = await f.market.challengeOf(c.job);
      const verdict = verdictMessage({ instance, challengeSerial, upheld: true, resultHash: resultHash(true) });
      await expectAnchorError(() => sendIxs(impostor, [ed25519Verification(impostor.keypair, verdict), ix!]), 'SignerMismatch', 6023);
    });

    it('is refused when the verdict submitted is not the one signed', async () => {
      // Given a verifier signed "upheld"
      const c = await challengedJob();
      const [v] = await verifiers(1);
      const [signedUpheld] = await voteIxs(v!, c.job, true);
      // When its vote is submitted as "rejected"
      const [, ix] = await voteIxs(v!, c.job, false);
      await expectAnchorError(() => sendIxs(f.marketUser(), [signedUpheld!, ix!]), 'SignedMessageMismatch', 6024);
      expect((await f.market.fetchChallenge(c.job))!.rejectedVotes).toBe(0);
    });

    it("is refused when a verdict signed for one job is replayed onto another", async () => {
      const first = await challengedJob();
      const second = await challengedJob();
      const [v] = await verifiers(1);
      const [signedForFirst] = await voteIxs(v!, first.job, true);
      const [, forSecond] = await voteIxs(v!, second.job, true);
      await expectAnchorError(() => sendIxs(v!, [signedForFirst!, forSecond!]), 'SignedMessageMismatch', 6024);
    });

    it('is refused without the instructions sysvar', async () => {
      const c = await challengedJob();
      const [v] = await verifiers(1);
      const tx = replaceAccounts(new Transaction().add(...(await voteIxs(v!, c.job, true))), 'challengeVote', { instructions: nobody() });
      await expectAnchorError(() => v!.provider.sendAndConfirm(tx), 'ConstraintAddress', 2012);
    });
  });

  // ---------------------------------------------------------------- challenge_resolve
  describe('challenge_resolve', () => {
    it("upheld by a quorum: slashes the provider's collateral to the challenger and the treasury, refunds the client, returns the bond, closes everything and emits ChallengeResolved", async () => {
      // Given a challenged job two verifiers found wrong
      const c = await decidedJob(true);
      const rent = { job: lamports(f, c.job), vault: lamports(f, c.vault), challenge: lamports(f, c.challenge) };
      const before = {
        client: await f.computeOf(c.client.publicKey),
        clientLamports: lamports(f, c.client.publicKey),
        challengerLamports: lamports(f, c.challenger.publicKey),
        treasuryUbc: await ubcOf(f, f.treasury),
        stakeVault: await f.balance(f.client.addresses.stakeVault, f.tokenProgram),
        totalCollateral: big((await f.client.fetchConfig())!.totalCollateral),
      };
      expect(await collateralOf(c.provider)).toEqual({ amount: MIN_COLLATERAL, openJobs: 1n });

      // When anyone resolves it
      const resolver = f.marketUser();
      await resolve(c.job, resolver);

      // Then 100 $UBC is slashed: 40 to the challenger, 60 to the treasury, out of the stake vault
      expect(await collateralOf(c.provider)).toEqual({ amount: MIN_COLLATERAL - SLASH, openJobs: 0n });
      expect(await ubcOf(f, c.challenger.publicKey)).toBe(40n * WHOLE);
      expect((await ubcOf(f, f.treasury)) - before.treasuryUbc).toBe(60n * WHOLE);
      expect(before.stakeVault - (await f.balance(f.client.addresses.stakeVault, f.tokenProgram))).toBe(SLASH);
      expect(before.totalCollateral - big((await f.client.fetchConfig())!.totalCollateral)).toBe(SLASH);
      // And the client gets the whole escrow back, the challenger its bond, the provider nothing
      expect(await f.computeOf(c.client.publicKey)).toBe(before.client + JOB.escrow);
      expect(await f.computeOf(c.challenger.publicKey)).toBe(CHALLENGER_COMPUTE);
      expect(await f.computeOf(c.provider.publicKey)).toBe(0n);
      // And the job and its vault are closed, their rent back to the client
      for (const account of [c.job, c.vault]) expect(exists(f, account)).toBe(false);
      expect(lamports(f, c.client.publicKey) - before.clientLamports).toBe(rent.job + rent.vault);
      // And the challenge stays, resolved, while its voters' collateral is locked
      expect(plain(await f.market.fetchChallenge(c.job, c.serial))).toMatchObject({ resolved: true, outcome: { upheld: {} }, releasedMask: 0 });
      for (const v of c.voters) expect((await collateralOf(v)).openJobs).toBe(1n);
      // And once each voter is released it closes, its rent back to the challenger
      await releaseVotes(c.challenge, c.voters);
      expect(exists(f, c.challenge)).toBe(false);
      expect(lamports(f, c.challenger.publicKey) - before.challengerLamports).toBe(rent.challenge);
      // And the provider and the layer count the slash
      expect(await fetchProvider(c.provider)).toMatchObject({ openJobs: 0n, jobsChallenged: 1n, jobsSlashed: 1n, jobsCompleted: 0n });
      expect(await fetchLayer(c.layer)).toMatchObject({ jobsChallenged: 1n, jobsSlashed: 1n, jobsCompleted: 0n });
      expect(plain(eventOf(f, resolver, 'challengeResolved'))).toEqual({
        job: c.job.toBase58(),
        challenge: c.challenge.toBase58(),
        serial: big((await f.market.fetchMarket())!.challengesOpened),
        outcome: { upheld: {} },
        challenger: c.challenger.publicKey.toBase58(),
        provider: c.provider.publicKey.toBase58(),
        bond: BOND,
        slashed: SLASH,
        refund: JOB.escrow,
        upheldVotes: 2,
        rejectedVotes: 0,
      });
    });

    it('a slashed provider that leaves and registers again keeps its record: its counters are not laundered', async () => {
      // Given a provider slashed by an upheld challenge, with enough collateral left to register
      const provider = await f.registeredProvider({ pricePerThousand: 2_000_000n, collateral: MIN_COLLATERAL + SLASH });
      const c = await decidedJob(true, { provider });
      await resolve(c.job);
      const record = await fetchProvider(provider);
      expect(record).toMatchObject({ jobsChallenged: 1n, jobsSlashed: 1n, openJobs: 0n });
      // When it deregisters and registers again, with a new offer
      await provider.market.providerDeregister({ authority: provider.publicKey });
      const spec = { nodeKey: provider.nodeKey.publicKey, pricePerThousand: new BN(7), endpoint: 'http://127.0.0.1:7001', baseModels: 'qwen2-0.5b' };
      await provider.market.providerRegister({ authority: provider.publicKey, spec });
      // Then the new offer stands and the slash is still on its record
      expect(await fetchProvider(provider)).toMatchObject({ ...record, pricePerThousand: 7n, endpoint: 'http://127.0.0.1:7001', baseModels: 'qwen2-0.5b', deregistered: false, registeredTs: f.now(), heartbeatTs: f.now() });
    });

    it('upheld: slashes at most what the collateral holds', async () => {
      // Given the admin raised the slash above the provider's whole collateral
      const params = (await f.market.fetchMarket())!.params;
      await f.market.marketUpdate({ admin: f.admin, params: { ...params, slashAmount: new BN((2n * MIN_COLLATERAL).toString()) } });
      try {
        const c = await decidedJob(true);
        // When the challenge is resolved
        const resolver = f.marketUser();
        await resolve(c.job, resolver);
        // Then the whole collateral went: 40% to the challenger
        expect(await collateralOf(c.provider)).toEqual({ amount: 0n, openJobs: 0n });
        expect(await ubcOf(f, c.challenger.publicKey)).toBe((MIN_COLLATERAL * 4n) / 10n);
        expect(plain(eventOf(f, resolver, 'challengeResolved'))).toMatchObject({ slashed: MIN_COLLATERAL });
      } finally {
        await f.market.marketUpdate({ admin: f.admin, params });
      }
    });

    it('upheld for a challenging client: the client gets the escrow and its bond back', async () => {
      const client = f.marketUser(JOB.clientCompute);
      const c = await decidedJob(true, { client, challenger: client });
      await resolve(c.job);
      expect(await f.computeOf(client.publicKey)).toBe(JOB.clientCompute);
      expect(await ubcOf(f, client.publicKey)).toBe(40n * WHOLE);
    });

    it('rejected by a quorum: the bond goes to the provider, and the job settles right away', async () => {
      // Given a challenged job two verifiers found right
      const c = await decidedJob(false);
      const challengerLamports = lamports(f, c.challenger.publicKey);
      const challengeRent = lamports(f, c.challenge);
      // When it is resolved
      const resolver = f.marketUser();
      await resolve(c.job, resolver);
      // Then the provider has the bond, the challenger loses it, and nobody is slashed
      expect(await f.computeOf(c.provider.publicKey)).toBe(BOND);
      expect(await f.computeOf(c.challenger.publicKey)).toBe(CHALLENGER_COMPUTE - BOND);
      expect(await collateralOf(c.provider)).toEqual({ amount: MIN_COLLATERAL, openJobs: 1n });
      expect(await ubcOf(f, c.challenger.publicKey)).toBe(0n);
      // And the challenge closes once its voters are released, its rent back to the challenger; the job is back to submitted, settleable now
      await releaseVotes(c.challenge, c.voters);
      expect(exists(f, c.challenge)).toBe(false);
      expect(lamports(f, c.challenger.publicKey) - challengerLamports).toBe(challengeRent);
      expect(plain(await f.market.fetchJob(c.job))).toMatchObject({ status: { submitted: {} }, bond: 0n, settleAfterTs: f.now() });
      expect(await tokenBalance(f, c.vault)).toBe(JOB.escrow);
      expect(plain(eventOf(f, resolver, 'challengeResolved'))).toMatchObject({
        job: c.job.toBase58(),
        challenge: c.challenge.toBase58(),
        outcome: { rejected: {} },
        challenger: c.challenger.publicKey.toBase58(),
        provider: c.provider.publicKey.toBase58(),
        bond: BOND,
        slashed: 0n,
        refund: 0n,
        upheldVotes: 0,
        rejectedVotes: 2,
      });
      // And it cannot be challenged again, but settles at once, paying the provider on top of the bond
      const again = f.marketUser(CHALLENGER_COMPUTE);
      await expectAnchorError(() => again.market.challengeOpen({ challenger: again.publicKey, job: c.job, bond: BOND }), 'AlreadyChallenged', 6043);
      await settle(f, c.job);
      expect(await f.computeOf(c.provider.publicKey)).toBe(BOND + 2_655_000n + 30_000n);
      expect(await fetchProvider(c.provider)).toMatchObject({ openJobs: 0n, jobsCompleted: 1n, jobsChallenged: 1n, jobsSlashed: 0n });
    });

    it('undecided at the vote deadline: the bond goes back to the challenger and the job settles', async () => {
      // Given a challenge with a single upheld vote when the vote closes
      const c = await challengedJob();
      const [v] = await verifiers(1);
      await vote(v!, c.job, true);
      f.warp(VOTE_WINDOW + 1n);
      // When it is resolved
      const resolver = f.marketUser();
      await resolve(c.job, resolver);
      // Then the challenger has its bond back and nobody is slashed
      expect(await f.computeOf(c.challenger.publicKey)).toBe(CHALLENGER_COMPUTE);
      expect(await f.computeOf(c.provider.publicKey)).toBe(0n);
      expect(await collateralOf(c.provider)).toEqual({ amount: MIN_COLLATERAL, openJobs: 1n });
      expect(plain(eventOf(f, resolver, 'challengeResolved'))).toMatchObject({ outcome: { undecided: {} }, bond: BOND, slashed: 0n, refund: 0n, upheldVotes: 1, rejectedVotes: 0 });
      // And the voter's release counts neither a win nor a loss, and closes the challenge
      await releaseVotes(c.challenge, [v!]);
      expect(exists(f, c.challenge)).toBe(false);
      expect(plain(await f.market.fetchVerifier(v!.publicKey))).toMatchObject({ votesCast: 1n, openVotes: 0n, votesWon: 0n, votesLost: 0n });
      // And the job settles right away
      expect(await status(c.job)).toBe('submitted');
      await settle(f, c.job);
      expect(await f.computeOf(c.provider.publicKey)).toBe(2_655_000n + 30_000n);
    });

    it('is refused without a quorum before the vote deadline', async () => {
      const c = await challengedJob();
      await expectAnchorError(() => resolve(c.job), 'VotingNotOver', 6030);
      expect(await tokenBalance(f, c.vault)).toBe(JOB.escrow + BOND);
    });

    it('is refused one vote short of a quorum at the vote deadline itself', async () => {
      const c = await challengedJob();
      const [v] = await verifiers(1);
      await vote(v!, c.job, true);
      f.warp(VOTE_WINDOW);
      await expectAnchorError(() => resolve(c.job), 'VotingNotOver', 6030);
    });

    it('is refused for a job not under challenge', async () => {
      const c = await decidedJob(true);
      const s = await submittedJob(f);
      await expectAnchorError(() => resolveWith(c.job, { job: s.job }), 'JobStatusMismatch', 6016);
    });

    it("is refused with a challenger other than the challenge's", async () => {
      const c = await decidedJob(true);
      const other = f.marketUser();
      await expectAnchorError(() => resolveWith(c.job, { challenger: other.publicKey }), 'ConstraintAddress', 2012);
    });

    it("is refused with another job's vault", async () => {
      const c = await decidedJob(true);
      const other = await challengedJob();
      await expectAnchorError(() => resolveWith(c.job, { jobVault: other.vault }), 'ConstraintAddress', 2012);
      expect(await tokenBalance(f, other.vault)).toBe(JOB.escrow + BOND);
    });

    it("is refused with a client other than the job's", async () => {
      const c = await decidedJob(true);
      await expectAnchorError(() => resolveWith(c.job, { client: nobody() }), 'ClientMismatch', 6032);
    });

    it("is refused with another provider's account", async () => {
      const c = await decidedJob(true);
      const other = await f.registeredProvider();
      await expectAnchorError(() => resolveWith(c.job, { provider: f.market.providerAddress(other.publicKey) }), 'ProviderMismatch', 6017);
    });

    it("is refused with a provider wallet other than the job's", async () => {
      const c = await decidedJob(true);
      const other = await f.registeredProvider();
      await expectAnchorError(() => resolveWith(c.job, { providerAuthority: other.publicKey }), 'ConstraintAddress', 2012);
    });

    it("is refused with a layer other than the job's", async () => {
      const c = await decidedJob(true);
      const { layer: other } = await f.publishedLayer();
      await expectAnchorError(() => resolveWith(c.job, { layer: other }), 'LayerMismatch', 6046);
    });

    it("upheld: is refused to refund into someone else's account", async () => {
      const c = await decidedJob(true);
      await expectAnchorError(() => resolveWith(c.job, { clientToken: computeAta(f, c.challenger.publicKey) }), 'ConstraintTokenOwner', 2015);
    });

    it("upheld: is refused to return the bond into someone else's account", async () => {
      const c = await decidedJob(true);
      await expectAnchorError(() => resolveWith(c.job, { challengerToken: computeAta(f, c.client.publicKey) }), 'ConstraintTokenOwner', 2015);
    });

    it("upheld: is refused to pay the challenger's share of the slash into someone else's $UBC account", async () => {
      const c = await decidedJob(true);
      await expectAnchorError(() => resolveWith(c.job, { challengerUbc: ubcAta(f, c.provider.publicKey) }), 'ConstraintTokenOwner', 2015);
      expect((await collateralOf(c.provider)).amount).toBe(MIN_COLLATERAL);
    });

    it("upheld: is refused to pay the treasury's share into an account the treasury does not own", async () => {
      const c = await decidedJob(true);
      await expectAnchorError(() => resolveWith(c.job, { treasuryUbc: ubcAta(f, c.provider.publicKey) }), 'ConstraintTokenOwner', 2015);
      expect((await collateralOf(c.provider)).amount).toBe(MIN_COLLATERAL);
    });

    it("upheld: is refused with another provider's collateral", async () => {
      const c = await decidedJob(true);
      const other = await f.registeredProvider();
      await expectAnchorError(() => resolveWith(c.job, { collateral: collateralAddress(other.publicKey) }), 'CollateralProviderMismatch', 6028);
      expect((await collateralOf(other)).amount).toBe(MIN_COLLATERAL);
    });

    it("rejected: is refused to pay the bond into an account not the provider's", async () => {
      const c = await decidedJob(false);
      await expectAnchorError(() => resolveWith(c.job, { providerToken: computeAta(f, c.client.publicKey) }), 'ConstraintTokenOwner', 2015);
    });

    it("undecided: is refused to return the bond into an account not the challenger's", async () => {
      const c = await challengedJob();
      f.warp(VOTE_WINDOW + 1n);
      await expectAnchorError(() => resolveWith(c.job, { challengerToken: computeAta(f, c.client.publicKey) }), 'ConstraintTokenOwner', 2015);
    });

    it("is refused with a stake vault other than the economy's", async () => {
      const c = await decidedJob(true);
      await expectAnchorError(() => resolveWith(c.job, { stakeVault: ubcAta(f, c.provider.publicKey) }), 'ConstraintAddress', 2012);
    });

    it("is refused with an economy authority other than the economy's", async () => {
      const c = await decidedJob(true);
      await expectAnchorError(() => resolveWith(c.job, { economyAuthority: nobody() }), 'ConstraintAddress', 2012);
    });

    // Fails today: challenge_resolve.rs maps the economy's `check_ubc` error to MintMismatch, but the
    // economy error was already logged as an AnchorError (TokenProgramMismatch, 6008) on its
    // conversion, so clients parsing the logs see the wrong error while the code is 6034.
    it("is refused with a token program other than $UBC's", async () => {
      const c = await decidedJob(true);
      await expectAnchorError(() => resolveWith(c.job, { ubcTokenProgram: TOKEN_2022_PROGRAM_ID }), 'MintMismatch', 6034);
    });

    it('is refused with a fake economy program', async () => {
      const c = await decidedJob(true);
      await expectAnchorError(() => resolveWith(c.job, { economyProgram: TOKEN_PROGRAM_ID }), 'ConstraintAddress', 2012);
    });

    it("is refused with a token program other than $COMPUTE's", async () => {
      const c = await decidedJob(true);
      await expectAnchorError(() => resolveWith(c.job, { tokenProgram: TOKEN_2022_PROGRAM_ID }), 'MintMismatch', 6034);
    });
  });

  // ---------------------------------------------------------------- challenge_vote_release
  describe('challenge_vote_release', () => {
    const release = (challenge: PublicKey, verifier: { publicKey: PublicKey }, by: MarketUser = f.marketUser()) => by.market.challengeVoteRelease({ challenge, verifier: verifier.publicKey });

    it("keeps each voter's collateral locked until the challenge is resolved and its vote released, and counts votes won and lost", async () => {
      // Given a challenge one verifier voted to reject and two to uphold
      const c = await challengedJob();
      const [loser, winner1, winner2] = await verifiers(3);
      await vote(loser!, c.job, false);
      await vote(winner1!, c.job, true);
      await vote(winner2!, c.job, true);
      // Then no voter can unlock its collateral, and no vote can be released before the resolution
      for (const v of [loser!, winner1!, winner2!]) {
        expect(await collateralOf(v)).toEqual({ amount: MIN_COLLATERAL, openJobs: 1n });
        await expectAnchorError(() => v.client.collateralUnlock({ provider: v.publicKey }), 'CannotWhileJobsOpen', 6023);
      }
      await expectAnchorError(() => release(c.challenge, loser!), 'ChallengeNotResolved', 6039);
      // When it is resolved (upheld) and each vote released by anyone
      await resolve(c.job);
      const by = f.marketUser();
      await release(c.challenge, loser!, by);
      expect(plain(eventOf(f, by, 'challengeVoteReleased'))).toEqual({
        challenge: c.challenge.toBase58(),
        verifier: loser!.publicKey.toBase58(),
        result: { lost: {} },
        votesWon: 0n,
        votesLost: 1n,
        openVotes: 0n,
        closed: false,
      });
      await release(c.challenge, winner1!);
      await release(c.challenge, winner2!, by);
      expect(plain(eventOf(f, by, 'challengeVoteReleased'))).toMatchObject({ result: { won: {} }, closed: true });
      // Then the losing vote counts against its verifier, the others for theirs
      expect(plain(await f.market.fetchVerifier(loser!.publicKey))).toMatchObject({ votesCast: 1n, openVotes: 0n, votesWon: 0n, votesLost: 1n });
      for (const v of [winner1!, winner2!]) expect(plain(await f.market.fetchVerifier(v.publicKey))).toMatchObject({ votesCast: 1n, openVotes: 0n, votesWon: 1n, votesLost: 0n });
      // And each collateral is free again: the verifier may unlock it
      for (const v of [loser!, winner1!, winner2!]) expect((await collateralOf(v)).openJobs).toBe(0n);
      await loser!.client.collateralUnlock({ provider: loser!.publicKey });
      // And the challenge is gone, so nothing is released twice
      expect(exists(f, c.challenge)).toBe(false);
    });

    it('is refused twice for one voter, and for a verifier that did not vote', async () => {
      const c = await decidedJob(false);
      await resolve(c.job);
      const [stranger] = await verifiers(1);
      await expectAnchorError(() => release(c.challenge, stranger!), 'VoterNotFound', 6040);
      await release(c.challenge, c.voters[0]!);
      await expectAnchorError(() => release(c.challenge, c.voters[0]!), 'VoteAlreadyReleased', 6041);
      expect((await collateralOf(c.voters[0]!)).openJobs).toBe(0n);
      expect((await collateralOf(c.voters[1]!)).openJobs).toBe(1n);
    });

    it("is refused with another wallet's collateral, verifier account or challenger", async () => {
      const c = await decidedJob(true);
      await resolve(c.job);
      const [v] = c.voters;
      const [other] = await verifiers(1);
      const by = f.marketUser();
      const releaseWith = (accounts: Record<string, PublicKey>) => sendWith(by, () => release(c.challenge, v!, by), 'challengeVoteRelease', accounts);
      await expectAnchorError(() => releaseWith({ collateral: collateralAddress(other!.publicKey) }), 'CollateralProviderMismatch', 6028);
      await expectAnchorError(() => releaseWith({ verifierAuthority: other!.publicKey }), 'ConstraintAddress', 2012);
      await expectAnchorError(() => releaseWith({ challenger: nobody() }), 'ConstraintAddress', 2012);
      // (another verifier's account: that verifier never voted here)
      await expectAnchorError(() => releaseWith({ verifier: marketplacePda.verifier(other!.publicKey), verifierAuthority: other!.publicKey }), 'VoterNotFound', 6040);
      expect((await collateralOf(v!)).openJobs).toBe(1n);
    });
  });
});
