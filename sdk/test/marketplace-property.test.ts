import { BN } from '@coral-xyz/anchor';
import { TOKEN_2022_PROGRAM_ID, createAssociatedTokenAccountIdempotentInstruction, createTransferCheckedInstruction, getAssociatedTokenAddressSync } from '@solana/spl-token';
import { address } from '@solana/kit';
import { Ed25519Program, type Keypair, PublicKey, Transaction, type TransactionInstruction } from '@solana/web3.js';
import { describe, expect, it } from 'vitest';
import { type MarketplaceClient, collateralAddress, economyAddresses, marketplacePda, receiptMessage, sha256, verdictMessage } from '../src/index.ts';
import { WHOLE } from './economy-fixture.ts';
import { MIN_COLLATERAL, MarketFixture } from './market-fixture.ts';
import { EventReader, MIN_JOB_PRICE, Random, type Sent, b58, bytesOf, ed25519Ix, enc, errorCode, jobCreateArgs, marketIx, mintSupply, nativeSvm, sendFast, splitOf, tokenAmount } from './marketplace-property-harness.ts';

/**
 * Random job lifecycles across the marketplace and economy programs, checked against an
 * in-memory model after every step. Several clients, providers at different prices and base
 * models, layers with and without parents in lineages up to five deep (parent shares from 0 to
 * 100%, royalties up to what the burn and fee leave), jobs running random genomes of 1–4 of them,
 * random token maxima, prices and usage; outcomes settle (then rate or close), cancel, expire,
 * challenge upheld / rejected / undecided with a quorum of 2 among 4 verifiers; clock warps; now and then a layer token changes hands, the economy's burn and fee
 * or the market's reward change, someone sends $COMPUTE straight to an open job's vault (it must
 * reach the client, not stay as dust); royalties accrue on each layer at settlement and are
 * claimed now and then by anyone, each claim passing the parent's share up; and invalid calls that
 * must fail with their error and change nothing. Job ids are re-used once their job is closed,
 * so most jobs are created again at the address of an earlier one: among the invalid calls, the receipts and verdicts signed for the
 * earlier instance at that address are replayed onto the new one, and must be refused. Voters'
 * collateral stays locked from their vote until each is released after resolution.
 *
 * After every step, exactly: every $COMPUTE token account equals the model and their sum is the
 * supply (every account of the mint is tracked; a full scan of the token program every
 * {@link SCAN_EVERY} steps proves there is no other); supply change = rewards minted − burned
 * (program mints) or −burned with the rewards vault down by the rewards paid (existing mints);
 * open job vaults hold escrow + bond (+ what was sent to them); closed jobs, vaults and challenges do not exist; every
 * wallet's lamports equal the model (rent in and out: a separate payer pays every fee, which is
 * checked too); $UBC likewise (slashes go to the challenger and the treasury); each provider's
 * openJobs and its economy collateral's openJobs equal its number of claimed, submitted and
 * challenged jobs, each verifier's collateral openJobs its votes not yet released; the economy's totals (burned, rewards, slashed, collateral). Each JobSettled
 * event adds up to the escrow (+ what was sent to the vault) and equals the model's split; the touched job's account equals the
 * model. Every {@link SCAN_EVERY} steps and at the end, every provider, layer, verifier and the
 * market's counters equal the model.
 *
 * Transactions are built from the IDL and sent straight to the fixture's LiteSVM (see
 * marketplace-property-harness.ts) rather than through the SDK's high-level calls, which fetch
 * accounts for each one. Each mode logs its run time (wall and CPU).
 */
const OVERRIDE = process.env.MARKETPLACE_PROPERTY_LIFECYCLES;
/**
 * Lifecycles per mode. A lifecycle takes ~12 ms here (~5.4 transactions at ~1 ms each in LiteSVM,
 * plus the checks), so 10,000 take ~125 s of CPU plus ~10 s of setup on the 2-core machine, more
 * when it is busy: 10,000 with existing mints, 5,000 with program mints (whose difference is the
 * reward path: minted instead of paid from the vault) to keep the file near 3 minutes.
 * MARKETPLACE_PROPERTY_LIFECYCLES sets both.
 */
const LIFECYCLES_BY_MODE = { 'existing mints': Number(OVERRIDE ?? 10_000), 'program mints': Number(OVERRIDE ?? 5_000) } as const;
/** Jobs alive at once. */
const MAX_ACTIVE = 24;
/** Steps between full scans of every token account and every counter. */
const SCAN_EVERY = 500;
const LAMPORTS_PER_SIGNATURE = 5_000n;
/** The request CID every job names (the chain checks its shape; the document itself stays off chain here). */
const REQUEST_CID = 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku';

const JOB_TIMEOUT = 120n;
const CHALLENGE_WINDOW = 60n;
const VOTE_WINDOW = 120n;
const SLASH = 5n * WHOLE;
const CHALLENGER_BPS = 3_000;
const MIN_BOND = 1_000n;

// Marketplace errors (programs/marketplace/src/errors.rs)
const E = {
  InvalidAmount: 6014,
  PriceExceeded: 6015,
  JobStatusMismatch: 6016,
  ProviderMismatch: 6017,
  BaseModelUnsupported: 6018,
  DeadlinePassed: 6019,
  DeadlineNotPassed: 6020,
  TokensExceeded: 6021,
  SignerMismatch: 6023,
  SignedMessageMismatch: 6024,
  ChallengeWindowOpen: 6025,
  ChallengeWindowClosed: 6026,
  BondTooSmall: 6027,
  VerifierAlreadyVoted: 6028,
  VotingNotOver: 6030,
  VotingClosed: 6031,
  ClientMismatch: 6032,
  InvalidRating: 6033,
  CannotChallengeOwnJob: 6035,
  ChallengeNotResolved: 6039,
  VoterNotFound: 6040,
  VoteAlreadyReleased: 6041,
  AlreadyChallenged: 6043,
  NothingToClaim: 6044,
  ConstraintTokenOwner: 2015,
} as const;

type Status = 'open' | 'claimed' | 'submitted' | 'challenged' | 'settled';
type Plan = 'settle' | 'cancel' | 'expire' | 'upheld' | 'rejected' | 'undecided';
type Stats = Record<string, bigint>;

interface Wallet {
  name: string;
  keypair: Keypair | null;
  key: PublicKey;
  compute: PublicKey;
  ubc: PublicKey;
}
interface ModelLayer {
  index: number;
  address: PublicKey;
  mint: PublicKey;
  holder: Wallet;
  parent: ModelLayer | null;
  royaltyBps: number;
  parentShareBps: number;
  floor: bigint;
  baseModel: string;
  /** Accounts of this layer's token, by holder name (created up front for every possible holder). */
  holdings: Map<string, PublicKey>;
  /** Royalty accrued and not claimed (held in the royalty vault). */
  accrued: bigint;
  stats: Stats;
}
interface ModelProvider {
  wallet: Wallet;
  nodeKey: Keypair;
  pda: PublicKey;
  collateral: PublicKey;
  price: bigint;
  models: string[];
  collateralAmount: bigint;
  stats: Stats;
}
interface ModelVerifier {
  wallet: Wallet;
  pda: PublicKey;
  collateral: PublicKey;
  votes: bigint;
  /** Votes not yet released after resolution: the collateral's open locks. */
  open: bigint;
  won: bigint;
  lost: bigint;
}
/** What was signed for an earlier instance of a job at the same address, to replay. */
interface Signed {
  receipts: { verification: TransactionInstruction; outputHash: Buffer; tokens: bigint; cid: string }[];
  verdicts: { verification: TransactionInstruction; verifier: ModelVerifier; upheld: boolean; resultHash: Buffer }[];
}
/** A resolved challenge whose voters are not all released yet. */
interface Resolved {
  address: PublicKey;
  challenger: Wallet;
  outcome: 'upheld' | 'rejected' | 'undecided';
  /** Voters not yet released, with their vote (true = upheld). */
  voters: Map<ModelVerifier, boolean>;
  /** Every voter. */
  cast: ModelVerifier[];
}
interface ModelJob {
  serial: number;
  /** The job's serial on chain: the market's job count after its creation. */
  chainSerial: bigint;
  client: Wallet;
  jobId: bigint;
  address: PublicKey;
  vault: PublicKey;
  /** Its challenge's PDA (found when first needed) and serial. */
  challengeAddress: PublicKey | null;
  challengeSerial: bigint;
  /** What earlier instances at this address signed (shared with the slot). */
  signed: Signed;
  /** The genome: 1–4 distinct layers of one base model, in order. */
  layers: ModelLayer[];
  /** The sum of their floors. */
  floor: bigint;
  requested: ModelProvider | null;
  maxTokens: bigint;
  maxPrice: bigint;
  escrow: bigint;
  plan: Plan;
  status: Status;
  provider: ModelProvider | null;
  rate: bigint;
  deadline: bigint;
  settleAfter: bigint;
  tokens: bigint;
  bond: bigint;
  wasChallenged: boolean;
  challenger: Wallet | null;
  voteDeadline: bigint;
  /** Votes still to cast (true = upheld). */
  votePlan: boolean[];
  upheld: number;
  rejected: number;
  voters: Map<ModelVerifier, boolean>;
  vaultOpen: boolean;
  /** $COMPUTE someone sent straight to the vault: it must go back to the client, not stay as dust. */
  donated: bigint;
}

