import { sha256 as sha256Hash } from '@noble/hashes/sha256';
import anchor, { type IdlAccounts, type IdlTypes, type Program } from '@coral-xyz/anchor';
import {
  TOKEN_2022_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  getAssociatedTokenAddressSync,
} from '@solana/spl-token';
import { ComputeBudgetProgram, Keypair, PublicKey, type TransactionInstruction } from '@solana/web3.js';
import type { EconomyClient, EconomyConfig } from './economy.ts';
import type { Marketplace } from './idl/marketplace.ts';
import { type JobRequest, canonicalJobRequest, requestCid } from './job-request/index.ts';
import { collateralAddress, marketplacePda } from './pda.ts';
import { ClusterMismatchError, type JobInstance, type Receipt, ed25519Verification, receiptMessage, verdictMessage } from './receipts.ts';

// Anchor is CommonJS: BN is on its default export under Node's ESM loader.
const { BN } = anchor;

/** The market configuration as the Anchor client decodes it. */
export type MarketAccount = IdlAccounts<Marketplace>['market'];
/** A published layer. */
export type LayerAccount = IdlAccounts<Marketplace>['layer'];
/** One version of a layer. */
export type LayerVersionAccount = IdlAccounts<Marketplace>['layerVersion'];
/** A registered provider and its reputation. */
export type ProviderAccount = IdlAccounts<Marketplace>['provider'];
/** A registered verifier. */
export type VerifierAccount = IdlAccounts<Marketplace>['verifier'];
/** A job. */
export type JobAccount = IdlAccounts<Marketplace>['job'];
/** A challenge of a job's receipt. */
export type ChallengeAccount = IdlAccounts<Marketplace>['challenge'];
/** The admin's bounded parameters. */
export type MarketParams = IdlTypes<Marketplace>['marketParams'];
/** What a provider offers. */
export type ProviderSpec = IdlTypes<Marketplace>['providerSpec'];
/** A job's status, in the Anchor client's enum form (`{ open: {} }`, …). */
export type JobStatus = JobAccount['status'];

/** The name of a job status: `open`, `claimed`, `submitted`, `challenged` or `settled`. */
export function jobStatusName(status: JobStatus): string {
  return Object.keys(status)[0]!;
}

/**
 * Defaults: a 10-minute receipt deadline, a 5-minute challenge window, a 10-minute vote with a
 * quorum of 2, the challenger taking half of a slash, a 1% provider reward and a bond of at
 * least one base unit.
 */
export function defaultMarketParams(overrides: Partial<MarketParams> = {}): MarketParams {
  return {
    jobTimeout: new BN(600),
    challengeWindow: new BN(300),
    voteWindow: new BN(600),
    quorum: 2,
    slashAmount: new BN(0),
    challengerBps: 5_000,
    rewardBps: 100,
    minBond: new BN(1),
    ...overrides,
  };
}

/** What a creator publishes. */
export interface LayerPublication {
  name: string;
  /** `ipfs://<CID>` of the weights. */
  uri: string;
  /** SHA-256 of the weights (32 bytes). */
  sha256: Uint8Array;
  /** Size of the weights in bytes. */
  size: bigint | number;
  baseModel: string;
  license: string;
  /** Floor price in $COMPUTE base units per 1,000 tokens. */
  pricePerThousand: bigint | number;
  /** Royalty in basis points of each job's price. */
  royaltyBps: number;
  /** The parent layer, when this one derives from another. */
  parent?: PublicKey;
  /** The parent's share of the royalty in basis points. */
  parentShareBps?: number;
}

const bn = (n: bigint | number) => new BN(n.toString());
const bytes32 = (b: Uint8Array, name: string): number[] => {
  if (b.length !== 32) throw new RangeError(`${name} must be 32 bytes, got ${b.length}`);
  return [...b];
};

/** One layer of a job's genome, as `job_create` takes it. */
export interface GenomeLayer {
  layer: PublicKey;
  /** 1 to the layer's current version. */
  version: number;
  /** 1 to 20,000 basis points (10,000 = 1.0). */
  scaleBps: number;
}

/** SHA-256 of a prompt or output, as jobs and receipts carry it. */
export function sha256(data: Uint8Array | string): Uint8Array {
  return sha256Hash(typeof data === 'string' ? new TextEncoder().encode(data) : data);
}

