import type { Program } from '@coral-xyz/anchor';
import { address } from '@solana/kit';
import {
  TOKEN_PROGRAM_ID,
  createInitializeAccount3Instruction,
  createInitializeMint2Instruction,
  createMintToInstruction,
  getAccount,
  getMint,
} from '@solana/spl-token';
import { Keypair, PublicKey, SystemProgram, Transaction } from '@solana/web3.js';
import { Clock } from 'litesvm';
import { type ConfigParams, type Economy, EconomyClient, type ProgramName, defaultParams, economyProgram } from '../src/index.ts';
import { LiteSvmProvider, localChain, walletOf } from '../src/litesvm/index.ts';

/** Decimals of both tokens in these tests, as the live tokens use. */
export const DECIMALS = 9;
/** One whole token in base units. */
export const WHOLE = 10n ** BigInt(DECIMALS);

/**
 * A chain with the economy program deployed through the upgradeable loader, its admin (the
 * provider's wallet), and helpers to make users, token accounts and move the clock.
 */
export class EconomyFixture {
  readonly provider: LiteSvmProvider;
  readonly program: Program<Economy>;
  readonly client: EconomyClient;
  readonly treasury = Keypair.generate().publicKey;

  constructor(programs: ProgramName[] = ['economy']) {
    this.provider = localChain(programs);
    this.program = economyProgram(this.provider);
    this.client = new EconomyClient(this.program);
    this.setTime(1_700_000_000n);
  }

  get admin(): PublicKey {
    return this.provider.publicKey;
  }

  /** `config_init` with the tokenomics defaults (overridable). */
  initConfig(params: Partial<ConfigParams> = {}) {
    return this.client.configInit({ admin: this.admin, treasury: this.treasury, params: { ...defaultParams(DECIMALS), ...params } });
  }

  /** Program-mint mode: `mints_create`, then the $UBC genesis supply to a fresh admin account. */
  async programMints(tokenProgram = TOKEN_PROGRAM_ID, supply = 1_000_000_000n * WHOLE) {
    await this.client.mintsCreate({ admin: this.admin, tokenProgram, ubcDecimals: DECIMALS, computeDecimals: DECIMALS });
    const { ubcMint, computeMint } = this.client.addresses;
    const genesis = this.tokenAccount(this.admin, ubcMint, tokenProgram);
    await this.client.ubcGenesis({ admin: this.admin, destination: genesis, supply });
    return { ubcMint, computeMint, tokenProgram, genesis };
  }

  /** Existing-mint mode: mints made outside the program (authority: a key the program never sees), then adopted. */
  async existingMints(tokenProgram = TOKEN_PROGRAM_ID) {
    const mintAuthority = Keypair.generate();
    const ubcMint = this.createMint(mintAuthority.publicKey, tokenProgram);
    const computeMint = this.createMint(mintAuthority.publicKey, tokenProgram);
    await this.client.mintsAdopt({ admin: this.admin, ubcMint, computeMint, ubcTokenProgram: tokenProgram, computeTokenProgram: tokenProgram });
    return { ubcMint, computeMint, tokenProgram, mintAuthority };
  }

  /** A funded keypair with its own Anchor client; from `seed` (1-255) when given, for repeatable PDAs. */
  user(lamports = 10_000_000_000n, seed?: number) {
    const keypair = seed === undefined ? Keypair.generate() : Keypair.fromSeed(new Uint8Array(32).fill(seed));
    this.provider.svm.airdrop(address(keypair.publicKey.toBase58()), lamports as never);
    const provider = new LiteSvmProvider(this.provider.svm, walletOf(keypair));
    const program = economyProgram(provider);
    return { keypair, publicKey: keypair.publicKey, provider, program, client: new EconomyClient(program) };
  }

  /** A mint with no freeze authority. */
  createMint(authority: PublicKey, tokenProgram = TOKEN_PROGRAM_ID): PublicKey {
    const mint = Keypair.generate();
    this.provider.execute(
      new Transaction().add(
        SystemProgram.createAccount({ fromPubkey: this.admin, newAccountPubkey: mint.publicKey, space: 82, lamports: this.rent(82), programId: tokenProgram }),
        createInitializeMint2Instruction(mint.publicKey, DECIMALS, authority, null, tokenProgram),
      ),
      [mint],
    );
    return mint.publicKey;
  }

  /** A token account of `mint` owned by `owner`. */
  tokenAccount(owner: PublicKey, mint: PublicKey, tokenProgram = TOKEN_PROGRAM_ID): PublicKey {
    const account = Keypair.generate();
    this.provider.execute(
      new Transaction().add(
        SystemProgram.createAccount({ fromPubkey: this.admin, newAccountPubkey: account.publicKey, space: 165, lamports: this.rent(165), programId: tokenProgram }),
        createInitializeAccount3Instruction(account.publicKey, mint, owner, tokenProgram),
      ),
      [account],
    );
    return account.publicKey;
  }

  /** Mints with an outside authority (existing-mint mode). */
  mintTo(mint: PublicKey, to: PublicKey, amount: bigint, authority: Keypair, tokenProgram = TOKEN_PROGRAM_ID): void {
    this.provider.execute(new Transaction().add(createMintToInstruction(mint, to, authority.publicKey, amount, [], tokenProgram)), [authority]);
  }

  async balance(account: PublicKey, tokenProgram = TOKEN_PROGRAM_ID): Promise<bigint> {
    return (await getAccount(this.provider.connection, account, 'confirmed', tokenProgram)).amount;
  }

  async supply(mint: PublicKey, tokenProgram = TOKEN_PROGRAM_ID): Promise<bigint> {
    return (await getMint(this.provider.connection, mint, 'confirmed', tokenProgram)).supply;
  }

  now(): bigint {
    return this.provider.svm.getClock().unixTimestamp;
  }

  /** Sets the Clock sysvar's unix time (and moves to a fresh slot). */
  setTime(unixTimestamp: bigint): void {
    const c = this.provider.svm.getClock();
    this.provider.svm.setClock(new Clock(c.slot + 1n, c.epochStartTimestamp, c.epoch, c.leaderScheduleEpoch, unixTimestamp));
  }

  warp(seconds: bigint | number): void {
    this.setTime(this.now() + BigInt(seconds));
  }

  private rent(bytes: number): number {
    return Number(this.provider.svm.minimumBalanceForRentExemption(BigInt(bytes)));
  }
}