const big = (v: unknown): bigint => BigInt((v as BN).toString());
const u64At = (data: Uint8Array, offset: number): bigint => Buffer.from(data.buffer, data.byteOffset + offset, 8).readBigUInt64LE();
const max = (a: bigint, b: bigint) => (a > b ? a : b);
const min = (a: bigint, b: bigint) => (a < b ? a : b);
const newStats = (...names: string[]): Stats => Object.fromEntries(names.map((n) => [n, 0n]));
const PROVIDER_STATS = ['jobsCompleted', 'jobsChallenged', 'jobsSlashed', 'tokensServed', 'ratingSum', 'ratingCount', 'earned'];
const LAYER_STATS = ['jobsCompleted', 'jobsChallenged', 'jobsSlashed', 'tokensServed', 'ratingSum', 'ratingCount', 'royaltiesEarned', 'royaltiesFromChildren', 'royaltiesPassedUp', 'royaltiesClaimed'];

/** A failed check, naming what differs. */
class Mismatch extends Error {}
const eq = (actual: unknown, expected: unknown, what: string): void => {
  if (actual !== expected) throw new Mismatch(`${what}: chain ${String(actual)}, model ${String(expected)}`);
};
const eqKey = (actual: unknown, expected: PublicKey, what: string): void => {
  if (!(actual as PublicKey).equals(expected)) throw new Mismatch(`${what}: chain ${(actual as PublicKey).toBase58()}, model ${expected.toBase58()}`);
};