/** Compute units `layer_publish` may take (the Token-2022 metadata writes are the bulk). */
const PUBLISH_COMPUTE_UNITS = 400_000;

/**
 * Typed calls and flows of the marketplace program. Anchor resolves the PDAs it can from the
 * IDL; these fill in the rest (the economy's accounts, token accounts, layer holders) from the
 * chain. Each call is sent by the program's provider wallet, which pays and signs.
 */
export class MarketplaceClient {
  constructor(
    readonly program: Program<Marketplace>,
    readonly economy: EconomyClient,
  ) {}

  private get pda() {
    const id = this.program.programId;
    return {
      market: marketplacePda.market(id),
      layer: (mint: PublicKey) => marketplacePda.layer(mint, id),
      layerVersion: (layer: PublicKey, version: number) => marketplacePda.layerVersion(layer, version, id),
      provider: (authority: PublicKey) => marketplacePda.provider(authority, id),
      verifier: (authority: PublicKey) => marketplacePda.verifier(authority, id),
      job: (client: PublicKey, jobId: bigint | number) => marketplacePda.job(client, jobId, id),
      jobVault: (job: PublicKey) => marketplacePda.jobVault(job, id),
      challenge: (job: PublicKey, jobSerial: bigint | number) => marketplacePda.challenge(job, jobSerial, id),
    };
  }

  /** The challenge PDA of instance `jobSerial` of `job`. */
  challengeAddress(job: PublicKey, jobSerial: bigint | number): PublicKey {
    return this.pda.challenge(job, jobSerial);
  }

  /** The job PDA of `client`'s job `jobId`. */
  jobAddress(client: PublicKey, jobId: bigint | number): PublicKey {
    return this.pda.job(client, jobId);
  }

  /** The provider PDA of a provider wallet. */
  providerAddress(authority: PublicKey): PublicKey {
    return this.pda.provider(authority);
  }

  /** The layer PDA of a layer mint. */
  layerAddress(mint: PublicKey): PublicKey {
    return this.pda.layer(mint);
  }

  fetchMarket(): Promise<MarketAccount | null> {
    return this.program.account.market.fetchNullable(this.pda.market);
  }
  fetchLayer(layer: PublicKey): Promise<LayerAccount | null> {
    return this.program.account.layer.fetchNullable(layer);
  }
  fetchLayerVersion(layer: PublicKey, version: number): Promise<LayerVersionAccount | null> {
    return this.program.account.layerVersion.fetchNullable(this.pda.layerVersion(layer, version));
  }
  fetchProvider(authority: PublicKey): Promise<ProviderAccount | null> {
    return this.program.account.provider.fetchNullable(this.pda.provider(authority));
  }
  fetchVerifier(authority: PublicKey): Promise<VerifierAccount | null> {
    return this.program.account.verifier.fetchNullable(this.pda.verifier(authority));
  }
  fetchJob(job: PublicKey): Promise<JobAccount | null> {
    return this.program.account.job.fetchNullable(job);
  }
  /** The challenge of the job's current instance (or of instance `jobSerial`, also once the job is closed). */
  async fetchChallenge(job: PublicKey, jobSerial?: bigint | number): Promise<ChallengeAccount | null> {
    const serial = jobSerial ?? (await this.fetchJob(job))?.serial;
    if (serial === undefined) return null;
    return this.program.account.challenge.fetchNullable(this.pda.challenge(job, BigInt(serial.toString())));
  }

  private async economyConfig(): Promise<EconomyConfig> {
    const config = await this.economy.fetchConfig();
    if (!config) throw new Error('the economy config does not exist yet');
    return config;
  }

  private async must<T>(value: Promise<T | null>, what: string): Promise<T> {
    const v = await value;
    if (!v) throw new Error(`${what} does not exist`);
    return v;
  }

  /** A wallet's associated $COMPUTE account (any owner, PDAs included). */
  computeAccount(config: EconomyConfig, owner: PublicKey): PublicKey {
    return getAssociatedTokenAddressSync(config.computeMint, owner, true, config.computeTokenProgram);
  }

  /** A wallet's associated $UBC account. */
  ubcAccount(config: EconomyConfig, owner: PublicKey): PublicKey {
    return getAssociatedTokenAddressSync(config.ubcMint, owner, true, config.ubcTokenProgram);
  }

