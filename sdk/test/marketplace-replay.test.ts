import { BN } from '@coral-xyz/anchor';
import { PublicKey, type TransactionInstruction } from '@solana/web3.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClusterMismatchError, canonicalJobRequest, type JobInstance, MarketplaceClient, type Receipt, type Verdict, ed25519Verification, marketplacePda, receiptMessage, sha256, verdictMessage } from '../src/index.ts';
import { rawAccount, withPlanted } from './marketplace-layer-helpers.ts';
import { expectAnchorError } from './anchor-errors.ts';
import { WHOLE } from './economy-fixture.ts';
import { MIN_COLLATERAL, MarketFixture } from './market-fixture.ts';
import {
  JOB,
  type RegisteredProvider,
  big,
  capture,
  claimedJob,
  exists,
  findInstruction,
  openJob,
  plain,
  receiptOf,
  replaceAccounts,
  sendIxs,
  settle,
  submittedJob,
  tokenBalance,
  vaultOf,
  requestOf,
} from './marketplace-job-helpers.ts';

// The default market (10-minute receipt deadline, 5-minute challenge window, 10-minute vote, a
// quorum of 2) with an upheld challenge slashing 100 $UBC.
const JOB_TIMEOUT = 600n;
const CHALLENGE_WINDOW = 300n;
const VOTE_WINDOW = 600n;
const SLASH = 100n * WHOLE;
const BOND = 5_000n;
const OTHER_CLUSTER = new PublicKey(new Uint8Array(32).fill(7));

const u64 = (n: bigint | number) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};
/** What nodes and verifiers signed before the fix: the job's address only. */
const receiptV1 = (job: PublicKey, r: Receipt) =>
  Buffer.concat([Buffer.from('spicetime:receipt:v1'), job.toBuffer(), Buffer.from(r.outputHash), u64(r.tokensUsed), Buffer.from(r.outputCid)]);
const verdictV1 = (v: Verdict) => Buffer.concat([Buffer.from('spicetime:verdict:v1'), v.instance.job.toBuffer(), Buffer.from([v.upheld ? 1 : 0]), Buffer.from(v.resultHash)]);
const resultHash = (upheld: boolean) => sha256(upheld ? 'a different output' : 'the same output');

type Verifier = Awaited<ReturnType<MarketFixture['registeredVerifier']>>;
type Instance = Awaited<ReturnType<typeof claimedJob>>;
interface Watched {
  job: PublicKey;
  vault: PublicKey;
  client: { publicKey: PublicKey };
  provider: { publicKey: PublicKey };
}

