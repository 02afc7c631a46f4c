import path from 'node:path';
import { AnchorError, BN, type Idl, Program } from '@coral-xyz/anchor';
import { address } from '@solana/kit';
import {
  ExtensionType,
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
  createInitializeAccount3Instruction,
  createInitializeMint2Instruction,
  createMintToInstruction,
  getAccount,
  getAccountLen,
  getMintLen,
} from '@solana/spl-token';
import { Keypair, PublicKey, SystemProgram, Transaction } from '@solana/web3.js';
import { LiteSVM } from 'litesvm';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { LiteSvmProvider, LiteSvmTransactionError } from '@spicetime/sdk/litesvm';
import { buildIdl } from '../../toolchain/src/build/idl.ts';
import { buildProgram } from '../../toolchain/src/build/program-build.ts';
import { locateToolchain } from '../../toolchain/src/build/toolchain-paths.ts';
import { REPO_ROOT } from '../../toolchain/src/build/workspace.ts';

// The framework's CPIs and PDA seeds, exercised by programs/abi/probe (a test-only program).
const PROBE_ID = new PublicKey('ProbeAbi11111111111111111111111111111111111');
const DECIMALS = 6;

describe('spicetime-abi CPIs and PDAs', () => {
  let so: Buffer;
  let idl: Idl;
  let provider: LiteSvmProvider;
  let probe: Program;

  beforeAll(async () => {
    const cargoDir = path.join(REPO_ROOT, 'programs');
    so = (await buildProgram({ cargoDir, crate: 'abi-probe' })).so;
    idl = (await buildIdl({ cargoDir, crate: 'abi-probe', address: PROBE_ID.toBase58(), toolchain: await locateToolchain() })) as unknown as Idl;
  });

  beforeEach(() => {
    const svm = new LiteSVM();
    svm.addProgram(address(PROBE_ID.toBase58()), so);
    provider = LiteSvmProvider.withFundedWallet(svm);
    probe = new Program(idl, provider);
  });

  const [vaultAuthority] = PublicKey.findProgramAddressSync([Buffer.from('vault')], PROBE_ID);

  /** A mint and two token accounts of `tokenProgram`: the vault (owned by the PDA, funded) and a destination. */
  function tokenSetup(tokenProgram: PublicKey) {
    const payer = provider.publicKey;
    const mint = Keypair.generate();
    const vault = Keypair.generate();
    const destination = Keypair.generate();
    const is2022 = tokenProgram.equals(TOKEN_2022_PROGRAM_ID);
    const mintLen = is2022 ? getMintLen([]) : 82;
    const accountLen = is2022 ? getAccountLen([ExtensionType.ImmutableOwner]) : 165;
    const rent = (n: number) => Number(provider.svm.minimumBalanceForRentExemption(BigInt(n)));
    const create = (kp: Keypair, space: number) =>
      SystemProgram.createAccount({ fromPubkey: payer, newAccountPubkey: kp.publicKey, space, lamports: rent(space), programId: tokenProgram });
    provider.execute(
      new Transaction().add(
        create(mint, mintLen),
        createInitializeMint2Instruction(mint.publicKey, DECIMALS, payer, null, tokenProgram),
        create(vault, accountLen),
        createInitializeAccount3Instruction(vault.publicKey, mint.publicKey, vaultAuthority, tokenProgram),
        create(destination, accountLen),
        createInitializeAccount3Instruction(destination.publicKey, mint.publicKey, payer, tokenProgram),
        createMintToInstruction(mint.publicKey, vault.publicKey, payer, 1_000_000n, [], tokenProgram),
      ),
      [mint, vault, destination],
    );
    return { mint: mint.publicKey, vault: vault.publicKey, destination: destination.publicKey };
  }

  const balance = async (account: PublicKey, tokenProgram: PublicKey) =>
    (await getAccount(provider.connection, account, 'confirmed', tokenProgram)).amount;

  for (const [label, tokenProgram] of [
    ['SPL Token', TOKEN_PROGRAM_ID],
    ['Token-2022', TOKEN_2022_PROGRAM_ID],
  ] as const) {
    it(`moves tokens out of a PDA-owned vault through ${label}, signed by the PDA`, async () => {
      const { mint, vault, destination } = tokenSetup(tokenProgram);
      await probe.methods
        .vaultTransfer(new BN(250_000), DECIMALS)
        .accounts({ vault, mint, destination, tokenProgram })
        .rpc();
      expect(await balance(vault, tokenProgram)).toBe(750_000n);
      expect(await balance(destination, tokenProgram)).toBe(250_000n);
    });
  }

  it('refuses to call any other program as the token program', async () => {
    const { mint, vault, destination } = tokenSetup(TOKEN_PROGRAM_ID);
    const error = await probe.methods
      .vaultTransfer(new BN(1), DECIMALS)
      .accounts({ vault, mint, destination, tokenProgram: SystemProgram.programId })
      .rpc()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnchorError);
    expect((error as AnchorError).error.errorCode).toEqual({ code: 'InvalidProgramId', number: 3008 });
    expect(await balance(vault, TOKEN_PROGRAM_ID)).toBe(1_000_000n);
  });

  it('rejects a vault authority that is not the PDA', async () => {
    const { mint, vault, destination } = tokenSetup(TOKEN_PROGRAM_ID);
    const ix = await probe.methods
      .vaultTransfer(new BN(1), DECIMALS)
      .accounts({ vault, mint, destination, tokenProgram: TOKEN_PROGRAM_ID })
      .instruction();
    ix.keys[0]!.pubkey = Keypair.generate().publicKey;
    const error = (() => {
      try {
        provider.execute(new Transaction().add(ix));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(LiteSvmTransactionError);
    expect(AnchorError.parse((error as LiteSvmTransactionError).logs)?.error.errorCode.code).toBe('ConstraintSeeds');
  });

  it('creates a PDA seeded by another account, resolved by Anchor from the IDL', async () => {
    await probe.methods.itemCreate(40).accounts({ owner: provider.publicKey }).rpc();
    const [item] = PublicKey.findProgramAddressSync([Buffer.from('item'), provider.publicKey.toBuffer()], PROBE_ID);
    const account = provider.svm.getAccount(address(item.toBase58()));
    expect(account.exists && account.data.length).toBe(40);
    expect(account.exists && account.programAddress).toBe(PROBE_ID.toBase58());
    // And the same PDA cannot be created twice
    await expect(probe.methods.itemCreate(40).accounts({ owner: provider.publicKey }).rpc()).rejects.toThrow();
  });

  // Anchor 0.32.1's own benchmark (bench/COMPUTE_UNITS.md) for the same account work; the goal is
  // at most half of it. Compute units are deterministic, so this is a check, not a timing.
  const ANCHOR = { signer_check: 874, token_account_read: 1_268, empty_init: 4_915 } as const;
  const probeUnits = (): number => {
    const line = provider.last!.logs.find((l) => l.startsWith(`Program ${PROBE_ID.toBase58()} consumed `))!;
    return Number(/consumed (\d+) of/.exec(line)![1]);
  };

  it("costs at most half of Anchor's compute units for the same account work", async () => {
    const units: Record<keyof typeof ANCHOR, number> = { signer_check: 0, token_account_read: 0, empty_init: 0 };
    await probe.methods.signerCheck().accounts({ signer: provider.publicKey }).rpc();
    units.signer_check = probeUnits();
    const { vault } = tokenSetup(TOKEN_PROGRAM_ID);
    await probe.methods.tokenAccountRead().accounts({ tokenAccount: vault, tokenProgram: TOKEN_PROGRAM_ID }).rpc();
    units.token_account_read = probeUnits();
    const account = Keypair.generate();
    await probe.methods.emptyInit().accounts({ payer: provider.publicKey, account: account.publicKey }).signers([account]).rpc();
    units.empty_init = probeUnits();
    const created = provider.svm.getAccount(address(account.publicKey.toBase58()));
    expect(created.exists && created.programAddress).toBe(PROBE_ID.toBase58());

    console.table(Object.fromEntries(Object.entries(units).map(([k, cu]) => [k, { cu, anchor: ANCHOR[k as keyof typeof ANCHOR], ratio: +(cu / ANCHOR[k as keyof typeof ANCHOR]).toFixed(3) }])));
    for (const [k, cu] of Object.entries(units)) expect(cu, k).toBeLessThanOrEqual(ANCHOR[k as keyof typeof ANCHOR] / 2);
  });
});