  /** The associated account of a layer token for its holder `owner`. */
  layerHolding(mint: PublicKey, owner: PublicKey): PublicKey {
    return getAssociatedTokenAddressSync(mint, owner, true, TOKEN_2022_PROGRAM_ID);
  }

  /** Creates `owner`'s associated account of `mint` if missing (paid by the provider wallet). */
  private ensureAccount(owner: PublicKey, mint: PublicKey, tokenProgram: PublicKey): TransactionInstruction {
    const payer = this.program.provider.publicKey!;
    return createAssociatedTokenAccountIdempotentInstruction(payer, getAssociatedTokenAddressSync(mint, owner, true, tokenProgram), owner, mint, tokenProgram);
  }

  /**
   * The token account that holds a layer's token and its owner: from `getTokenLargestAccounts`
   * over RPC, or the associated account of `holder` when given.
   */
  async findLayerHolder(mint: PublicKey, holder?: PublicKey): Promise<{ holding: PublicKey; holder: PublicKey }> {
    const connection = this.program.provider.connection;
    if (holder) return { holding: this.layerHolding(mint, holder), holder };
    const largest = await connection.getTokenLargestAccounts(mint);
    const held = largest.value.find((a) => a.amount === '1');
    if (!held) throw new Error(`no account holds the layer token ${mint.toBase58()}`);
    const info = await connection.getAccountInfo(held.address);
    if (!info) throw new Error(`layer holding ${held.address.toBase58()} vanished`);
    return { holding: held.address, holder: new PublicKey(info.data.subarray(32, 64)) };
  }

  // ---- Admin

  /**
   * Creates the market configuration (`admin` signs and becomes the admin) for the cluster
   * `cluster` (default: the connection's genesis hash), which every signed receipt and verdict
   * then names.
   */
  async marketInit(a: { admin: PublicKey; params?: MarketParams; cluster?: PublicKey }) {
    // A genesis hash is 32 bytes in base58, as a public key is.
    const cluster = a.cluster ?? new PublicKey(await this.program.provider.connection.getGenesisHash());
    const config = await this.economyConfig();
    return this.program.methods
      .marketInit(a.params ?? defaultMarketParams(), cluster)
      .accountsPartial({ admin: a.admin, economyConfig: this.economy.addresses.config, computeMint: config.computeMint, tokenProgram: config.computeTokenProgram })
      .rpc();
  }

  /** Replaces the market parameters (admin). */
  marketUpdate(a: { admin: PublicKey; params: MarketParams }) {
    return this.program.methods.marketUpdate(a.params).accounts({ admin: a.admin }).rpc();
  }

  // ---- Creator

  /**
   * Publishes a layer as a Token-2022 asset (supply 1) held by `creator`, who signs and pays.
   * Returns the layer, its mint and the creator's holding.
   */
  async publishLayer(a: { creator: PublicKey; layer: LayerPublication; mint?: Keypair }) {
    const mint = a.mint ?? Keypair.generate();
    const l = a.layer;
    const spec = {
      name: l.name,
      uri: l.uri,
      sha256: bytes32(l.sha256, 'sha256'),
      size: bn(l.size),
      baseModel: l.baseModel,
      license: l.license,
      pricePerThousand: bn(l.pricePerThousand),
      royaltyBps: l.royaltyBps,
      parentShareBps: l.parentShareBps ?? 0,
    };
    const holding = this.layerHolding(mint.publicKey, a.creator);
    const signature = await this.program.methods
      .layerPublish(spec)
      .accountsPartial({
        economyConfig: this.economy.addresses.config,
        creator: a.creator,
        mint: mint.publicKey,
        creatorHolding: holding,
        parentLayer: l.parent ?? null,
      })
      .preInstructions([ComputeBudgetProgram.setComputeUnitLimit({ units: PUBLISH_COMPUTE_UNITS })])
      .signers([mint])
      .rpc();
    return { signature, layer: this.pda.layer(mint.publicKey), mint: mint.publicKey, holding };
  }

  /** Publishes version `version` (the current + 1) of a layer (the holder signs and pays). */
  async layerVersionPublish(a: { holder: PublicKey; layer: PublicKey; version: number; uri: string; sha256: Uint8Array; size: bigint | number; holding?: PublicKey }) {
    const layer = await this.must(this.fetchLayer(a.layer), `layer ${a.layer.toBase58()}`);
    return this.program.methods
      .layerVersionPublish(a.version, a.uri, bytes32(a.sha256, 'sha256'), bn(a.size))
      .accountsPartial({ holder: a.holder, holding: a.holding ?? this.layerHolding(layer.mint, a.holder), layer: a.layer, mint: layer.mint })
      .preInstructions([ComputeBudgetProgram.setComputeUnitLimit({ units: PUBLISH_COMPUTE_UNITS })])
      .rpc();
  }