// One chain for the file; every test makes its own users, layers and jobs (a job id is per client),
// and time only moves forward.
describe('marketplace replays across job instances (existing mints)', () => {
  let f: MarketFixture;

  beforeAll(async () => {
    f = await new MarketFixture('existing mints').setup({ slashAmount: new BN(SLASH.toString()) });
  });

  /** A provider with one slash to spare, so it can claim again after an upheld challenge. */
  const provider = () => f.registeredProvider({ pricePerThousand: JOB.providerPrice, collateral: MIN_COLLATERAL + SLASH });
  const verifiers = (n: number) => Promise.all(Array.from({ length: n }, () => f.registeredVerifier()));
  const collateralOf = async (wallet: PublicKey) => {
    const c = (await f.client.fetchCollateral(wallet))!;
    return { amount: big(c.amount), openJobs: big(c.openJobs) };
  };
  const receiptIxs = (p: RegisteredProvider, job: PublicKey, receipt = receiptOf(), instance?: JobInstance) =>
    p.market.receiptInstructions({ job, receipt, nodeKey: p.nodeKey, provider: p.publicKey, instance });
  const verdictIxs = (v: Verifier, job: PublicKey, upheld: boolean) => f.market.voteInstructions({ job, verifier: v.keypair, upheld, resultHash: resultHash(upheld) });
  /** Challenges `job`'s receipt, by a fresh challenger with 10 $COMPUTE unless given. */
  const challenge = async (job: PublicKey, challenger = f.marketUser(10n * WHOLE)) => {
    await challenger.market.challengeOpen({ challenger: challenger.publicKey, job, bond: BOND });
    return challenger;
  };
  /** Each verifier's signed verdict, sent by itself; returns the instructions sent, to replay later. */
  const voteAll = async (job: PublicKey, voters: Verifier[], upheld: boolean) => {
    const sent: TransactionInstruction[][] = [];
    for (const v of voters) {
      const ixs = await verdictIxs(v, job, upheld);
      await sendIxs(v, ixs);
      sent.push(ixs);
    }
    return sent;
  };
  const resolve = (job: PublicKey) => f.marketUser().market.challengeResolve({ job });
  const release = (challenge: PublicKey, verifier: Verifier) => f.marketUser().market.challengeVoteRelease({ challenge, verifier: verifier.publicKey });
  const settleAndClose = async (j: Instance) => {
    f.warp(CHALLENGE_WINDOW);
    await settle(f, j.job);
    await j.client.market.jobClose({ client: j.client.publicKey, job: j.job });
  };

  /** Everything a refused replay must leave as it was: the market's counters, the job, its challenge, the tokens and the collateral. */
  const snapshot = async (w: Watched, voters: Verifier[]) => ({
    market: plain(await f.market.fetchMarket()),
    job: plain(await f.market.fetchJob(w.job)),
    challenge: plain(await f.market.fetchChallenge(w.job)),
    vault: await tokenBalance(f, w.vault),
    client: await f.computeOf(w.client.publicKey),
    provider: plain(await f.market.fetchProvider(w.provider.publicKey)),
    collateral: await collateralOf(w.provider.publicKey),
    voters: await Promise.all(voters.map(async (v) => ({ verifier: plain(await f.market.fetchVerifier(v.publicKey)), collateral: await collateralOf(v.publicKey) }))),
  });
  const refusedAndNothingMoves = async (w: Watched, action: () => Promise<unknown>, name: string, code: number, voters: Verifier[] = []) => {
    const before = await snapshot(w, voters);
    await expectAnchorError(action, name, code);
    expect(await snapshot(w, voters)).toEqual(before);
  };

  // ---------------------------------------------------------------- receipts
  describe('receipts', () => {
    type Ending = { claimed: boolean; submitted: boolean; end: (j: Instance) => Promise<unknown> };
    const endings: [string, Ending][] = [
      [
        'settled, then rated',
        {
          claimed: true,
          submitted: true,
          end: async (j) => {
            f.warp(CHALLENGE_WINDOW);
            await settle(f, j.job);
            await j.client.market.jobRate({ client: j.client.publicKey, job: j.job, rating: 5 });
          },
        },
      ],
      ['settled, then closed', { claimed: true, submitted: true, end: settleAndClose }],
      ['cancelled before anyone claimed it', { claimed: false, submitted: false, end: (j) => j.client.market.jobCancel({ client: j.client.publicKey, job: j.job }) }],
      [
        'expired without its receipt',
        {
          claimed: true,
          submitted: false,
          end: async (j) => {
            f.warp(JOB_TIMEOUT + 1n);
            await f.marketUser().market.jobExpire({ job: j.job });
          },
        },
      ],
      [
        'closed by an upheld challenge',
        {
          claimed: true,
          submitted: true,
          end: async (j) => {
            await challenge(j.job);
            await voteAll(j.job, await verifiers(2), true);
            await resolve(j.job);
          },
        },
      ],
    ];

    it.each(endings)('the receipt of a job %s, replayed on the job re-created at its id, is refused and nothing moves', async (_, e) => {
      // Given job 7, a receipt its provider's node signed for it, and the job ended
      const p = await provider();
      const first = e.claimed ? await claimedJob(f, { provider: p, jobId: 7 }) : { ...(await openJob(f, { jobId: 7 })), provider: p };
      const receipt = receiptOf();
      const old = await receiptIxs(p, first.job, receipt);
      if (e.submitted) await sendIxs(p, old);
      await e.end(first);
      expect(exists(f, first.job)).toBe(false);
      // When the client creates job 7 again, at the same address, and the same provider claims it
      const again = await claimedJob(f, { client: first.client, jobId: 7, provider: p, layer: first.published });
      expect(again.job.toBase58()).toBe(first.job.toBase58());
      expect(again.serial).toBeGreaterThan(first.serial);
      // Then the old receipt, replayed unchanged by anyone, is refused and nothing moves
      await refusedAndNothingMoves(again, () => sendIxs(f.marketUser(), old), 'SignedMessageMismatch', 6024);
      // And the same receipt signed for the new instance is accepted
      await p.market.submitReceipt({ job: again.job, nodeKey: p.nodeKey, receipt });
      expect(plain(await f.market.fetchJob(again.job))).toMatchObject({ status: { submitted: {} }, tokensUsed: JOB.tokensUsed });
    });

    it("a client's replay of its provider's old 10-token receipt is refused before the real one, which is accepted", async () => {
      // Given a 10-token job, settled and closed
      const p = await provider();
      const first = await claimedJob(f, { provider: p, jobId: 3 });
      const cheap = await receiptIxs(p, first.job, receiptOf(10n));
      await sendIxs(p, cheap);
      await settleAndClose(first);
      // And the client asked the same provider for job 3 again, which it claimed
      const again = await claimedJob(f, { client: first.client, jobId: 3, provider: p, requested: p.publicKey, layer: first.published });
      // When the client submits the old 10-token receipt before the provider's own
      await refusedAndNothingMoves(again, () => sendIxs(first.client, cheap), 'SignedMessageMismatch', 6024);
      // Then the provider's receipt for 1,500 tokens is accepted
      await p.market.submitReceipt({ job: again.job, nodeKey: p.nodeKey, receipt: receiptOf(1_500n) });
      expect(plain(await f.market.fetchJob(again.job))).toMatchObject({ status: { submitted: {} }, tokensUsed: 1_500n });
    });

    it('a stale receipt for the earlier prompt is refused on the job re-created with a new prompt', async () => {
      // Given a job answered, settled and rated
      const p = await provider();
      const first = await claimedJob(f, { provider: p, jobId: 4 });
      const stale = await receiptIxs(p, first.job, receiptOf(1_500n, 'bafkreistale'));
      await sendIxs(p, stale);
      f.warp(CHALLENGE_WINDOW);
      await settle(f, first.job);
      await first.client.market.jobRate({ client: first.client.publicKey, job: first.job, rating: 3 });
      // And the client re-created job 4 with another prompt, which the provider claimed
      const prompt = 'Now tell me about the sea';
      const { job } = await first.client.market.createJob({ client: first.client.publicKey, jobId: 4, request: requestOf([first.layer], { prompt: prompt, maxTokens: JOB.maxTokens }), maxPricePerThousand: JOB.maxPrice });
      await p.market.jobClaim({ authority: p.publicKey, job });
      expect(plain(await f.market.fetchJob(job))).toMatchObject({ requestHash: [...sha256(canonicalJobRequest(requestOf([first.layer], { prompt, maxTokens: JOB.maxTokens })))], status: { claimed: {} } });
      // When the stale receipt is submitted again, Then it is refused and nothing moves
      await refusedAndNothingMoves({ job, vault: vaultOf(job), client: first.client, provider: p }, () => sendIxs(p, stale), 'SignedMessageMismatch', 6024);
    });

    it('a receipt signed by a shared node key counts only for the provider wallet it names', async () => {
      // Given two providers registered with one node key, the second holding a claimed job
      const owner = await provider();
      const twin = await provider();
      const spec = { nodeKey: owner.nodeKey.publicKey, pricePerThousand: new BN(JOB.providerPrice.toString()), endpoint: 'http://127.0.0.1:7777', baseModels: 'qwen2-0.5b' };
      await twin.market.providerUpdate({ authority: twin.publicKey, spec });
      const c = await claimedJob(f, { provider: { ...twin, nodeKey: owner.nodeKey } });
      const receipt = receiptOf();
      // When the key's signature over the receipt naming the first provider is submitted for the job
      const [signedForOwner] = await receiptIxs(owner, c.job, receipt);
      const [, ix] = await receiptIxs(c.provider, c.job, receipt);
      // Then it is refused and nothing moves; signed naming the job's provider, it is accepted
      await refusedAndNothingMoves(c, () => sendIxs(twin, [signedForOwner!, ix!]), 'SignedMessageMismatch', 6024);
      await sendIxs(twin, await receiptIxs(c.provider, c.job, receipt));
      expect(plain(await f.market.fetchJob(c.job))).toMatchObject({ status: { submitted: {} } });
    });

    it.each<[string, (i: JobInstance, r: Receipt, provider: PublicKey) => Buffer]>([
      ['for another cluster', (i, r, p) => receiptMessage({ ...i, cluster: OTHER_CLUSTER }, p, r)],
      ['in the v1 format (no cluster, serial or provider)', (i, r) => receiptV1(i.job, r)],
    ])('a receipt signed %s is refused, and nothing moves', async (_, message) => {
      const c = await claimedJob(f, { provider: await provider() });
      const receipt = receiptOf();
      const [, ix] = await receiptIxs(c.provider, c.job, receipt);
      const signed = ed25519Verification(c.provider.nodeKey, message(await f.market.jobInstance(c.job), receipt, c.provider.publicKey));
      await refusedAndNothingMoves(c, () => sendIxs(c.provider, [signed, ix!]), 'SignedMessageMismatch', 6024);
    });
  });

  // ---------------------------------------------------------------- verdicts
  describe('verdicts', () => {
    it("an attacker's replayed 'upheld' verdicts cannot slash the honest provider of the job re-created at the same id", async () => {
      // Given the attacker's job 1 served by its sybil provider, whose wrong receipt honest verifiers upheld
      const attacker = f.marketUser(JOB.clientCompute);
      const sybil = await provider();
      const first = await submittedJob(f, { client: attacker, provider: sybil, jobId: 1, receipt: receiptOf(JOB.maxTokens, 'bafkreiwrong') });
      await challenge(first.job);
      const honest = await verifiers(2);
      const verdicts = await voteAll(first.job, honest, true);
      await resolve(first.job);
      expect(exists(f, first.job)).toBe(false);
      // And the attacker re-created job 1 for an honest provider, who submitted a right receipt, and challenged it
      const victim = await provider();
      const again = await submittedJob(f, { client: attacker, jobId: 1, provider: victim, requested: victim.publicKey, layer: first.published });
      await challenge(again.job, attacker);
      // When the attacker replays each old verdict: its Ed25519 verification unchanged, the vote pointed at the new challenge
      for (const [i, [oldVerification]] of verdicts.entries()) {
        const [, vote] = await verdictIxs(honest[i]!, again.job, true);
        await refusedAndNothingMoves(again, () => sendIxs(attacker, [oldVerification!, vote!]), 'SignedMessageMismatch', 6024, honest);
      }
      // And replayed whole, the old vote names the earlier instance's challenge: refused too
      await refusedAndNothingMoves(again, () => sendIxs(attacker, verdicts[0]!), 'JobSerialMismatch', 6038, honest);
      // Then the provider's collateral, the vault and the new challenge are untouched
      expect(await collateralOf(victim.publicKey)).toEqual({ amount: MIN_COLLATERAL + SLASH, openJobs: 1n });
      expect(await tokenBalance(f, again.vault)).toBe(JOB.escrow + BOND);
      expect(plain(await f.market.fetchChallenge(again.job))).toMatchObject({ upheldVotes: 0, rejectedVotes: 0, upheldMask: 0 });
      // And when the same verifiers reject it, the provider keeps its collateral and wins the attacker's bond
      await voteAll(again.job, honest, false);
      await resolve(again.job);
      expect(await collateralOf(victim.publicKey)).toEqual({ amount: MIN_COLLATERAL + SLASH, openJobs: 1n });
      expect(await f.computeOf(victim.publicKey)).toBe(BOND);
      // And each vote on the old challenge is released once: a replayed release is refused
      await release(first.challenge, honest[0]!);
      await expectAnchorError(() => release(first.challenge, honest[0]!), 'VoteAlreadyReleased', 6041);
      expect((await collateralOf(honest[0]!.publicKey)).openJobs).toBe(1n);
    });

    it("a cheating provider's replayed 'rejected' verdicts cannot shield its wrong receipt on the job re-created at the same id", async () => {
      // Given a provider's job 2 whose receipt honest verifiers found right, then settled and closed
      const cheater = await provider();
      const first = await submittedJob(f, { provider: cheater, jobId: 2 });
      await challenge(first.job);
      const honest = await verifiers(2);
      const verdicts = await voteAll(first.job, honest, false);
      await resolve(first.job);
      await settle(f, first.job);
      await first.client.market.jobClose({ client: first.client.publicKey, job: first.job });
      // And the client re-created job 2, which the provider claimed and answered wrongly, and someone challenged it
      const again = await submittedJob(f, { client: first.client, jobId: 2, provider: cheater, layer: first.published, receipt: receiptOf(JOB.maxTokens, 'bafkreiwrong') });
      await challenge(again.job);
      // When the provider replays the old 'rejected' verdicts onto the new challenge, Then each is refused and nothing moves
      for (const [i, [oldVerification]] of verdicts.entries()) {
        const [, vote] = await verdictIxs(honest[i]!, again.job, false);
        await refusedAndNothingMoves(again, () => sendIxs(cheater, [oldVerification!, vote!]), 'SignedMessageMismatch', 6024, honest);
      }
      // And the honest verdicts uphold the challenge: the provider is slashed
      await voteAll(again.job, honest, true);
      await resolve(again.job);
      expect(await collateralOf(cheater.publicKey)).toEqual({ amount: MIN_COLLATERAL, openJobs: 0n });
    });

    it("an instance takes one challenge: a second is refused once the first ended, and the first's verdicts with it", async () => {
      // Given a job whose challenge ended undecided, one vote in by the deadline
      const c = await submittedJob(f, { provider: await provider() });
      await challenge(c.job);
      const [voter, bystander] = await verifiers(2);
      const [verdict] = await voteAll(c.job, [voter!], true);
      f.warp(VOTE_WINDOW + 1n);
      await resolve(c.job);
      // When another challenger challenges the same instance, Then it is refused and nothing moves
      await refusedAndNothingMoves(c, () => challenge(c.job), 'AlreadyChallenged', 6043);
      // And the first challenge's verdict, replayed, finds no challenge open
      await refusedAndNothingMoves(c, () => sendIxs(bystander!, verdict!), 'JobStatusMismatch', 6016, [voter!]);
      // And only the verifier that voted is released from it
      await expectAnchorError(() => release(c.challenge, bystander!), 'VoterNotFound', 6040);
      await release(c.challenge, voter!);
      expect(exists(f, c.challenge)).toBe(false);
    });

    it("a challenge naming the earlier instance's serial is refused on the job re-created at the same id", async () => {
      // Given job 5 settled and closed, then re-created and answered again
      const p = await provider();
      const first = await submittedJob(f, { provider: p, jobId: 5 });
      await settleAndClose(first);
      const again = await submittedJob(f, { client: first.client, jobId: 5, provider: p, layer: first.published });
      // When a challenger opens a challenge naming the first instance (its serial and challenge address)
      const challenger = f.marketUser(10n * WHOLE);
      const { tx, signers } = await capture(challenger, () => challenger.market.challengeOpen({ challenger: challenger.publicKey, job: again.job, bond: BOND }));
      findInstruction(tx, 'challengeOpen').ix.data.writeBigUInt64LE(first.serial, 8);
      replaceAccounts(tx, 'challengeOpen', { challenge: first.challenge });
      // Then it is refused, and nothing moves
      await refusedAndNothingMoves(again, () => challenger.provider.sendAndConfirm(tx, signers), 'JobSerialMismatch', 6038);
      expect(await f.computeOf(challenger.publicKey)).toBe(10n * WHOLE);
    });

    it.each<[string, (v: Verdict) => Buffer]>([
      ['for another cluster', (v) => verdictMessage({ ...v, instance: { ...v.instance, cluster: OTHER_CLUSTER } })],
      ['for another challenge (the next serial)', (v) => verdictMessage({ ...v, challengeSerial: BigInt(v.challengeSerial) + 1n })],
      ['in the v1 format (no cluster, serial or challenge)', verdictV1],
    ])('a verdict signed %s is refused, and nothing moves', async (_, message) => {
      const c = await submittedJob(f, { provider: await provider() });
      await challenge(c.job);
      const [v] = await verifiers(1);
      const { instance, challengeSerial } = await f.market.challengeOf(c.job);
      const [, vote] = await verdictIxs(v!, c.job, true);
      const signed = ed25519Verification(v!.keypair, message({ instance, challengeSerial, upheld: true, resultHash: resultHash(true) }));
      await refusedAndNothingMoves(c, () => sendIxs(v!, [signed, vote!]), 'SignedMessageMismatch', 6024, [v!]);
    });
  });

  describe('the SDK signs only on the cluster the market names', () => {
    it('refuses to sign a receipt or a verdict where the market names another cluster (ClusterMismatchError)', async () => {
      // Given a claimed job, and a market account that names another cluster than this chain's genesis
      // (as one set up on devnet with mainnet's genesis hash would)
      const p = await provider();
      const c = await claimedJob(f, { provider: p });
      const market = (await f.market.fetchMarket())!;
      const marketAddress = marketplacePda.market(f.market.program.programId);
      const real = rawAccount(f, marketAddress)!;
      const forged = Buffer.from(real.data);
      (await f.market.program.coder.accounts.encode('market', { ...market, cluster: OTHER_CLUSTER })).copy(forged);
      await withPlanted(f, marketAddress, forged, f.market.program.programId, async () => {
        // When a node (a fresh client: nothing cached) signs its receipt, or a verifier its verdict
        const node = new MarketplaceClient(p.market.program, p.market.economy);
        // Then both refuse before signing
        await expect(node.submitReceipt({ job: c.job, receipt: receiptOf(), nodeKey: p.nodeKey })).rejects.toMatchObject({ name: 'ClusterMismatchError', code: 'CLUSTER_MISMATCH' });
        await expect(node.jobInstance(c.job)).rejects.toBeInstanceOf(ClusterMismatchError);
      });
      // And on the market as it was, the same receipt is accepted
      await p.market.submitReceipt({ job: c.job, receipt: receiptOf(), nodeKey: p.nodeKey });
    });
  });
});