for (const mode of ['existing mints', 'program mints'] as const) {
  const LIFECYCLES = LIFECYCLES_BY_MODE[mode];
  describe(`marketplace property test (${mode})`, () => {
    it(`holds every invariant over ${LIFECYCLES} random job lifecycles`, async () => {
      const started = performance.now();
      const f = await new MarketFixture(mode).setup({
        jobTimeout: new BN(JOB_TIMEOUT.toString()),
        challengeWindow: new BN(CHALLENGE_WINDOW.toString()),
        voteWindow: new BN(VOTE_WINDOW.toString()),
        quorum: 2,
        slashAmount: new BN(SLASH.toString()),
        challengerBps: CHALLENGER_BPS,
        rewardBps: 100,
        minBond: new BN(MIN_BOND.toString()),
      });
      const rng = new Random(mode === 'program mints' ? 0x6a0b_0001n : 0x6a0b_0002n);
      const svm = f.provider.svm;
      // No transaction history: every transaction has a fresh blockhash, and tens of thousands of
      // stored results (logs included) only cost memory and time.
      svm.withTransactionHistory(0n);
      const native = nativeSvm(svm);
      const program = f.market.program;
      const events = new EventReader(program.idl, program.programId);
      const eco = economyAddresses();
      const tokenProgram = f.tokenProgram;
      const market = marketplacePda.market();
      const royaltyVault = marketplacePda.royaltyVault();
      const admin = (f.provider.wallet as unknown as { payer: Keypair }).payer;
      const raw = (key: PublicKey) => native.getAccount(bytesOf(key));

      // ---- Actors. Roles overlap: a creator and a provider also buy jobs; clients and a creator challenge.
      const wallets: Wallet[] = [];
      const wallet = (name: string, keypair: Keypair | null, key: PublicKey): Wallet => {
        const w = { name, keypair, key, compute: f.ata(key, f.computeMint), ubc: f.ata(key, f.ubcMint) };
        wallets.push(w);
        return w;
      };
      const treasury = wallet('treasury', null, f.treasury);
      const creatorUsers = [0, 1, 2].map(() => f.marketUser());
      const creators = creatorUsers.map((u, i) => wallet(`creator${i}`, u.keypair, u.publicKey));
      const providers: ModelProvider[] = [];
      for (const [i, price] of [1n, 250_000n, 1_000_000n, 2_500_000n, 5_000_000n].entries()) {
        const models = i === 4 ? ['llama-3-8b'] : ['qwen2-0.5b', 'llama-3-8b'];
        const p = await f.registeredProvider({ pricePerThousand: price, baseModels: models.join(', '), collateral: 10n * MIN_COLLATERAL });
        const w = wallet(`provider${i}`, p.keypair, p.publicKey);
        providers.push({ wallet: w, nodeKey: p.nodeKey, pda: marketplacePda.provider(w.key), collateral: collateralAddress(w.key), price, models, collateralAmount: 10n * MIN_COLLATERAL, stats: newStats(...PROVIDER_STATS) });
      }
      const verifiers: ModelVerifier[] = [];
      for (let i = 0; i < 4; i++) {
        const v = await f.registeredVerifier();
        const w = wallet(`verifier${i}`, v.keypair, v.publicKey);
        verifiers.push({ wallet: w, pda: marketplacePda.verifier(w.key), collateral: collateralAddress(w.key), votes: 0n, open: 0n, won: 0n, lost: 0n });
      }
      const pureClients = [0, 1, 2, 3].map((i) => {
        const u = f.marketUser();
        return wallet(`client${i}`, u.keypair, u.publicKey);
      });
      const outsider = (() => {
        const u = f.marketUser();
        return wallet('challenger', u.keypair, u.publicKey);
      })();
      const clients = [...pureClients, creators[0]!, providers[0]!.wallet];
      const challengers = [...pureClients, outsider, creators[1]!];
      for (const w of new Set([...clients, ...challengers])) f.fundCompute(w.key, 20_000n * WHOLE);

      // ---- Layers: roots, children, a grandchild; parents and children with the same holder
      const config0 = (await f.client.fetchConfig())!;
      let burnBps = config0.params.burnBps;
      let feeBps = config0.params.treasuryFeeBps;
      let rewardBps = 100;
      const maxRoyalty = 10_000 - burnBps - feeBps;
      const layerDefs: { creator: number; parent: number | null; royaltyBps: number; share: number; floor: bigint; baseModel: string }[] = [
        { creator: 0, parent: null, royaltyBps: 1_000, share: 0, floor: 500_000n, baseModel: 'qwen2-0.5b' },
        { creator: 1, parent: null, royaltyBps: maxRoyalty, share: 0, floor: 0n, baseModel: 'qwen2-0.5b' },
        { creator: 2, parent: null, royaltyBps: 0, share: 0, floor: 1_500_000n, baseModel: 'llama-3-8b' },
        { creator: 1, parent: 0, royaltyBps: 2_500, share: 2_500, floor: 800_000n, baseModel: 'qwen2-0.5b' },
        { creator: 0, parent: 3, royaltyBps: 7_777, share: 10_000, floor: 1n, baseModel: 'qwen2-0.5b' },
        { creator: 1, parent: 1, royaltyBps: 333, share: 5_000, floor: 2_000_000n, baseModel: 'qwen2-0.5b' },
        { creator: 2, parent: 0, royaltyBps: maxRoyalty, share: 0, floor: 0n, baseModel: 'qwen2-0.5b' },
        { creator: 2, parent: 2, royaltyBps: 4_999, share: 9_999, floor: 3_000_000n, baseModel: 'llama-3-8b' },
        // A lineage five deep: 0 ← 3 ← 4 ← 8 ← 9, every share passing up four levels
        { creator: 1, parent: 4, royaltyBps: 50, share: 3_333, floor: 10_000n, baseModel: 'qwen2-0.5b' },
        { creator: 0, parent: 8, royaltyBps: 1_234, share: 6_000, floor: 0n, baseModel: 'qwen2-0.5b' },
      ];
      const holders = [...creators, pureClients[0]!];
      const layers: ModelLayer[] = [];
      for (const [index, d] of layerDefs.entries()) {
        const creator = creators[d.creator]!;
        const client: MarketplaceClient = creatorUsers[d.creator]!.market;
        const parent = d.parent === null ? null : layers[d.parent]!;
        const published = await client.publishLayer({
          creator: creator.key,
          layer: {
            name: `layer ${index}`,
            uri: 'ipfs://bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku',
            sha256: sha256(`weights ${index}`),
            size: 4_096,
            baseModel: d.baseModel,
            license: 'Apache-2.0',
            pricePerThousand: d.floor,
            royaltyBps: d.royaltyBps,
            parent: parent?.address,
            parentShareBps: d.share,
          },
        });
        const holdings = new Map<string, PublicKey>();
        for (const h of holders) {
          const holding = getAssociatedTokenAddressSync(published.mint, h.key, true, TOKEN_2022_PROGRAM_ID);
          f.provider.execute(new Transaction().add(createAssociatedTokenAccountIdempotentInstruction(f.admin, holding, h.key, published.mint, TOKEN_2022_PROGRAM_ID)));
          holdings.set(h.name, holding);
        }
        expect(holdings.get(creator.name)!.equals(published.holding)).toBe(true);
        layers.push({ index, address: published.layer, mint: published.mint, holder: creator, parent, royaltyBps: d.royaltyBps, parentShareBps: d.share, floor: d.floor, baseModel: d.baseModel, holdings, accrued: 0n, stats: newStats(...LAYER_STATS) });
      }

      // ---- The model's starting point: every token account of both mints, every wallet's lamports
      const payer = f.user(1_000_000_000_000n).keypair;
      const scan = (mint: PublicKey): Map<string, bigint> => {
        const out = new Map<string, bigint>();
        const mintBytes = bytesOf(mint);
        for (const a of svm.getProgramAccounts(address(tokenProgram.toBase58()))) {
          if (a.data.length >= 165 && Buffer.from(a.data.subarray(0, 32)).equals(mintBytes)) out.set(a.address, tokenAmount(a.data as Uint8Array));
        }
        return out;
      };
      const compute = scan(f.computeMint);
      const ubc = scan(f.ubcMint);
      for (const w of wallets) {
        expect(compute.has(w.compute.toBase58()), `${w.name} $COMPUTE account`).toBe(true);
        expect(ubc.has(w.ubc.toBase58()), `${w.name} $UBC account`).toBe(true);
      }
      const computeKeys = new Map([...compute.keys()].map((k) => [k, new PublicKey(k)]));
      const ubcKeys = new Map([...ubc.keys()].map((k) => [k, new PublicKey(k)]));
      const computeSupply0 = mintSupply(raw(f.computeMint)!.data());
      const ubcSupply0 = mintSupply(raw(f.ubcMint)!.data());
      expect([...compute.values()].reduce((a, b) => a + b, 0n)).toBe(computeSupply0);
      expect([...ubc.values()].reduce((a, b) => a + b, 0n)).toBe(ubcSupply0);
      const rewardsVault = mode === 'existing mints' ? eco.rewardsVault.toBase58() : null;
      if (rewardsVault) expect(compute.has(rewardsVault)).toBe(true);
      const rewardsVault0 = rewardsVault ? compute.get(rewardsVault)! : 0n;
      expect(compute.has(royaltyVault.toBase58())).toBe(true);
      const royaltyVault0 = compute.get(royaltyVault.toBase58())!;
      const stakeVault = config0.stakeVault.toBase58();
      const stakeVaultKey = config0.stakeVault;
      let ubcMoved = true;
      expect(ubc.has(stakeVault)).toBe(true);
      const lamports = new Map<string, bigint>();
      const lamportKeys = new Map<string, PublicKey>();
      for (const k of [...wallets.map((w) => w.key), admin.publicKey, payer.publicKey]) {
        lamports.set(k.toBase58(), raw(k)?.lamports() ?? 0n);
        lamportKeys.set(k.toBase58(), k);
      }
      const addCompute = (account: PublicKey, delta: bigint) => compute.set(b58(account), compute.get(b58(account))! + delta);
      const addUbc = (account: PublicKey, delta: bigint) => ubc.set(b58(account), ubc.get(b58(account))! + delta);
      const addLamports = (key: PublicKey, delta: bigint) => lamports.set(b58(key), lamports.get(b58(key))! + delta);
      const totals0 = { burned: big(config0.totalBurned), rewards: big(config0.totalRewardsPaid), slashed: big(config0.totalSlashed), collateral: big(config0.totalCollateral) };
      let burned = 0n;
      let rewardsPaid = 0n;
      let slashedTotal = 0n;
      const marketStats = { jobsCreated: 0n, challengesOpened: 0n, jobsSettled: 0n, totalRoyalties: 0n, totalProviderPayments: 0n };
      const market0 = (await f.market.fetchMarket())!;
      const [jobsCreated0, challengesOpened0] = [big(market0.jobsCreated), big(market0.challengesOpened)];
      const cluster = market0.cluster;

      // Offsets of the counters read raw each step, checked against the decoder once.
      const PROVIDER_OPEN_JOBS = 8 + 32 + 32 + 8;
      const COLLATERAL_AMOUNT = 8 + 32;
      const COLLATERAL_OPEN_JOBS = 8 + 32 + 8;
      for (const p of providers) {
        const decoded = program.coder.accounts.decode('provider', Buffer.from(raw(p.pda)!.data()));
        expect(decoded.authority.equals(p.wallet.key) && big(decoded.pricePerThousand) === p.price).toBe(true);
        const c = (await f.client.fetchCollateral(p.wallet.key))!;
        expect(u64At(raw(p.collateral)!.data(), COLLATERAL_AMOUNT)).toBe(big(c.amount));
        expect(big(c.amount)).toBe(p.collateralAmount);
      }

      // Rent of the accounts a job opens, learnt from the first job (then checked on every one).
      const rent = { job: 0n, vault: 0n, challenge: 0n };
      const rentOf = (key: PublicKey): bigint => svm.minimumBalanceForRentExemption(BigInt(raw(key)!.data().length));

      // ---- Sending
      let transactions = 0;
      let failures = 0;
      const fee = (ixs: TransactionInstruction[], signatures: number) =>
        LAMPORTS_PER_SIGNATURE * BigInt(signatures + ixs.filter((ix) => ix.programId.equals(Ed25519Program.programId)).reduce((n, ix) => n + ix.data[0]!, 0));
      const send = (ixs: TransactionInstruction[], signers: Keypair[] = []): Sent => {
        const sent = sendFast(svm, ixs, payer, signers);
        addLamports(payer.publicKey, -fee(ixs, sent.signatures));
        transactions++;
        return sent;
      };
      /** Sends a transaction that must fail with `code`: it changes nothing but the fee, which the payer pays as on a cluster. */
      const sendFailing = (what: string, code: number, ixs: TransactionInstruction[], signers: Keypair[] = []) => {
        let sent: Sent | null = null;
        try {
          sent = sendFast(svm, ixs, payer, signers);
        } catch (e) {
          const got = errorCode(e);
          if (got !== code) throw new Mismatch(`${what}: expected error ${code}, got ${got}\n${(e as { logs?: string[] }).logs?.join('\n')}`);
        }
        if (sent) throw new Mismatch(`${what}: expected error ${code}, but it succeeded`);
        addLamports(payer.publicKey, -fee(ixs, 1 + new Set(signers.map((k) => k.publicKey.toBase58())).size));
        failures++;
      };

      // ---- Instructions
      /** A job's challenge PDA, found once. */
      const challengeOf = (j: ModelJob): PublicKey => (j.challengeAddress ??= marketplacePda.challenge(j.address, j.chainSerial));
      /** A job's layer accounts: the first, then up to three optional ones. */
      const genome = (j: ModelJob) => ({ layer: j.layers[0]!.address, layer_2: j.layers[1]?.address ?? null, layer_3: j.layers[2]?.address ?? null, layer_4: j.layers[3]?.address ?? null });
      const ix = {
        create: (j: ModelJob) =>
          marketIx(
            'job_create',
            { market, client: j.client.key, job: j.address, job_vault: j.vault, ...genome(j), economy_config: eco.config, compute_mint: f.computeMint, client_token: j.client.compute, token_program: tokenProgram },
            jobCreateArgs({
              jobId: j.jobId,
              provider: j.requested?.wallet.key,
              requestHash: sha256(`request ${j.serial}`),
              maxTokens: j.maxTokens,
              maxPrice: j.maxPrice,
              layers: j.layers.map((_, i) => ({ version: 1, scaleBps: 2_500 * (i + 1) })),
              requestCid: REQUEST_CID,
            }),
          ),
        claim: (j: ModelJob, p: ModelProvider) =>
          marketIx('job_claim', { market, authority: p.wallet.key, provider: p.pda, job: j.address, layer: j.layers[0]!.address, economy_config: eco.config, collateral: p.collateral }),
        receipt: (j: ModelJob, tokens: bigint, cid: string, signer: Keypair) => {
          const outputHash = Buffer.from(sha256(`output ${j.serial}`));
          const message = receiptMessage({ cluster, job: j.address, serial: j.chainSerial }, j.provider!.wallet.key, { outputHash, tokensUsed: tokens, outputCid: cid });
          return [ed25519Ix(signer, message), ix.receiptOnly(j, outputHash, tokens, cid)];
        },
        /** `job_receipt` alone, for a verification made elsewhere. */
        receiptOnly: (j: ModelJob, outputHash: Buffer, tokens: bigint, cid: string) =>
          marketIx('job_receipt', { market, job: j.address, provider: j.provider!.pda }, Buffer.concat([outputHash, enc.u64(tokens), enc.str(cid)])),
        expire: (j: ModelJob) =>
          marketIx('job_expire', {
            job: j.address,
            job_vault: j.vault,
            client: j.client.key,
            client_token: j.client.compute,
            provider: j.provider!.pda,
            provider_authority: j.provider!.wallet.key,
            collateral: j.provider!.collateral,
            economy_config: eco.config,
            compute_mint: f.computeMint,
            token_program: tokenProgram,
          }),
        cancel: (j: ModelJob, client: Wallet) =>
          marketIx('job_cancel', { client: client.key, job: j.address, job_vault: j.vault, client_token: j.client.compute, economy_config: eco.config, compute_mint: f.computeMint, token_program: tokenProgram }),
        settle: (j: ModelJob) => {
          const p = j.provider!;
          return marketIx('job_settle', {
            market,
            job: j.address,
            job_vault: j.vault,
            client: j.client.key,
            client_token: j.client.compute,
            ...genome(j),
            royalty_vault: royaltyVault,
            provider: p.pda,
            provider_authority: p.wallet.key,
            provider_token: p.wallet.compute,
            treasury_token: treasury.compute,
            economy_config: eco.config,
            compute_mint: f.computeMint,
            collateral: p.collateral,
            economy_authority: eco.authority,
            rewards_vault: eco.rewardsVault,
            token_program: tokenProgram,
          });
        },
        challenge: (j: ModelJob, c: Wallet, bond: bigint) =>
          marketIx(
            'challenge_open',
            { market, challenger: c.key, job: j.address, challenge: challengeOf(j), job_vault: j.vault, challenger_token: c.compute, provider: j.provider!.pda, ...genome(j), economy_config: eco.config, compute_mint: f.computeMint, token_program: tokenProgram },
            Buffer.concat([enc.u64(j.chainSerial), enc.u64(bond)]),
          ),
        vote: (j: ModelJob, v: ModelVerifier, upheld: boolean) => {
          const resultHash = Buffer.from(sha256(`verdict ${j.serial} ${v.wallet.name}`));
          const message = verdictMessage({ instance: { cluster, job: j.address, serial: j.chainSerial }, challengeSerial: j.challengeSerial, upheld, resultHash });
          return [ed25519Ix(v.wallet.keypair!, message), ix.voteOnly(j, v, upheld, resultHash)];
        },
        /** `challenge_vote` alone, for a verification made elsewhere. */
        voteOnly: (j: ModelJob, v: ModelVerifier, upheld: boolean, resultHash: Buffer) =>
          marketIx(
            'challenge_vote',
            { market, job: j.address, challenge: challengeOf(j), verifier: v.pda, verifier_authority: v.wallet.key, economy_config: eco.config, collateral: v.collateral },
            Buffer.concat([enc.bool(upheld), resultHash]),
          ),
        release: (r: Resolved, v: ModelVerifier) =>
          marketIx('challenge_vote_release', { challenge: r.address, challenger: r.challenger.key, verifier: v.pda, verifier_authority: v.wallet.key, collateral: v.collateral }),
        resolve: (j: ModelJob) => {
          const p = j.provider!;
          const c = j.challenger!;
          return marketIx('challenge_resolve', {
            market,
            job: j.address,
            challenge: challengeOf(j),
            job_vault: j.vault,
            client: j.client.key,
            client_token: j.client.compute,
            challenger: c.key,
            challenger_token: c.compute,
            provider: p.pda,
            provider_authority: p.wallet.key,
            provider_token: p.wallet.compute,
            ...genome(j),
            economy_config: eco.config,
            collateral: p.collateral,
            challenger_ubc: c.ubc,
            treasury_ubc: treasury.ubc,
            stake_vault: config0.stakeVault,
            ubc_mint: f.ubcMint,
            ubc_token_program: tokenProgram,
            economy_authority: eco.authority,
            compute_mint: f.computeMint,
            token_program: tokenProgram,
          });
        },
        royaltyClaim: (l: ModelLayer, holderToken: PublicKey = l.holder.compute) =>
          marketIx('layer_royalty_claim', {
            market,
            layer: l.address,
            parent: l.parent?.address ?? null,
            holding: l.holdings.get(l.holder.name)!,
            holder_token: holderToken,
            royalty_vault: royaltyVault,
            economy_config: eco.config,
            compute_mint: f.computeMint,
            token_program: tokenProgram,
          }),
        rate: (j: ModelJob, client: Wallet, rating: number) => marketIx('job_rate', { client: client.key, job: j.address, provider: j.provider!.pda, ...genome(j) }, enc.u8(rating)),
        close: (j: ModelJob) => marketIx('job_close', { client: j.client.key, job: j.address }),
      };

      // ---- Jobs
      const active: ModelJob[] = [];
      // Job ids are reused once their job is closed: a new job at the address of a closed one (whose
      // job, vault and challenge must really be gone), and no PDA search per job (slow in JavaScript).
      interface Slot { jobId: bigint; address: PublicKey; vault: PublicKey; signed: Signed }
      const freeSlots = new Map<string, Slot[]>();
      const slotCount = new Map<string, bigint>();
      const takeSlot = (client: Wallet): Slot => {
        const free = freeSlots.get(client.name) ?? [];
        if (free.length && rng.chance(90)) return free.splice(rng.below(free.length), 1)[0]!;
        const jobId = slotCount.get(client.name) ?? 0n;
        slotCount.set(client.name, jobId + 1n);
        const job = marketplacePda.job(client.key, jobId);
        return { jobId, address: job, vault: marketplacePda.jobVault(job), signed: { receipts: [], verdicts: [] } };
      };
      let created = 0;
      let closed = 0;
      const outcomes: Record<string, number> = {};
      const count = (name: string) => (outcomes[name] = (outcomes[name] ?? 0) + 1);
      let clock = f.now();
      const now = () => clock;
      const warp = (seconds: bigint) => {
        f.warp(seconds);
        clock = f.now();
      };
      const rateOf = (j: ModelJob, p: ModelProvider) => max(p.price, j.floor);
      const canClaim = (j: ModelJob, p: ModelProvider) => (!j.requested || j.requested === p) && p.models.includes(j.layers[0]!.baseModel) && rateOf(j, p) <= j.maxPrice;
      const cids = ['', 'bafkreiarr', 'bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi', 'b'.repeat(64)];
      const closeJob = (j: ModelJob) => {
        active.splice(active.indexOf(j), 1);
        closed++;
        for (const [what, key] of [['job', j.address], ['vault', j.vault]] as const) {
          if (raw(key)) throw new Mismatch(`job ${j.serial}: its ${what} still exists after closing`);
        }
        const free = freeSlots.get(j.client.name) ?? [];
        free.push({ jobId: j.jobId, address: j.address, vault: j.vault, signed: j.signed });
        freeSlots.set(j.client.name, free);
      };

      const create = () => {
        const client = rng.pick(clients);
        // A genome: 1–4 distinct layers of one base model, in a random order (lineages mixed in)
        const first = rng.pick(layers);
        const pool = layers.filter((l) => l !== first && l.baseModel === first.baseModel);
        const genomeLayers = [first];
        // (several layers' royalties with the burn and fee stay within the price, as job_create requires)
        let royalty = burnBps + feeBps + first.royaltyBps;
        const size = 1 + rng.below(4);
        while (genomeLayers.length < size && pool.length) {
          const next = pool.splice(rng.below(pool.length), 1)[0]!;
          if (royalty + next.royaltyBps > 10_000) continue;
          royalty += next.royaltyBps;
          genomeLayers.push(next);
        }
        const floor = genomeLayers.reduce((a, l) => a + l.floor, 0n);
        const serving = providers.filter((p) => p.models.includes(first.baseModel));
        const target = rng.pick(serving);
        const need = max(target.price, floor);
        const roll = rng.below(100);
        const plan: Plan = roll < 55 ? 'settle' : roll < 64 ? 'cancel' : roll < 73 ? 'expire' : roll < 82 ? 'upheld' : roll < 91 ? 'rejected' : 'undecided';
        let maxTokens = rng.chance(10) ? rng.pick([1n, 7n, 999n, 1_000n, 1_001n]) : rng.amount(200_000n);
        let maxPrice = rng.chance(30) ? need : need + rng.upTo(need);
        if (plan === 'cancel' && rng.chance(30)) maxPrice = max(floor, 1n); // often nobody can take it
        if (maxPrice === 0n) maxPrice = 1n;
        // The escrow covers at least the minimum job price.
        if (maxTokens * maxPrice < (MIN_JOB_PRICE - 1n) * 1000n + 1n) maxTokens = ((MIN_JOB_PRICE - 1n) * 1000n + maxPrice) / maxPrice;
        const slot = takeSlot(client);
        const j: ModelJob = {
          serial: created,
          chainSerial: jobsCreated0 + marketStats.jobsCreated + 1n,
          client,
          jobId: slot.jobId,
          address: slot.address,
          vault: slot.vault,
          challengeAddress: null,
          challengeSerial: 0n,
          signed: slot.signed,
          layers: genomeLayers,
          floor,
          requested: rng.chance(25) ? target : null,
          maxTokens,
          maxPrice,
          escrow: (maxTokens * maxPrice + 999n) / 1000n,
          plan,
          status: 'open',
          provider: null,
          rate: 0n,
          deadline: 0n,
          settleAfter: 0n,
          tokens: 0n,
          bond: 0n,
          wasChallenged: false,
          challenger: null,
          voteDeadline: 0n,
          votePlan: [],
          upheld: 0,
          rejected: 0,
          voters: new Map(),
          vaultOpen: true,
          donated: 0n,
        };
        send([ix.create(j)], [client.keypair!]);
        if (rent.job === 0n) {
          rent.job = rentOf(j.address);
          rent.vault = rentOf(j.vault);
        }
        eq(raw(j.address)!.lamports(), rent.job, 'job rent');
        eq(raw(j.vault)!.lamports(), rent.vault, 'vault rent');
        addCompute(client.compute, -j.escrow);
        addLamports(client.key, -(rent.job + rent.vault));
        active.push(j);
        created++;
        marketStats.jobsCreated++;
        return j;
      };

      const claim = (j: ModelJob) => {
        const p = rng.pick(providers.filter((q) => canClaim(j, q)));
        send([ix.claim(j, p)], [p.wallet.keypair!]);
        j.status = 'claimed';
        j.provider = p;
        j.rate = rateOf(j, p);
        j.deadline = now() + JOB_TIMEOUT;
      };

      const receipt = (j: ModelJob) => {
        const tokens = rng.chance(5) ? 0n : rng.chance(15) ? j.maxTokens : rng.upTo(j.maxTokens);
        const cid = rng.pick(cids);
        const signed = ix.receipt(j, tokens, cid, j.provider!.nodeKey);
        send(signed);
        // Kept to replay onto the next job at this address
        j.signed.receipts = [{ verification: signed[0]!, outputHash: Buffer.from(sha256(`output ${j.serial}`)), tokens, cid }];
        j.status = 'submitted';
        j.tokens = tokens;
        j.settleAfter = now() + CHALLENGE_WINDOW;
      };

      const refundAndClose = (j: ModelJob, s: Sent, expired: boolean) => {
        const e = events.one(s.logs, 'jobClosed');
        eq(big(e.refund), j.escrow + j.donated, 'JobClosed refund = escrow + anything sent to the vault');
        eq(e.expired, expired, 'JobClosed expired');
        addCompute(j.client.compute, j.escrow + j.donated);
        if (j.donated > 0n) count('closed with a donation refunded');
        addLamports(j.client.key, rent.job + rent.vault);
        closeJob(j);
      };

      const expire = (j: ModelJob) => {
        refundAndClose(j, send([ix.expire(j)]), true);
        count('expired');
      };

      const cancel = (j: ModelJob) => {
        refundAndClose(j, send([ix.cancel(j, j.client)], [j.client.keypair!]), false);
        count('cancelled');
      };

      const settle = (j: ModelJob) => {
        const p = j.provider!;
        const s = send([ix.settle(j)]);
        const e = events.one(s.logs, 'jobSettled');
        const parts = ['providerPayment', 'royalty', 'burned', 'fee', 'refund'].map((k) => big(e[k]));
        eq(parts.reduce((a, b) => a + b, 0n), j.escrow + j.donated, `job ${j.serial}: JobSettled parts sum vs escrow (+ anything sent to the vault)`);
        const split = splitOf(j.escrow, j.tokens, j.rate, { burnBps, feeBps, royaltyBps: j.layers.map((l) => l.royaltyBps), rewardBps });
        const fromEvent = { price: big(e.price), provider: big(e.providerPayment), royalty: big(e.royalty), burn: big(e.burned), fee: big(e.fee), refund: big(e.refund), reward: big(e.reward) };
        const expected = { ...split, refund: split.refund + j.donated };
        for (const [k, v] of Object.entries(fromEvent)) eq(v, expected[k as keyof typeof expected], `job ${j.serial}: JobSettled ${k}`);
        for (const [i, l] of j.layers.entries()) {
          l.accrued += split.royalties[i]!;
          eq(big((e.royalties as unknown[])[i]), split.royalties[i], `job ${j.serial}: JobSettled royalty of layer ${i}`);
          eq(big((e.accruedRoyalties as unknown[])[i]), l.accrued, `job ${j.serial}: JobSettled accrued royalty of layer ${i}`);
          l.stats.jobsCompleted!++;
          l.stats.tokensServed! += j.tokens;
          l.stats.royaltiesEarned! += split.royalties[i]!;
        }
        eq(big(e.tokensUsed), j.tokens, 'JobSettled tokens');
        addCompute(p.wallet.compute, split.provider + split.reward);
        addCompute(royaltyVault, split.royalty);
        addCompute(treasury.compute, split.fee);
        addCompute(j.client.compute, split.refund + j.donated);
        if (j.donated > 0n) count('settled with a donation refunded');
        if (rewardsVault) compute.set(rewardsVault, compute.get(rewardsVault)! - split.reward);
        burned += split.burn;
        rewardsPaid += split.reward;
        addLamports(j.client.key, rent.vault);
        j.vaultOpen = false;
        j.status = 'settled';
        if (raw(j.vault)) throw new Mismatch(`job ${j.serial}: vault still exists after settlement`);
        p.stats.jobsCompleted!++;
        p.stats.tokensServed! += j.tokens;
        p.stats.earned! += split.provider;
        marketStats.jobsSettled++;
        marketStats.totalRoyalties += split.royalty;
        marketStats.totalProviderPayments += split.provider;
        if (j.layers.length === 4) count('settled a genome of four layers');
        if (j.layers.some((l) => l.parent) && split.royalty > 0n && split.burn > 0n && split.fee > 0n && split.reward > 0n && split.refund > 0n) count('settled with every part');
      };

      const challenge = (j: ModelJob) => {
        const c = rng.pick(challengers);
        const bond = MIN_BOND + (rng.chance(20) ? 0n : rng.upTo(1_000_000n));
        send([ix.challenge(j, c, bond)], [c.keypair!]);
        marketStats.challengesOpened++;
        j.challengeSerial = challengesOpened0 + marketStats.challengesOpened;
        if (rent.challenge === 0n) rent.challenge = rentOf(challengeOf(j));
        eq(raw(challengeOf(j))!.lamports(), rent.challenge, 'challenge rent');
        addCompute(c.compute, -bond);
        addLamports(c.key, -rent.challenge);
        j.status = 'challenged';
        j.wasChallenged = true;
        j.challenger = c;
        j.bond = bond;
        j.voteDeadline = now() + VOTE_WINDOW;
        j.upheld = 0;
        j.rejected = 0;
        j.voters = new Map();
        j.votePlan =
          j.plan === 'upheld'
            ? rng.chance(30) ? [false, true, true] : [true, true]
            : j.plan === 'rejected'
              ? rng.chance(30) ? [true, false, false] : [false, false]
              : rng.pick([[], [true], [false], [true, false], [false, true]]);
        j.provider!.stats.jobsChallenged!++;
        for (const l of j.layers) l.stats.jobsChallenged!++;
      };

      const decided = (j: ModelJob) => j.upheld >= 2 || j.rejected >= 2;

      const vote = (j: ModelJob) => {
        const v = rng.pick(verifiers.filter((x) => !j.voters.has(x)));
        const upheld = j.votePlan.shift()!;
        const signed = ix.vote(j, v, upheld);
        send(signed);
        j.voters.set(v, upheld);
        if (upheld) j.upheld++;
        else j.rejected++;
        v.votes++;
        v.open++;
        // Kept to replay onto a later job at this address
        j.signed.verdicts = [...j.signed.verdicts.filter((x) => x.verifier !== v), { verification: signed[0]!, verifier: v, upheld, resultHash: Buffer.from(sha256(`verdict ${j.serial} ${v.wallet.name}`)) }];
      };

      /** Resolved challenges whose voters are not all released. */
      const resolved: Resolved[] = [];
      const release = () => {
        const r = rng.pick(resolved);
        const [v, upheld] = rng.pick([...r.voters]);
        send([ix.release(r, v)]);
        r.voters.delete(v);
        v.open--;
        if (r.outcome !== 'undecided') {
          if (upheld === (r.outcome === 'upheld')) v.won++;
          else v.lost++;
        }
        if (r.voters.size === 0) {
          resolved.splice(resolved.indexOf(r), 1);
          if (raw(r.address)) throw new Mismatch(`challenge ${r.address.toBase58()} still exists after its last voter's release`);
          addLamports(r.challenger.key, rent.challenge);
        }
        count('vote released');
      };

      const resolve = (j: ModelJob) => {
        const p = j.provider!;
        const c = j.challenger!;
        const s = send([ix.resolve(j)]);
        const e = events.one(s.logs, 'challengeResolved');
        const outcome = j.upheld >= 2 ? 'upheld' : j.rejected >= 2 ? 'rejected' : 'undecided';
        eq(Object.keys(e.outcome as object)[0], outcome, `job ${j.serial}: ChallengeResolved outcome`);
        // The challenge stays until its voters are released; without voters it closes now.
        if (j.voters.size > 0) resolved.push({ address: challengeOf(j), challenger: c, outcome, voters: new Map(j.voters), cast: [...j.voters.keys()] });
        else {
          if (raw(challengeOf(j))) throw new Mismatch(`job ${j.serial}: a challenge without votes still exists after resolution`);
          addLamports(c.key, rent.challenge);
        }
        if (outcome === 'upheld') {
          const slashed = min(SLASH, p.collateralAmount);
          eq(big(e.slashed), slashed, 'ChallengeResolved slashed');
          eq(big(e.refund), j.escrow + j.donated, 'ChallengeResolved refund');
          const toChallenger = (slashed * BigInt(CHALLENGER_BPS)) / 10_000n;
          addUbc(stakeVaultKey, -slashed);
          ubcMoved = true;
          addUbc(c.ubc, toChallenger);
          addUbc(treasury.ubc, slashed - toChallenger);
          p.collateralAmount -= slashed;
          slashedTotal += slashed;
          addCompute(j.client.compute, j.escrow + j.donated);
          addCompute(c.compute, j.bond);
          addLamports(j.client.key, rent.job + rent.vault);
          p.stats.jobsSlashed!++;
          for (const l of j.layers) l.stats.jobsSlashed!++;
          closeJob(j);
          count('challenge upheld');
        } else {
          eq(big(e.slashed), 0n, 'ChallengeResolved slashed');
          addCompute(outcome === 'rejected' ? p.wallet.compute : c.compute, j.bond);
          j.bond = 0n;
          j.status = 'submitted';
          j.settleAfter = now();
          count(`challenge ${outcome}`);
        }
      };

      const rateOrClose = (j: ModelJob) => {
        const p = j.provider!;
        if (rng.chance(70)) {
          const rating = 1 + rng.below(5);
          send([ix.rate(j, j.client, rating)], [j.client.keypair!]);
          p.stats.ratingSum! += BigInt(rating);
          p.stats.ratingCount!++;
          for (const l of j.layers) {
            l.stats.ratingSum! += BigInt(rating);
            l.stats.ratingCount!++;
          }
          count('settled, rated');
        } else {
          send([ix.close(j)], [j.client.keypair!]);
          count('settled, closed');
        }
        addLamports(j.client.key, rent.job);
        closeJob(j);
      };

      /** The job's next move under its plan, or null while it waits for the clock. */
      const nextMove = (j: ModelJob): ((j: ModelJob) => void) | null => {
        const t = now();
        switch (j.status) {
          case 'open':
            if (j.plan !== 'cancel' && providers.some((p) => canClaim(j, p))) return claim;
            return cancel;
          case 'claimed':
            if (t > j.deadline) return expire;
            return j.plan === 'expire' ? null : receipt;
          case 'submitted':
            if (!j.wasChallenged && (j.plan === 'upheld' || j.plan === 'rejected' || j.plan === 'undecided') && t < j.settleAfter) return challenge;
            return t >= j.settleAfter ? settle : null;
          case 'challenged':
            if (decided(j)) return resolve;
            if (t > j.voteDeadline) return resolve;
            return j.votePlan.length > 0 ? vote : null;
          case 'settled':
            return rateOrClose;
        }
      };
      const wakeAt = (j: ModelJob): bigint | null =>
        j.status === 'claimed' ? j.deadline + 1n : j.status === 'submitted' ? j.settleAfter : j.status === 'challenged' ? j.voteDeadline + 1n : null;

      // ---- Invalid calls: each must fail with its error and change nothing
      const negatives = (): (() => void)[] => {
        const t = now();
        const out: (() => void)[] = [];
        for (const j of active) {
          const p = j.provider;
          if (j.status === 'open') {
            const other = clients.find((c) => c !== j.client)!;
            out.push(() => sendFailing('cancel by another client', E.ClientMismatch, [ix.cancel(j, other)], [other.keypair!]));
            const pricey = providers.find((q) => (!j.requested || j.requested === q) && q.models.includes(j.layers[0]!.baseModel) && rateOf(j, q) > j.maxPrice);
            if (pricey) out.push(() => sendFailing('claim above the maximum price', E.PriceExceeded, [ix.claim(j, pricey)], [pricey.wallet.keypair!]));
            const unrequested = j.requested && providers.find((q) => q !== j.requested);
            if (unrequested) out.push(() => sendFailing('claim of a job asked of another provider', E.ProviderMismatch, [ix.claim(j, unrequested)], [unrequested.wallet.keypair!]));
            const wrongModel = providers.find((q) => (!j.requested || j.requested === q) && !q.models.includes(j.layers[0]!.baseModel));
            if (wrongModel) out.push(() => sendFailing('claim without the base model', E.BaseModelUnsupported, [ix.claim(j, wrongModel)], [wrongModel.wallet.keypair!]));
          }
          if (j.status === 'claimed' && t <= j.deadline) {
            out.push(() => sendFailing('expiry before the deadline', E.DeadlineNotPassed, [ix.expire(j)]));
            out.push(() => sendFailing('receipt above the maximum tokens', E.TokensExceeded, ix.receipt(j, j.maxTokens + 1n, '', p!.nodeKey)));
            const impostor = providers.find((q) => q !== p)!.nodeKey;
            out.push(() => sendFailing('receipt signed by another key', E.SignerMismatch, ix.receipt(j, 0n, '', impostor)));
          }
          if (j.status === 'claimed' && t > j.deadline) out.push(() => sendFailing('receipt after the deadline', E.DeadlinePassed, ix.receipt(j, 0n, '', p!.nodeKey)));
          if (j.status === 'claimed' || j.status === 'submitted') out.push(() => sendFailing('cancel of a claimed job', E.JobStatusMismatch, [ix.cancel(j, j.client)], [j.client.keypair!]));
          if (j.status === 'submitted' && t < j.settleAfter) {
            out.push(() => sendFailing('settlement within the challenge window', E.ChallengeWindowOpen, [ix.settle(j)]));
            out.push(() => sendFailing('challenge by its own provider', E.CannotChallengeOwnJob, [ix.challenge(j, p!.wallet, MIN_BOND)], [p!.wallet.keypair!]));
            const c = challengers[0]!;
            out.push(() => sendFailing('challenge with a small bond', E.BondTooSmall, [ix.challenge(j, c, MIN_BOND - 1n)], [c.keypair!]));
          }
          if (j.status === 'submitted' && t >= j.settleAfter) {
            const c = challengers[1]!;
            if (j.wasChallenged) out.push(() => sendFailing('a second challenge of one job', E.AlreadyChallenged, [ix.challenge(j, c, MIN_BOND)], [c.keypair!]));
            else out.push(() => sendFailing('challenge after the window', E.ChallengeWindowClosed, [ix.challenge(j, c, MIN_BOND)], [c.keypair!]));
          }
          if (j.status === 'challenged') {
            if (!decided(j) && t <= j.voteDeadline) {
              out.push(() => sendFailing('resolution before a quorum or the deadline', E.VotingNotOver, [ix.resolve(j)]));
              const voted = [...j.voters.keys()][0];
              if (voted) out.push(() => sendFailing('a second vote by one verifier', E.VerifierAlreadyVoted, ix.vote(j, voted, true)));
            }
            const fresh = verifiers.find((v) => !j.voters.has(v));
            if (fresh && (decided(j) || t > j.voteDeadline)) out.push(() => sendFailing('a vote after the quorum or the deadline', E.VotingClosed, ix.vote(j, fresh, false)));
            const voter = [...j.voters.keys()][0];
            if (voter) out.push(() => sendFailing('release of a vote before resolution', E.ChallengeNotResolved, [ix.release({ address: challengeOf(j), challenger: j.challenger!, outcome: 'undecided', voters: new Map(), cast: [] }, voter)]));
          }
          if (j.status === 'settled') {
            const other = clients.find((c) => c !== j.client)!;
            out.push(() => sendFailing('rating by another client', E.ClientMismatch, [ix.rate(j, other, 5)], [other.keypair!]));
            out.push(() => sendFailing('a rating of 6', E.InvalidRating, [ix.rate(j, j.client, rng.chance(50) ? 0 : 6)], [j.client.keypair!]));
          }
        }
        return out;
      };

      /**
       * What was signed for earlier jobs at the address of a job, replayed word for word onto it:
       * each must be refused and change nothing.
       */
      const replays = (): (() => void)[] => {
        const t = now();
        const out: (() => void)[] = [];
        for (const j of active) {
          const p = j.provider;
          if (j.status === 'claimed' && t <= j.deadline) {
            // By this job's provider: another message; by another provider's node: another signer
            for (const old of j.signed.receipts.filter((r) => r.tokens <= j.maxTokens)) {
              const sameSigner = old.verification.data.subarray(16, 48).equals(p!.nodeKey.publicKey.toBuffer());
              out.push(() => {
                sendFailing('receipt of an earlier job at the address replayed', sameSigner ? E.SignedMessageMismatch : E.SignerMismatch, [old.verification, ix.receiptOnly(j, old.outputHash, old.tokens, old.cid)]);
                count('replayed receipt refused');
              });
            }
          }
          if (j.status === 'challenged' && !decided(j) && t <= j.voteDeadline) {
            for (const old of j.signed.verdicts) {
              if (j.voters.has(old.verifier)) continue;
              out.push(() => {
                sendFailing('verdict of an earlier challenge at the address replayed', E.SignedMessageMismatch, [old.verification, ix.voteOnly(j, old.verifier, old.upheld, old.resultHash)]);
                count('replayed verdict refused');
              });
            }
          }
        }
        return out;
      };

      /** A job whose escrow is below the minimum job price, at an id no job uses. */
      const tinyJob = () => {
        const client = rng.pick(clients);
        const address = marketplacePda.job(client.key, 1_000_000n);
        const tiny = { client, jobId: 1_000_000n, address, vault: marketplacePda.jobVault(address), layers: [layers[1]!], requested: null, serial: -1, maxTokens: 1n, maxPrice: 1_000n } as unknown as ModelJob;
        sendFailing('a job escrowing less than the minimum price', E.InvalidAmount, [ix.create(tiny)], [client.keypair!]);
      };

      /** Invalid releases of resolved challenges' votes. */
      const badReleases = (): (() => void)[] =>
        resolved.flatMap((r) => {
          const out: (() => void)[] = [];
          const stranger = verifiers.find((v) => !r.voters.has(v));
          // A verifier that never voted, or whose vote was released already
          if (stranger) out.push(() => sendFailing('release of a verifier without an open vote', r.cast.includes(stranger) ? E.VoteAlreadyReleased : E.VoterNotFound, [ix.release(r, stranger)]));
          return out;
        });

      // ---- Rare moves: a layer changes hands; the economy's burn and fee or the market's reward change
      const transferLayer = () => {
        const l = rng.pick(layers);
        const to = rng.pick(holders.filter((h) => h !== l.holder));
        send([createTransferCheckedInstruction(l.holdings.get(l.holder.name)!, l.mint, l.holdings.get(to.name)!, l.holder.key, 1n, 0, [], TOKEN_2022_PROGRAM_ID)], [l.holder.keypair!]);
        l.holder = to;
        count('layer changed hands');
      };
      /** Claims a layer's accrued royalty (anyone may): the parent's share up, the rest to the holder. */
      const claimRoyalty = (l: ModelLayer) => {
        const s = send([ix.royaltyClaim(l)]);
        const e = events.one(s.logs, 'royaltyClaimed');
        const share = l.parent ? (l.accrued * BigInt(Math.min(l.parentShareBps, 10_000))) / 10_000n : 0n;
        const paid = l.accrued - share;
        eq(big(e.paid), paid, `layer ${l.index}: RoyaltyClaimed paid`);
        eq(big(e.passedToParent), share, `layer ${l.index}: RoyaltyClaimed passed to the parent`);
        eqKey(e.holder, l.holder.key, `layer ${l.index}: RoyaltyClaimed holder`);
        addCompute(royaltyVault, -paid);
        addCompute(l.holder.compute, paid);
        l.stats.royaltiesClaimed! += paid;
        l.stats.royaltiesPassedUp! += share;
        l.accrued = 0n;
        if (l.parent) {
          l.parent.accrued += share;
          l.parent.stats.royaltiesFromChildren! += share;
          eq(big(e.parentAccruedRoyalty), l.parent.accrued, `layer ${l.index}: RoyaltyClaimed parent accrued`);
        }
        count(l.parent && share > 0n ? 'royalty claimed, a share passed up' : 'royalty claimed');
      };
      const claimSome = () => {
        const due = layers.filter((l) => l.accrued > 0n);
        if (due.length && rng.chance(15)) {
          const l = rng.pick(due);
          const other = rng.pick(holders.filter((h) => h !== l.holder));
          sendFailing('a claim paid to someone other than the holder', E.ConstraintTokenOwner, [ix.royaltyClaim(l, other.compute)]);
        } else if (due.length) claimRoyalty(rng.pick(due));
        else {
          const l = rng.pick(layers);
          sendFailing('a claim with nothing accrued', E.NothingToClaim, [ix.royaltyClaim(l)]);
        }
      };
      const donate = () => {
        const open = active.filter((j) => j.vaultOpen);
        if (!open.length) return;
        const j = rng.pick(open);
        const donor = rng.pick(clients);
        const amount = rng.amount(10_000n);
        send([createTransferCheckedInstruction(donor.compute, f.computeMint, j.vault, donor.key, amount, 9, [], tokenProgram)], [donor.keypair!]);
        addCompute(donor.compute, -amount);
        j.donated += amount;
        count('sent to a vault');
      };
      const economyUpdate = async () => {
        const c = (await f.client.fetchConfig())!;
        burnBps = rng.below(1_001);
        feeBps = rng.below(1_001);
        send([await f.program.methods.configUpdate({ ...c.params, burnBps, treasuryFeeBps: feeBps }).accounts({ admin: admin.publicKey }).instruction()], [admin]);
        count('economy burn and fee changed');
      };
      const marketUpdate = async () => {
        const m = (await f.market.fetchMarket())!;
        rewardBps = rng.chance(20) ? 0 : rng.below(10_001);
        send([await program.methods.marketUpdate({ ...m.params, rewardBps }).accounts({ admin: admin.publicKey }).instruction()], [admin]);
        count('market reward changed');
      };

      // ---- Checks after every step
      // Raw offsets of the job's and the economy config's fields (Borsh, packed), for speed; checked
      // against the Anchor decoder on every full check.
      const JOB = { serial: 48, status: 257, provider: 258, escrow: 338, rate: 346, deadline: 362, settleAfter: 370, tokens: 410, bond: 418 };
      const STATUSES: Status[] = ['open', 'claimed', 'submitted', 'challenged', 'settled'];
      const CONFIG = { totalBurned: 329, totalCollateral: 345, totalSlashed: 353, totalRewardsPaid: 361 };
      const i64At = (data: Uint8Array, offset: number): bigint => Buffer.from(data.buffer, data.byteOffset + offset, 8).readBigInt64LE();
      const rawJob = (data: Uint8Array) => ({
        serial: u64At(data, JOB.serial),
        status: STATUSES[data[JOB.status]!],
        provider: new PublicKey(data.subarray(JOB.provider, JOB.provider + 32)),
        escrow: u64At(data, JOB.escrow),
        rate: u64At(data, JOB.rate),
        deadline: i64At(data, JOB.deadline),
        settleAfter: i64At(data, JOB.settleAfter),
        tokens: u64At(data, JOB.tokens),
        bond: u64At(data, JOB.bond),
      });
      const rawConfig = (data: Uint8Array) => ({
        totalBurned: u64At(data, CONFIG.totalBurned),
        totalCollateral: u64At(data, CONFIG.totalCollateral),
        totalSlashed: u64At(data, CONFIG.totalSlashed),
        totalRewardsPaid: u64At(data, CONFIG.totalRewardsPaid),
      });
      const checkOffsets = () => {
        const data = raw(eco.config)!.data();
        const d = f.program.coder.accounts.decode('config', Buffer.from(data));
        for (const [k, v] of Object.entries(rawConfig(data))) eq(v, big(d[k]), `raw config ${k} vs decoder`);
        for (const j of active) {
          const jd = raw(j.address)!.data();
          const decoded = program.coder.accounts.decode('job', Buffer.from(jd));
          const r = rawJob(jd);
          eq(r.status, Object.keys(decoded.status)[0], 'raw job status vs decoder');
          eqKey(r.provider, decoded.provider, 'raw job provider vs decoder');
          const fields = { serial: 'serial', escrow: 'escrow', rate: 'ratePerThousand', deadline: 'deadlineTs', settleAfter: 'settleAfterTs', tokens: 'tokensUsed', bond: 'bond' } as const;
          for (const [k, name] of Object.entries(fields)) eq(r[k as keyof typeof fields], big(decoded[name]), `raw job ${k} vs decoder`);
        }
      };
      const checkJob = (j: ModelJob) => {
        const account = raw(j.address);
        if (!account) throw new Mismatch(`job ${j.serial} is missing`);
        const d = rawJob(account.data());
        eq(d.serial, j.chainSerial, `job ${j.serial} serial on chain`);
        eq(d.status, j.status, `job ${j.serial} status`);
        eq(d.escrow, j.escrow, `job ${j.serial} escrow`);
        eq(d.bond, j.bond, `job ${j.serial} bond`);
        eq(d.tokens, j.tokens, `job ${j.serial} tokens`);
        eq(d.rate, j.rate, `job ${j.serial} rate`);
        eqKey(d.provider, j.provider?.wallet.key ?? PublicKey.default, `job ${j.serial} provider`);
        eq(d.deadline, j.deadline, `job ${j.serial} deadline`);
        eq(d.settleAfter, j.settleAfter, `job ${j.serial} settle after`);
        eq(account.lamports(), rent.job, `job ${j.serial} lamports`);
      };
      const verify = (touched: ModelJob | null) => {
        if (touched && active.includes(touched)) checkJob(touched);
        // $COMPUTE: every account, the open vaults, the supply
        let sum = 0n;
        for (const [k, key] of computeKeys) {
          const a = raw(key);
          if (!a) throw new Mismatch(`$COMPUTE account ${k} vanished`);
          const amount = tokenAmount(a.data());
          eq(amount, compute.get(k), `$COMPUTE of ${k}`);
          sum += amount;
        }
        for (const j of active) {
          if (!j.vaultOpen) continue;
          const a = raw(j.vault);
          if (!a) throw new Mismatch(`job ${j.serial}: vault missing`);
          eq(tokenAmount(a.data()), j.escrow + j.bond + j.donated, `job ${j.serial}: vault = escrow + bond (+ anything sent to it)`);
          eq(a.lamports(), rent.vault, `job ${j.serial}: vault lamports`);
          sum += j.escrow + j.bond + j.donated;
        }
        const supply = mintSupply(raw(f.computeMint)!.data());
        eq(sum, supply, '$COMPUTE: sum of all balances vs supply');
        if (mode === 'program mints') eq(supply, computeSupply0 + rewardsPaid - burned, '$COMPUTE supply change = rewards minted - burned');
        else {
          eq(supply, computeSupply0 - burned, '$COMPUTE supply change = -burned');
          eq(compute.get(rewardsVault!), rewardsVault0 - rewardsPaid, 'rewards vault = funding - rewards paid');
        }
        // The royalty vault holds exactly what the layers accrued and nobody claimed
        eq(compute.get(royaltyVault.toBase58()), layers.reduce((a, l) => a + l.accrued, 0n), 'royalty vault = sum of accrued royalties');
        // $UBC: the stake vault and the supply each step; every account after a slash (the only move of $UBC here)
        eq(tokenAmount(raw(stakeVaultKey)!.data()), ubc.get(stakeVault), '$UBC stake vault');
        eq(mintSupply(raw(f.ubcMint)!.data()), ubcSupply0, '$UBC supply');
        if (ubcMoved) {
          let ubcSum = 0n;
          for (const [k, key] of ubcKeys) {
            const amount = tokenAmount(raw(key)!.data());
            eq(amount, ubc.get(k), `$UBC of ${k}`);
            ubcSum += amount;
          }
          eq(ubcSum, ubcSupply0, '$UBC: sum of all balances vs supply');
          ubcMoved = false;
        }
        // Lamports of every wallet and of the fee payer
        for (const [k, key] of lamportKeys) eq(native.getBalance(bytesOf(key)) ?? 0n, lamports.get(k), `lamports of ${k}`);
        // Open jobs of each provider, in the marketplace and in the economy; collateral
        const openJobs = new Map<ModelProvider, bigint>();
        for (const j of active) if (j.status === 'claimed' || j.status === 'submitted' || j.status === 'challenged') openJobs.set(j.provider!, (openJobs.get(j.provider!) ?? 0n) + 1n);
        for (const p of providers) {
          const open = openJobs.get(p) ?? 0n;
          eq(u64At(raw(p.pda)!.data(), PROVIDER_OPEN_JOBS), open, `${p.wallet.name} openJobs`);
          const c = raw(p.collateral)!.data();
          eq(u64At(c, COLLATERAL_OPEN_JOBS), open, `${p.wallet.name} collateral openJobs`);
          eq(u64At(c, COLLATERAL_AMOUNT), p.collateralAmount, `${p.wallet.name} collateral`);
        }
        // Each verifier's collateral is locked once per vote not yet released
        for (const v of verifiers) eq(u64At(raw(v.collateral)!.data(), COLLATERAL_OPEN_JOBS), v.open, `${v.wallet.name} collateral openJobs (open votes)`);
        // The economy's totals
        const cfg = rawConfig(raw(eco.config)!.data());
        eq(cfg.totalBurned, totals0.burned + burned, 'economy total burned');
        eq(cfg.totalRewardsPaid, totals0.rewards + rewardsPaid, 'economy total rewards paid');
        eq(cfg.totalSlashed, totals0.slashed + slashedTotal, 'economy total slashed');
        eq(cfg.totalCollateral, totals0.collateral - slashedTotal, 'economy total collateral');
      };
      /** Every token account on chain is one the model knows; every counter equals the model. */
      const fullCheck = async () => {
        checkOffsets();
        const vaults = new Map(active.filter((j) => j.vaultOpen).map((j) => [j.vault.toBase58(), j.escrow + j.bond + j.donated]));
        const expected = new Map([...compute, ...vaults]);
        const onChain = scan(f.computeMint);
        eq(onChain.size, expected.size, 'number of $COMPUTE accounts');
        for (const [k, v] of onChain) eq(v, expected.get(k), `$COMPUTE account ${k} (scan)`);
        const ubcOnChain = scan(f.ubcMint);
        eq(ubcOnChain.size, ubc.size, 'number of $UBC accounts');
        for (const [k, v] of ubcOnChain) eq(v, ubc.get(k), `$UBC account ${k} (scan)`);
        for (const p of providers) {
          const d = (await f.market.fetchProvider(p.wallet.key))!;
          for (const [k, v] of Object.entries(p.stats)) eq(big(d[k as keyof typeof d]), v, `${p.wallet.name} ${k}`);
        }
        for (const l of layers) {
          const d = (await f.market.fetchLayer(l.address))!;
          for (const [k, v] of Object.entries(l.stats)) eq(big(d[k as keyof typeof d]), v, `layer ${l.index} ${k}`);
        }
        for (const v of verifiers) {
          const d = (await f.market.fetchVerifier(v.wallet.key))!;
          const model = { votesCast: v.votes, openVotes: v.open, votesWon: v.won, votesLost: v.lost };
          for (const [k, x] of Object.entries(model)) eq(big(d[k as keyof typeof d]), x, `${v.wallet.name} ${k}`);
        }
        const m = (await f.market.fetchMarket())!;
        for (const [k, v] of Object.entries(marketStats)) eq(big(m[k as keyof typeof m]), v, `market ${k}`);
        eq(m.params.rewardBps, rewardBps, 'market reward bps');
      };

      // ---- The run
      verify(null);
      await fullCheck();
      const loopStarted = performance.now();
      const loopCpu = process.cpuUsage();
      let step = 0;
      let op = '';
      let replayList: (() => void)[] = [];
      try {
        while (closed < LIFECYCLES) {
          step++;
          const canCreate = created < LIFECYCLES && active.length < MAX_ACTIVE;
          const roll = rng.below(1_000);
          let touched: ModelJob | null = null;
          if (roll < 150 && canCreate) {
            op = 'create';
            touched = create();
          } else if (roll < 190) {
            op = 'warp';
            warp(rng.amount(40n));
          } else if (roll < 210) {
            op = 'invalid call';
            const list = [...negatives(), ...badReleases(), tinyJob];
            rng.pick(list)();
          } else if (roll < 213) {
            const r = rng.below(3);
            op = ['layer transfer', 'economy update', 'market update'][r]!;
            if (r === 0) transferLayer();
            else if (r === 1) await economyUpdate();
            else await marketUpdate();
          } else if (roll < 218) {
            op = 'send to a vault';
            donate();
          } else if (roll < 240 && resolved.length) {
            op = 'release';
            release();
          } else if (roll >= 260 && roll < 275) {
            op = 'royalty claim';
            claimSome();
          } else if (roll >= 240 && roll < 260 && (replayList = replays()).length) {
            op = 'replay';
            rng.pick(replayList)();
          } else {
            const ready = active.map((j) => [j, nextMove(j)] as const).filter(([, m]) => m !== null);
            if (ready.length) {
              const [j, move] = rng.pick(ready);
              op = move!.name;
              touched = j;
              move!(j);
            } else if (canCreate) {
              op = 'create';
              touched = create();
            } else {
              // Everyone waits on the clock: jump to the next moment something can happen.
              op = 'warp to next';
              const t = now();
              const next = active.map(wakeAt).filter((w): w is bigint => w !== null).reduce((a, b) => min(a, b));
              warp(max(next - t, 1n) + rng.upTo(5n));
            }
          }
          verify(touched);
          if (step % SCAN_EVERY === 0) await fullCheck();
        }
        // Every royalty is claimed in the end, children first, so each share reaches the top of its lineage
        while (layers.some((l) => l.accrued > 0n)) {
          op = 'royalty claim';
          const depth = (l: ModelLayer): number => (l.parent ? 1 + depth(l.parent) : 0);
          claimRoyalty([...layers].filter((l) => l.accrued > 0n).sort((a, b) => depth(b) - depth(a))[0]!);
          verify(null);
        }
        eq(compute.get(royaltyVault.toBase58()), royaltyVault0, 'the royalty vault is back where it started');
        // Every voter is released in the end
        while (resolved.length) {
          op = 'release';
          release();
          verify(null);
        }
        await fullCheck();
      } catch (e) {
        if (e instanceof Mismatch) throw new Error(`step ${step} (${op}), ${mode}: ${e.message}`);
        throw e;
      }
      expect(active).toHaveLength(0);
      for (const p of providers) {
        expect(u64At(raw(p.pda)!.data(), PROVIDER_OPEN_JOBS)).toBe(0n);
        expect(u64At(raw(p.collateral)!.data(), COLLATERAL_OPEN_JOBS)).toBe(0n);
      }
      for (const v of verifiers) expect(u64At(raw(v.collateral)!.data(), COLLATERAL_OPEN_JOBS)).toBe(0n);
      const seconds = (ms: number) => (ms / 1000).toFixed(1);
      const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;
      console.log(
        `marketplace property test (${mode}): ${closed} lifecycles, ${step} steps, ${transactions} transactions + ${failures} failing as expected, ` +
          `${seconds(performance.now() - loopStarted)} s wall, ${seconds(cpuMs(process.cpuUsage(loopCpu)))} s CPU (setup ${seconds(loopStarted - started)} s); ${JSON.stringify(outcomes)}; burned ${burned}, rewards ${rewardsPaid}, slashed ${slashedTotal}`,
      );
      // Every outcome happened many times.
      for (const o of ['settled, rated', 'settled, closed', 'cancelled', 'expired', 'challenge upheld', 'challenge rejected', 'challenge undecided', 'settled with every part', 'vote released', 'royalty claimed, a share passed up', 'settled a genome of four layers']) {
        expect(outcomes[o] ?? 0, o).toBeGreaterThan(LIFECYCLES / 200);
      }
      // And replays of what was signed for earlier jobs at the same address were tried, and refused.
      for (const o of ['replayed receipt refused', 'replayed verdict refused']) expect(outcomes[o] ?? 0, o).toBeGreaterThan(LIFECYCLES / 200);
      expect(failures).toBeGreaterThan(LIFECYCLES / 20);
    }, 3_600_000);
  });
}