  /** Sets a layer's floor price (the holder signs). */
  async layerUpdate(a: { holder: PublicKey; layer: PublicKey; pricePerThousand: bigint | number; holding?: PublicKey }) {
    const layer = await this.must(this.fetchLayer(a.layer), `layer ${a.layer.toBase58()}`);
    return this.program.methods
      .layerUpdate(bn(a.pricePerThousand))
      .accountsPartial({ holder: a.holder, holding: a.holding ?? this.layerHolding(layer.mint, a.holder), layer: a.layer, mint: layer.mint })
      .rpc();
  }

  /** Retires a layer (the holder signs). */
  async layerRetire(a: { holder: PublicKey; layer: PublicKey; holding?: PublicKey }) {
    const layer = await this.must(this.fetchLayer(a.layer), `layer ${a.layer.toBase58()}`);
    return this.program.methods
      .layerRetire()
      .accountsPartial({ holder: a.holder, holding: a.holding ?? this.layerHolding(layer.mint, a.holder), layer: a.layer, mint: layer.mint })
      .rpc();
  }

  // ---- Provider and verifier

  /** Registers `authority` as a provider (its economy collateral must meet the minimum). */
  providerRegister(a: { authority: PublicKey; spec: ProviderSpec }) {
    return this.program.methods
      .providerRegister(a.spec)
      .accountsPartial({ authority: a.authority, economyConfig: this.economy.addresses.config, collateral: collateralAddress(a.authority, this.economy.program.programId) })
      .rpc();
  }

  /** Changes a provider's offer. */
  providerUpdate(a: { authority: PublicKey; spec: ProviderSpec }) {
    return this.program.methods.providerUpdate(a.spec).accounts({ authority: a.authority }).rpc();
  }

  /** Records a heartbeat, signed by the provider's wallet or node key. */
  providerHeartbeat(a: { signer: PublicKey; authority: PublicKey }) {
    return this.program.methods.providerHeartbeat().accountsPartial({ signer: a.signer, provider: this.pda.provider(a.authority) }).rpc();
  }

  /** Closes a provider with no open job. */
  providerDeregister(a: { authority: PublicKey }) {
    return this.program.methods.providerDeregister().accounts({ authority: a.authority }).rpc();
  }

  /** Registers `authority` as a verifier (its economy collateral must meet the minimum). */
  verifierRegister(a: { authority: PublicKey }) {
    return this.program.methods
      .verifierRegister()
      .accountsPartial({ authority: a.authority, economyConfig: this.economy.addresses.config, collateral: collateralAddress(a.authority, this.economy.program.programId) })
      .rpc();
  }

  // ---- Jobs

  /**
   * Creates job `jobId` for a request document (`spicetime.job/v1`): its genome (1–4 layers with
   * versions and scales), its canonical bytes' SHA-256 and IPFS CID (raw, CIDv1) on chain, at most
   * `request.sampling.maxTokens` tokens at `maxPricePerThousand`; escrows
   * `ceil(maxTokens × maxPricePerThousand / 1000)` $COMPUTE from `clientToken` (default: the
   * client's associated account). Returns the job address and the request's bytes, hash and CID —
   * the bytes are what to put on IPFS.
   */
  async createJob(a: {
    client: PublicKey;
    jobId: bigint | number;
    request: JobRequest;
    maxPricePerThousand: bigint | number;
    provider?: PublicKey;
    clientToken?: PublicKey;
  }) {
    const bytes = canonicalJobRequest(a.request);
    const request = { bytes, hash: sha256(bytes), cid: requestCid(bytes) };
    const layers = a.request.layers.map((l) => ({ layer: new PublicKey(l.layer), version: l.version, scaleBps: l.scale }));
    // The chain sees the layers, not the document: check that the document's base model is theirs.
    const accounts = await this.program.account.layer.fetchMultiple(layers.map((l) => l.layer));
    for (const [i, account] of accounts.entries()) {
      const name = `layers[${i}] (${layers[i]!.layer.toBase58()})`;
      if (!account) throw new Error(`${name} is not a published layer`);
      if (account.baseModel !== a.request.baseModel) throw new Error(`${name} applies to ${account.baseModel}, the request to ${a.request.baseModel}`);
    }
    const created = await this.createJobWith({ ...a, layers, requestCid: request.cid, requestHash: request.hash, maxTokens: a.request.sampling.maxTokens });
    return { ...created, request };
  }

  /**
   * `job_create` with its terms given one by one (what {@link createJob} derives from a request
   * document). Returns the job address.
   */
  async createJobWith(a: {
    client: PublicKey;
    jobId: bigint | number;
    layers: GenomeLayer[];
    requestCid: string;
    requestHash: Uint8Array;
    maxTokens: bigint | number;
    maxPricePerThousand: bigint | number;
    provider?: PublicKey;
    clientToken?: PublicKey;
  }) {
    const config = await this.economyConfig();
    const job = this.pda.job(a.client, a.jobId);
    const choices = [0, 1, 2, 3].map((i) => ({ version: a.layers[i]?.version ?? 0, scaleBps: a.layers[i]?.scaleBps ?? 0 }));
    const signature = await this.program.methods
      .jobCreate(bn(a.jobId), a.provider ?? PublicKey.default, bytes32(a.requestHash, 'requestHash'), bn(a.maxTokens), bn(a.maxPricePerThousand), choices, a.requestCid)
      .accountsPartial({
        client: a.client,
        ...this.genomeAccounts(a.layers.map((l) => l.layer)),
        economyConfig: this.economy.addresses.config,
        computeMint: config.computeMint,
        clientToken: a.clientToken ?? this.computeAccount(config, a.client),
        tokenProgram: config.computeTokenProgram,
      })
      .rpc();
    return { signature, job };
  }

  /** A genome's layer accounts as instructions take them: the first, then up to three more (`null` when absent). */
  genomeAccounts(layers: PublicKey[]): { layer: PublicKey; layer2: PublicKey | null; layer3: PublicKey | null; layer4: PublicKey | null } {
    return { layer: layers[0]!, layer2: layers[1] ?? null, layer3: layers[2] ?? null, layer4: layers[3] ?? null };
  }

  /** The layer addresses of a job's genome, in order. */
  jobLayers(job: JobAccount): PublicKey[] {
    return job.layers.slice(0, job.layerCount).map((l) => l.layer);
  }

  /** A registered provider (`authority` signs) claims an open job. */
  async jobClaim(a: { authority: PublicKey; job: PublicKey }) {
    const job = await this.must(this.fetchJob(a.job), `job ${a.job.toBase58()}`);
    return this.program.methods
      .jobClaim()
      .accountsPartial({
        authority: a.authority,
        job: a.job,
        layer: job.layers[0]!.layer,
        economyConfig: this.economy.addresses.config,
        collateral: collateralAddress(a.authority, this.economy.program.programId),
      })
      .rpc();
  }

  /**
   * The market's cluster (its genesis hash), read once: it never changes. Checked against the
   * connection's own genesis hash, since the chain cannot check it: a market set up naming another
   * cluster would have its signers make signatures that count there ({@link ClusterMismatchError}).
   */
  async cluster(): Promise<PublicKey> {
    if (!this.clusterKey) {
      const { cluster } = await this.must(this.fetchMarket(), 'the market');
      const genesis = new PublicKey(await this.program.provider.connection.getGenesisHash());
      if (!cluster.equals(genesis)) throw new ClusterMismatchError(cluster, genesis);
      this.clusterKey = cluster;
    }
    return this.clusterKey;
  }
  private clusterKey?: PublicKey;

  /** The job's current instance as signed messages name it (cluster, address, serial), read over RPC. */
  async jobInstance(job: PublicKey): Promise<JobInstance> {
    const j = await this.must(this.fetchJob(job), `job ${job.toBase58()}`);
    return { cluster: await this.cluster(), job, serial: BigInt(j.serial.toString()) };
  }

  /** `job_receipt` with the Ed25519 verification of `nodeKey`'s signature over the receipt for `instance` before it. */
  private receiptCall(a: { instance: JobInstance; receipt: Receipt; nodeKey: Keypair; provider: PublicKey }) {
    const r = a.receipt;
    return this.program.methods
      .jobReceipt(bytes32(r.outputHash, 'outputHash'), bn(r.tokensUsed), r.outputCid)
      .accountsPartial({ job: a.instance.job, provider: this.pda.provider(a.provider) })
      .preInstructions([ed25519Verification(a.nodeKey, receiptMessage(a.instance, a.provider, r))]);
  }

  /**
   * The Ed25519 verification and `job_receipt` instructions for a receipt signed by `nodeKey`
   * (`provider`: the job's provider wallet) for `instance` (default: the job's current instance,
   * read over RPC).
   */
  async receiptInstructions(a: { job: PublicKey; receipt: Receipt; nodeKey: Keypair; provider: PublicKey; instance?: JobInstance }): Promise<TransactionInstruction[]> {
    const instance = a.instance ?? (await this.jobInstance(a.job));
    return (await this.receiptCall({ ...a, instance }).transaction()).instructions;
  }

  /** Submits a claimed job's receipt signed by the provider's node key (the provider wallet pays). */
  async submitReceipt(a: { job: PublicKey; receipt: Receipt; nodeKey: Keypair }) {
    const job = await this.must(this.fetchJob(a.job), `job ${a.job.toBase58()}`);
    const instance = { cluster: await this.cluster(), job: a.job, serial: BigInt(job.serial.toString()) };
    return this.receiptCall({ ...a, instance, provider: job.provider }).rpc();
  }

  /**
   * Settles a job after its challenge window (anyone may; the provider wallet pays): the layer's
   * royalty accrues on it, for its holder to claim ({@link claimRoyalty}). Missing associated
   * $COMPUTE accounts of the recipients are created first.
   */
  async jobSettle(a: { job: PublicKey }) {
    const config = await this.economyConfig();
    const job = await this.must(this.fetchJob(a.job), `job ${a.job.toBase58()}`);
    const recipients = [job.provider, config.treasury, job.client];
    return this.program.methods
      .jobSettle()
      .accountsPartial({
        job: a.job,
        client: job.client,
        clientToken: this.computeAccount(config, job.client),
        ...this.genomeAccounts(this.jobLayers(job)),
        provider: this.pda.provider(job.provider),
        providerAuthority: job.provider,
        providerToken: this.computeAccount(config, job.provider),
        treasuryToken: this.computeAccount(config, config.treasury),
        economyConfig: this.economy.addresses.config,
        computeMint: config.computeMint,
        collateral: collateralAddress(job.provider, this.economy.program.programId),
        economyAuthority: this.economy.addresses.authority,
        rewardsVault: this.economy.addresses.rewardsVault,
        tokenProgram: config.computeTokenProgram,
      })
      .preInstructions(recipients.map((owner) => this.ensureAccount(owner, config.computeMint, config.computeTokenProgram)))
      .rpc();
  }

  /** The royalty vault `["royalty_vault"]`: every layer's accrued royalty. */
  royaltyVaultAddress(): PublicKey {
    return marketplacePda.royaltyVault(this.program.programId);
  }

  /** A layer's royalty accrued and not claimed yet, in $COMPUTE base units. */
  async accruedRoyalty(layer: PublicKey): Promise<bigint> {
    const l = await this.must(this.fetchLayer(layer), `layer ${layer.toBase58()}`);
    return BigInt(l.accruedRoyalty.toString());
  }

  /**
   * Claims a layer's accrued royalty (anyone may; the provider wallet pays): the parent's share
   * passes up to the parent layer, the rest goes to the associated $COMPUTE account (created if
   * missing) of whoever holds the layer token now, found over RPC unless `holder` is given.
   */
  async claimRoyalty(a: { layer: PublicKey; holder?: PublicKey }) {
    const config = await this.economyConfig();
    const layer = await this.must(this.fetchLayer(a.layer), `layer ${a.layer.toBase58()}`);
    const { holding, holder } = await this.findLayerHolder(layer.mint, a.holder);
    const hasParent = !layer.parent.equals(PublicKey.default);
    return this.program.methods
      .layerRoyaltyClaim()
      .accountsPartial({
        layer: a.layer,
        parent: hasParent ? layer.parent : null,
        holding,
        holderToken: this.computeAccount(config, holder),
        economyConfig: this.economy.addresses.config,
        computeMint: config.computeMint,
        tokenProgram: config.computeTokenProgram,
      })
      .preInstructions([this.ensureAccount(holder, config.computeMint, config.computeTokenProgram)])
      .rpc();
  }

  /** The client cancels an unclaimed job: full refund to its associated $COMPUTE account. */
  async jobCancel(a: { client: PublicKey; job: PublicKey; clientToken?: PublicKey }) {
    const config = await this.economyConfig();
    return this.program.methods
      .jobCancel()
      .accountsPartial({
        client: a.client,
        job: a.job,
        clientToken: a.clientToken ?? this.computeAccount(config, a.client),
        economyConfig: this.economy.addresses.config,
        computeMint: config.computeMint,
        tokenProgram: config.computeTokenProgram,
      })
      .preInstructions(a.clientToken ? [] : [this.ensureAccount(a.client, config.computeMint, config.computeTokenProgram)])
      .rpc();
  }

  /** Expires a claimed job past its deadline (anyone may): full refund. */
  async jobExpire(a: { job: PublicKey }) {
    const config = await this.economyConfig();
    const job = await this.must(this.fetchJob(a.job), `job ${a.job.toBase58()}`);
    return this.program.methods
      .jobExpire()
      .accountsPartial({
        job: a.job,
        client: job.client,
        clientToken: this.computeAccount(config, job.client),
        provider: this.pda.provider(job.provider),
        providerAuthority: job.provider,
        collateral: collateralAddress(job.provider, this.economy.program.programId),
        economyConfig: this.economy.addresses.config,
        computeMint: config.computeMint,
        tokenProgram: config.computeTokenProgram,
      })
      .preInstructions([this.ensureAccount(job.client, config.computeMint, config.computeTokenProgram)])
      .rpc();
  }

  /** The client rates a settled job (1-5), which closes it. */
  async jobRate(a: { client: PublicKey; job: PublicKey; rating: number }) {
    const job = await this.must(this.fetchJob(a.job), `job ${a.job.toBase58()}`);
    return this.program.methods
      .jobRate(a.rating)
      .accountsPartial({ client: a.client, job: a.job, provider: this.pda.provider(job.provider), ...this.genomeAccounts(this.jobLayers(job)) })
      .rpc();
  }

  /** The client closes a settled job without rating it. */
  jobClose(a: { client: PublicKey; job: PublicKey }) {
    return this.program.methods.jobClose().accountsPartial({ client: a.client, job: a.job }).rpc();
  }

  // ---- Challenges

  /** Challenges a receipt within its window, bonding `bond` $COMPUTE from the challenger's associated account. */
  async challengeOpen(a: { challenger: PublicKey; job: PublicKey; bond: bigint | number; challengerToken?: PublicKey }) {
    const config = await this.economyConfig();
    const job = await this.must(this.fetchJob(a.job), `job ${a.job.toBase58()}`);
    return this.program.methods
      .challengeOpen(job.serial, bn(a.bond))
      .accountsPartial({
        challenger: a.challenger,
        job: a.job,
        challengerToken: a.challengerToken ?? this.computeAccount(config, a.challenger),
        provider: this.pda.provider(job.provider),
        ...this.genomeAccounts(this.jobLayers(job)),
        economyConfig: this.economy.addresses.config,
        computeMint: config.computeMint,
        tokenProgram: config.computeTokenProgram,
      })
      .rpc();
  }

  /**
   * The job's instance and its open challenge as a verdict names them: the job's serial and the
   * challenge's address and serial, read over RPC.
   */
  async challengeOf(job: PublicKey): Promise<{ instance: JobInstance; challenge: PublicKey; challengeSerial: bigint; challenger: PublicKey }> {
    const instance = await this.jobInstance(job);
    const challenge = this.pda.challenge(job, instance.serial);
    const c = await this.must(this.program.account.challenge.fetchNullable(challenge), `challenge of ${job.toBase58()}`);
    return { instance, challenge, challengeSerial: BigInt(c.serial.toString()), challenger: c.challenger };
  }

  /** `challenge_vote` with the Ed25519 verification of the verifier's signed verdict before it. */
  private async voteCall(a: { job: PublicKey; verifier: Keypair; upheld: boolean; resultHash: Uint8Array }) {
    const { instance, challenge, challengeSerial } = await this.challengeOf(a.job);
    const verdict = { instance, challengeSerial, upheld: a.upheld, resultHash: a.resultHash };
    return this.program.methods
      .challengeVote(a.upheld, bytes32(a.resultHash, 'resultHash'))
      .accountsPartial({
        job: a.job,
        challenge,
        verifier: this.pda.verifier(a.verifier.publicKey),
        verifierAuthority: a.verifier.publicKey,
        economyConfig: this.economy.addresses.config,
        collateral: collateralAddress(a.verifier.publicKey, this.economy.program.programId),
      })
      .preInstructions([ed25519Verification(a.verifier, verdictMessage(verdict))]);
  }

  /** The Ed25519 verification and `challenge_vote` instructions for `verifier`'s signed verdict. */
  async voteInstructions(a: { job: PublicKey; verifier: Keypair; upheld: boolean; resultHash: Uint8Array }): Promise<TransactionInstruction[]> {
    return (await (await this.voteCall(a)).transaction()).instructions;
  }

  /** Submits `verifier`'s signed verdict on a challenged job (the provider wallet pays); it locks the verifier's collateral until released. */
  async challengeVote(a: { job: PublicKey; verifier: Keypair; upheld: boolean; resultHash: Uint8Array }) {
    return (await this.voteCall(a)).rpc();
  }

  /** Resolves a challenge by its quorum or deadline (anyone may). */
  async challengeResolve(a: { job: PublicKey }) {
    const config = await this.economyConfig();
    const job = await this.must(this.fetchJob(a.job), `job ${a.job.toBase58()}`);
    const address = this.pda.challenge(a.job, BigInt(job.serial.toString()));
    const challenge = await this.must(this.program.account.challenge.fetchNullable(address), `challenge of ${a.job.toBase58()}`);
    const c = config;
    return this.program.methods
      .challengeResolve()
      .accountsPartial({
        job: a.job,
        challenge: address,
        jobVault: job.vault,
        client: job.client,
        clientToken: this.computeAccount(c, job.client),
        challenger: challenge.challenger,
        challengerToken: this.computeAccount(c, challenge.challenger),
        provider: this.pda.provider(job.provider),
        providerAuthority: job.provider,
        providerToken: this.computeAccount(c, job.provider),
        ...this.genomeAccounts(this.jobLayers(job)),
        economyConfig: this.economy.addresses.config,
        collateral: collateralAddress(job.provider, this.economy.program.programId),
        challengerUbc: this.ubcAccount(c, challenge.challenger),
        treasuryUbc: this.ubcAccount(c, c.treasury),
        stakeVault: c.stakeVault,
        ubcMint: c.ubcMint,
        ubcTokenProgram: c.ubcTokenProgram,
        economyAuthority: this.economy.addresses.authority,
        computeMint: c.computeMint,
        tokenProgram: c.computeTokenProgram,
      })
      .preInstructions([
        ...[job.client, challenge.challenger, job.provider].map((o) => this.ensureAccount(o, c.computeMint, c.computeTokenProgram)),
        ...[challenge.challenger, c.treasury].map((o) => this.ensureAccount(o, c.ubcMint, c.ubcTokenProgram)),
      ])
      .rpc();
  }

  /**
   * After `challenge` is resolved, releases `verifier`'s collateral lock and counts its vote won or
   * lost (anyone may; the last release closes the challenge).
   */
  async challengeVoteRelease(a: { challenge: PublicKey; verifier: PublicKey }) {
    const challenge = await this.must(this.program.account.challenge.fetchNullable(a.challenge), `challenge ${a.challenge.toBase58()}`);
    return this.program.methods
      .challengeVoteRelease()
      .accountsPartial({
        challenge: a.challenge,
        challenger: challenge.challenger,
        verifier: this.pda.verifier(a.verifier),
        verifierAuthority: a.verifier,
        collateral: collateralAddress(a.verifier, this.economy.program.programId),
      })
      .rpc();
  }

  // ---- Flows

  /**
   * Waits until a job's receipt is in (status `submitted`), polling every `pollMs`; fails after
   * `timeoutMs` or when the job is gone (cancelled, expired).
   */
  async waitForReceipt(job: PublicKey, opts: { timeoutMs?: number; pollMs?: number } = {}): Promise<JobAccount> {
    const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
    for (;;) {
      const j = await this.fetchJob(job);
      if (!j) throw new Error(`job ${job.toBase58()} is closed`);
      if (jobStatusName(j.status) === 'submitted') return j;
      if (Date.now() > deadline) throw new Error(`no receipt for job ${job.toBase58()} in time (status ${jobStatusName(j.status)})`);
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 500));
    }
  }
}
