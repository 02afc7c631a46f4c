/**
 * Instructions in `jsonParsed` as an agave validator renders them (solana-transaction-status): real
 * transactions from stock web3.js and spl-token read back with getParsedTransaction, inner
 * instructions included, then the parsers alone on hand-built and malformed data.
 */
import {
  approve,
  approveChecked,
  AuthorityType,
  burn,
  burnChecked,
  closeAccount,
  createAmountToUiAmountInstruction,
  createAssociatedTokenAccountIdempotentInstruction,
  createAssociatedTokenAccountInstruction,
  createInitializeAccount2Instruction,
  createInitializeAccountInstruction,
  createInitializeImmutableOwnerInstruction,
  createInitializeMintInstruction,
  createInitializeMultisigInstruction,
  createMint,
  createMultisig,
  createRecoverNestedInstruction,
  createSetAuthorityInstruction,
  createSyncNativeInstruction,
  createUiAmountToAmountInstruction,
  freezeAccount,
  getAssociatedTokenAddressSync,
  mintTo,
  mintToChecked,
  revoke,
  setAuthority,
  thawAccount,
  TOKEN_2022_PROGRAM_ID,
  TOKEN_PROGRAM_ID,
  transfer,
  transferChecked,
} from '@solana/spl-token';
import {
  Keypair,
  LAMPORTS_PER_SOL,
  NONCE_ACCOUNT_LENGTH,
  PublicKey,
  sendAndConfirmTransaction,
  SystemProgram,
  SYSVAR_RECENT_BLOCKHASHES_PUBKEY,
  SYSVAR_RENT_PUBKEY,
  Transaction,
  TransactionInstruction,
  type Signer,
} from '@solana/web3.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase58 } from '../src/base58.ts';
import { parseInstruction } from '../src/instructions/index.ts';
import { uiTokenAmount } from '../src/token.ts';
import { plain, type PlainIx, startChain, type TestChain } from './helpers.ts';

const SYSTEM = SystemProgram.programId.toBase58();
const TOKEN = TOKEN_PROGRAM_ID.toBase58();
const TOKEN_2022 = TOKEN_2022_PROGRAM_ID.toBase58();
const ATA = 'ATokenGPvbdGVxr1b2hvZbsiqW5xWH25efTNsLJA8knL';
const MEMO_V1 = 'Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo';
const MEMO_V3 = 'MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr';

const k = (key: PublicKey | Signer): string => ('publicKey' in key ? key.publicKey : key).toBase58();
const fresh = (): Keypair => Keypair.generate();

/** An expected parsed instruction. */
const parsedIx = (program: string, programId: string, type: string, info: Record<string, unknown>, stackHeight: number | null = null) => ({
  parsed: { info, type },
  program,
  programId,
  stackHeight,
});
const systemIx = (type: string, info: Record<string, unknown>, stackHeight: number | null = null) => parsedIx('system', SYSTEM, type, info, stackHeight);
const tokenIx = (type: string, info: Record<string, unknown>, stackHeight: number | null = null, programId = TOKEN) => parsedIx('spl-token', programId, type, info, stackHeight);
const ataIx = (type: string, info: Record<string, unknown>) => parsedIx('spl-associated-token-account', ATA, type, info);

let chain: TestChain;
let payer: Keypair;
beforeAll(async () => {
  chain = await startChain();
  payer = chain.wallet;
});
afterAll(async () => {
  await chain?.dispose();
});


/** A transaction's top-level and inner instructions as getParsedTransaction returns them. */
async function parsedOf(signature: string): Promise<{ outer: PlainIx[]; inner: { index: number; instructions: PlainIx[] }[] }> {
  const tx = await chain.connection.getParsedTransaction(signature, { maxSupportedTransactionVersion: 0 });
  expect(tx).not.toBeNull();
  return {
    outer: tx!.transaction.message.instructions.map(plain),
    inner: (tx!.meta?.innerInstructions ?? []).map((g) => ({ index: g.index, instructions: g.instructions.map(plain) })),
  };
}

/** Sends instructions signed by the wallet (fee payer) and `signers`. */
const send = (ixs: TransactionInstruction[], signers: Signer[] = []): Promise<string> => sendAndConfirmTransaction(chain.connection, new Transaction().add(...ixs), [payer, ...signers]);

const rent = (space: number): Promise<number> => chain.connection.getMinimumBalanceForRentExemption(space);

/** The signature of the newest transaction touching `address`. */
const newestSignature = async (address: PublicKey): Promise<string> => (await chain.connection.getSignaturesForAddress(address, { limit: 1 }))[0]!.signature;

/** A 6-decimal mint (wallet as mint and freeze authority) and `owner`'s ATA holding `amount`. */
async function funded(owner: Keypair, amount: bigint, programId = TOKEN_PROGRAM_ID): Promise<{ mint: PublicKey; account: PublicKey }> {
  const mint = await createMint(chain.connection, payer, payer.publicKey, payer.publicKey, 6, undefined, undefined, programId);
  const account = getAssociatedTokenAddressSync(mint, owner.publicKey, false, programId);
  await send([createAssociatedTokenAccountIdempotentInstruction(payer.publicKey, account, owner.publicKey, mint, programId)]);
  if (amount > 0n) await mintTo(chain.connection, payer, mint, account, payer, amount, [], undefined, programId);
  return { mint, account };
}

/** An ATA for `owner`, empty. */
async function emptyAta(mint: PublicKey, owner: PublicKey, programId = TOKEN_PROGRAM_ID): Promise<PublicKey> {
  const account = getAssociatedTokenAddressSync(mint, owner, true, programId);
  await send([createAssociatedTokenAccountIdempotentInstruction(payer.publicKey, account, owner, mint, programId)]);
  return account;
}

/** The four instructions the ATA program invokes to create a token account (stack height 2). */
async function ataCreationCpis(account: PublicKey, owner: PublicKey, mint: PublicKey, programId = TOKEN): Promise<PlainIx[]> {
  const space = programId === TOKEN ? 165 : 170;
  return [
    tokenIx('getAccountDataSize', { mint: k(mint), extensionTypes: ['immutableOwner'] }, 2, programId),
    systemIx('createAccount', { source: k(payer), newAccount: k(account), lamports: await rent(space), space, owner: programId }, 2),
    tokenIx('initializeImmutableOwner', { account: k(account) }, 2, programId),
    tokenIx('initializeAccount3', { account: k(account), mint: k(mint), owner: k(owner) }, 2, programId),
  ];
}

describe('spl-token and associated token accounts over RPC', () => {
  it('createMint: system createAccount then initializeMint2', async () => {
    const mint = fresh();
    await createMint(chain.connection, payer, payer.publicKey, payer.publicKey, 6, mint);
    const { outer, inner } = await parsedOf(await newestSignature(mint.publicKey));
    expect(outer).toEqual([
      systemIx('createAccount', { source: k(payer), newAccount: k(mint), lamports: await rent(82), space: 82, owner: TOKEN }),
      tokenIx('initializeMint2', { mint: k(mint), decimals: 6, mintAuthority: k(payer), freezeAuthority: k(payer) }),
    ]);
    expect(inner).toEqual([]);
  });

  it('ATA create and createIdempotent, with the system and token instructions they invoke', async () => {
    const mint = await createMint(chain.connection, payer, payer.publicKey, null, 0);
    const alice = fresh().publicKey;
    const bob = fresh().publicKey;
    const aliceAta = getAssociatedTokenAddressSync(mint, alice);
    const bobAta = getAssociatedTokenAddressSync(mint, bob);
    const created = await parsedOf(await send([createAssociatedTokenAccountInstruction(payer.publicKey, aliceAta, alice, mint)]));
    const accounts = { source: k(payer), account: k(aliceAta), wallet: k(alice), mint: k(mint), systemProgram: SYSTEM, tokenProgram: TOKEN };
    expect(created.outer).toEqual([ataIx('create', accounts)]);
    expect(created.inner).toEqual([{ index: 0, instructions: await ataCreationCpis(aliceAta, alice, mint) }]);
    const idempotent = await parsedOf(await send([createAssociatedTokenAccountIdempotentInstruction(payer.publicKey, bobAta, bob, mint)]));
    expect(idempotent.outer).toEqual([ataIx('createIdempotent', { ...accounts, account: k(bobAta), wallet: k(bob) })]);
    expect(idempotent.inner).toEqual([{ index: 0, instructions: await ataCreationCpis(bobAta, bob, mint) }]);
  });

  it('mintTo and mintToChecked', async () => {
    const alice = fresh();
    const { mint, account } = await funded(alice, 0n);
    const plainMint = await parsedOf(await mintTo(chain.connection, payer, mint, account, payer, 1_000_000n));
    expect(plainMint.outer).toEqual([tokenIx('mintTo', { mint: k(mint), account: k(account), amount: '1000000', mintAuthority: k(payer) })]);
    const checked = await parsedOf(await mintToChecked(chain.connection, payer, mint, account, payer, 1_500_000n, 6));
    expect(checked.outer).toEqual([tokenIx('mintToChecked', { mint: k(mint), account: k(account), tokenAmount: uiTokenAmount(1_500_000n, 6), mintAuthority: k(payer) })]);
    expect(uiTokenAmount(1_500_000n, 6)).toEqual({ amount: '1500000', decimals: 6, uiAmount: 1.5, uiAmountString: '1.5' });
  });

  it('transfer and transferChecked', async () => {
    const alice = fresh();
    const { mint, account } = await funded(alice, 10_000n);
    const bobAta = await emptyAta(mint, fresh().publicKey);
    const sent = await parsedOf(await transfer(chain.connection, payer, account, bobAta, alice, 1000n));
    expect(sent.outer).toEqual([tokenIx('transfer', { source: k(account), destination: k(bobAta), amount: '1000', authority: k(alice) })]);
    const checked = await parsedOf(await transferChecked(chain.connection, payer, account, mint, bobAta, alice, 2000n, 6));
    expect(checked.outer).toEqual([tokenIx('transferChecked', { source: k(account), mint: k(mint), destination: k(bobAta), tokenAmount: uiTokenAmount(2000n, 6), authority: k(alice) })]);
  });

  it('approve, approveChecked and revoke', async () => {
    const alice = fresh();
    const delegate = fresh().publicKey;
    const { mint, account } = await funded(alice, 10_000n);
    const approved = await parsedOf(await approve(chain.connection, payer, account, delegate, alice, 300n));
    expect(approved.outer).toEqual([tokenIx('approve', { source: k(account), delegate: k(delegate), amount: '300', owner: k(alice) })]);
    const checked = await parsedOf(await approveChecked(chain.connection, payer, mint, account, delegate, alice, 400n, 6));
    expect(checked.outer).toEqual([tokenIx('approveChecked', { source: k(account), mint: k(mint), delegate: k(delegate), tokenAmount: uiTokenAmount(400n, 6), owner: k(alice) })]);
    const revoked = await parsedOf(await revoke(chain.connection, payer, account, alice));
    expect(revoked.outer).toEqual([tokenIx('revoke', { source: k(account), owner: k(alice) })]);
  });

  it('burn, burnChecked and closeAccount', async () => {
    const alice = fresh();
    const { mint, account } = await funded(alice, 300n);
    const burned = await parsedOf(await burn(chain.connection, payer, account, mint, alice, 100n));
    expect(burned.outer).toEqual([tokenIx('burn', { account: k(account), mint: k(mint), amount: '100', authority: k(alice) })]);
    const checked = await parsedOf(await burnChecked(chain.connection, payer, account, mint, alice, 200n, 6));
    expect(checked.outer).toEqual([tokenIx('burnChecked', { account: k(account), mint: k(mint), tokenAmount: uiTokenAmount(200n, 6), authority: k(alice) })]);
    const closed = await parsedOf(await closeAccount(chain.connection, payer, account, payer.publicKey, alice));
    expect(closed.outer).toEqual([tokenIx('closeAccount', { account: k(account), destination: k(payer), owner: k(alice) })]);
  });

  it('freezeAccount, thawAccount and setAuthority (to a key and to none)', async () => {
    const alice = fresh();
    const { mint, account } = await funded(alice, 0n);
    const frozen = await parsedOf(await freezeAccount(chain.connection, payer, account, mint, payer));
    expect(frozen.outer).toEqual([tokenIx('freezeAccount', { account: k(account), mint: k(mint), freezeAuthority: k(payer) })]);
    const thawed = await parsedOf(await thawAccount(chain.connection, payer, account, mint, payer));
    expect(thawed.outer).toEqual([tokenIx('thawAccount', { account: k(account), mint: k(mint), freezeAuthority: k(payer) })]);
    const owner = fresh().publicKey;
    const moved = await parsedOf(await setAuthority(chain.connection, payer, account, alice, AuthorityType.AccountOwner, owner));
    expect(moved.outer).toEqual([tokenIx('setAuthority', { account: k(account), authorityType: 'accountOwner', newAuthority: k(owner), authority: k(alice) })]);
    const dropped = await parsedOf(await setAuthority(chain.connection, payer, mint, payer, AuthorityType.FreezeAccount, null));
    expect(dropped.outer).toEqual([tokenIx('setAuthority', { mint: k(mint), authorityType: 'freezeAccount', newAuthority: null, authority: k(payer) })]);
  });

  it('a multisig: initializeMultisig, then a transfer shows multisigAuthority and signers', async () => {
    const [s1, s2, s3] = [fresh(), fresh(), fresh()];
    const multisig = fresh();
    await createMultisig(chain.connection, payer, [s1.publicKey, s2.publicKey, s3.publicKey], 2, multisig);
    const created = await parsedOf(await newestSignature(multisig.publicKey));
    expect(created.outer).toEqual([
      systemIx('createAccount', { source: k(payer), newAccount: k(multisig), lamports: await rent(355), space: 355, owner: TOKEN }),
      tokenIx('initializeMultisig', { multisig: k(multisig), rentSysvar: SYSVAR_RENT_PUBKEY.toBase58(), signers: [k(s1), k(s2), k(s3)], m: 2 }),
    ]);
    const { mint, account } = await funded(multisig, 50n);
    const to = await emptyAta(mint, fresh().publicKey);
    const sent = await parsedOf(await transfer(chain.connection, payer, account, to, multisig.publicKey, 5n, [s1, s2]));
    expect(sent.outer).toEqual([tokenIx('transfer', { source: k(account), destination: k(to), amount: '5', multisigAuthority: k(multisig), signers: [k(s1), k(s2)] })]);
    const checked = await parsedOf(await transferChecked(chain.connection, payer, account, mint, to, multisig.publicKey, 6n, 6, [s2, s3]));
    expect(checked.outer).toEqual([
      tokenIx('transferChecked', { source: k(account), mint: k(mint), destination: k(to), tokenAmount: uiTokenAmount(6n, 6), multisigAuthority: k(multisig), signers: [k(s2), k(s3)] }),
    ]);
  });

  it('Token-2022 instructions are program "spl-token" with the Token-2022 id, ATA creation included', async () => {
    const alice = fresh();
    const mint = await createMint(chain.connection, payer, payer.publicKey, null, 2, undefined, undefined, TOKEN_2022_PROGRAM_ID);
    const account = getAssociatedTokenAddressSync(mint, alice.publicKey, false, TOKEN_2022_PROGRAM_ID);
    const created = await parsedOf(await send([createAssociatedTokenAccountInstruction(payer.publicKey, account, alice.publicKey, mint, TOKEN_2022_PROGRAM_ID)]));
    expect(created.outer).toEqual([ataIx('create', { source: k(payer), account: k(account), wallet: k(alice), mint: k(mint), systemProgram: SYSTEM, tokenProgram: TOKEN_2022 })]);
    expect(created.inner).toEqual([{ index: 0, instructions: await ataCreationCpis(account, alice.publicKey, mint, TOKEN_2022) }]);
    const minted = await parsedOf(await mintToChecked(chain.connection, payer, mint, account, payer, 12_345n, 2, [], undefined, TOKEN_2022_PROGRAM_ID));
    expect(minted.outer).toEqual([tokenIx('mintToChecked', { mint: k(mint), account: k(account), tokenAmount: uiTokenAmount(12_345n, 2), mintAuthority: k(payer) }, null, TOKEN_2022)]);
  });
});

describe('system program and memo over RPC', () => {
  it('transfer, allocate and assign', async () => {
    const account = fresh();
    const owner = fresh().publicKey;
    const sig = await send(
      [
        SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: account.publicKey, lamports: LAMPORTS_PER_SOL }),
        SystemProgram.allocate({ accountPubkey: account.publicKey, space: 64 }),
        SystemProgram.assign({ accountPubkey: account.publicKey, programId: owner }),
      ],
      [account],
    );
    expect((await parsedOf(sig)).outer).toEqual([
      systemIx('transfer', { source: k(payer), destination: k(account), lamports: LAMPORTS_PER_SOL }),
      systemIx('allocate', { account: k(account), space: 64 }),
      systemIx('assign', { account: k(account), owner: k(owner) }),
    ]);
  });

  it('createAccountWithSeed and transferWithSeed', async () => {
    const seed = 'parsed-seed';
    const derived = await PublicKey.createWithSeed(payer.publicKey, seed, SystemProgram.programId);
    const to = fresh().publicKey;
    const sig = await send([
      SystemProgram.createAccountWithSeed({ fromPubkey: payer.publicKey, newAccountPubkey: derived, basePubkey: payer.publicKey, seed, lamports: 3_000_000, space: 0, programId: SystemProgram.programId }),
      SystemProgram.transfer({ fromPubkey: derived, basePubkey: payer.publicKey, seed, programId: SystemProgram.programId, toPubkey: to, lamports: 1_000_000 }),
    ]);
    expect((await parsedOf(sig)).outer).toEqual([
      systemIx('createAccountWithSeed', { source: k(payer), newAccount: k(derived), base: k(payer), seed, lamports: 3_000_000, space: 0, owner: SYSTEM }),
      systemIx('transferWithSeed', { source: k(derived), sourceBase: k(payer), destination: k(to), lamports: 1_000_000, sourceSeed: seed, sourceOwner: SYSTEM }),
    ]);
  });

  it('allocateWithSeed and assignWithSeed', async () => {
    const owner = fresh().publicKey;
    const allocated = await PublicKey.createWithSeed(payer.publicKey, 'alloc', owner);
    const assigned = await PublicKey.createWithSeed(payer.publicKey, 'assign', owner);
    const sig = await send([
      SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: allocated, lamports: 2_000_000 }),
      SystemProgram.allocate({ accountPubkey: allocated, basePubkey: payer.publicKey, seed: 'alloc', space: 16, programId: owner }),
      SystemProgram.transfer({ fromPubkey: payer.publicKey, toPubkey: assigned, lamports: 1_000_000 }),
      SystemProgram.assign({ accountPubkey: assigned, basePubkey: payer.publicKey, seed: 'assign', programId: owner }),
    ]);
    expect((await parsedOf(sig)).outer).toEqual([
      systemIx('transfer', { source: k(payer), destination: k(allocated), lamports: 2_000_000 }),
      systemIx('allocateWithSeed', { account: k(allocated), base: k(payer), seed: 'alloc', space: 16, owner: k(owner) }),
      systemIx('transfer', { source: k(payer), destination: k(assigned), lamports: 1_000_000 }),
      systemIx('assignWithSeed', { account: k(assigned), base: k(payer), seed: 'assign', owner: k(owner) }),
    ]);
  });

  it('a nonce account: create and initialize, advance with authorize, withdraw', async () => {
    const nonce = fresh();
    const authority = fresh();
    const lamports = (await rent(NONCE_ACCOUNT_LENGTH)) + 1_000_000;
    const create = SystemProgram.createNonceAccount({ fromPubkey: payer.publicKey, noncePubkey: nonce.publicKey, authorizedPubkey: payer.publicKey, lamports });
    const created = await parsedOf(await send(create.instructions, [nonce]));
    const sysvars = { recentBlockhashesSysvar: SYSVAR_RECENT_BLOCKHASHES_PUBKEY.toBase58(), rentSysvar: SYSVAR_RENT_PUBKEY.toBase58() };
    expect(created.outer).toEqual([
      systemIx('createAccount', { source: k(payer), newAccount: k(nonce), lamports, space: NONCE_ACCOUNT_LENGTH, owner: SYSTEM }),
      systemIx('initializeNonce', { nonceAccount: k(nonce), ...sysvars, nonceAuthority: k(payer) }),
    ]);

    const value = (await chain.connection.getNonce(nonce.publicKey, 'confirmed'))!.nonce;
    const nonceInstruction = SystemProgram.nonceAdvance({ noncePubkey: nonce.publicKey, authorizedPubkey: payer.publicKey });
    const onNonce = new Transaction({ feePayer: payer.publicKey, nonceInfo: { nonce: value, nonceInstruction } });
    onNonce.add(SystemProgram.nonceAuthorize({ noncePubkey: nonce.publicKey, authorizedPubkey: payer.publicKey, newAuthorizedPubkey: authority.publicKey }));
    onNonce.sign(payer);
    const signature = await chain.connection.sendRawTransaction(onNonce.serialize());
    const minContextSlot = await chain.connection.getSlot('processed');
    await chain.connection.confirmTransaction({ signature, nonceAccountPubkey: nonce.publicKey, nonceValue: value, minContextSlot }, 'confirmed');
    expect((await parsedOf(signature)).outer).toEqual([
      systemIx('advanceNonce', { nonceAccount: k(nonce), recentBlockhashesSysvar: sysvars.recentBlockhashesSysvar, nonceAuthority: k(payer) }),
      systemIx('authorizeNonce', { nonceAccount: k(nonce), nonceAuthority: k(payer), newAuthorized: k(authority) }),
    ]);

    const withdrawn = await parsedOf(await send([SystemProgram.nonceWithdraw({ noncePubkey: nonce.publicKey, authorizedPubkey: authority.publicKey, toPubkey: payer.publicKey, lamports: 500_000 })], [authority]));
    expect(withdrawn.outer).toEqual([systemIx('withdrawFromNonce', { nonceAccount: k(nonce), destination: k(payer), ...sysvars, nonceAuthority: k(authority), lamports: 500_000 })]);
  });

  it('memo v1 and v3: parsed is the memo text', async () => {
    const text = 'héllo 🦖 memo';
    const sig = await send([
      new TransactionInstruction({ programId: new PublicKey(MEMO_V1), keys: [], data: Buffer.from(text) }),
      new TransactionInstruction({ programId: new PublicKey(MEMO_V3), keys: [{ pubkey: payer.publicKey, isSigner: true, isWritable: false }], data: Buffer.from('second') }),
    ]);
    expect((await parsedOf(sig)).outer).toEqual([
      { parsed: text, program: 'spl-memo', programId: MEMO_V1, stackHeight: null },
      { parsed: 'second', program: 'spl-memo', programId: MEMO_V3, stackHeight: null },
    ]);
  });

  it('a failed transaction with truncated system data and non-UTF-8 memo data renders them partially decoded', async () => {
    const to = fresh().publicKey;
    const truncated = Buffer.from([2, 0, 0, 0, 64, 66]);
    const badMemo = Buffer.from([0xff, 0xfe, 0x41]);
    const tx = new Transaction().add(
      new TransactionInstruction({ programId: SystemProgram.programId, keys: [{ pubkey: payer.publicKey, isSigner: true, isWritable: true }, { pubkey: to, isSigner: false, isWritable: true }], data: truncated }),
      new TransactionInstruction({ programId: new PublicKey(MEMO_V3), keys: [], data: badMemo }),
    );
    const { blockhash, lastValidBlockHeight } = await chain.connection.getLatestBlockhash();
    tx.recentBlockhash = blockhash;
    tx.feePayer = payer.publicKey;
    tx.sign(payer);
    const signature = await chain.connection.sendRawTransaction(tx.serialize(), { skipPreflight: true });
    const status = await chain.connection.confirmTransaction({ signature, blockhash, lastValidBlockHeight }, 'confirmed');
    expect(status.value.err).not.toBeNull();
    const raw = await chain.rpc('getTransaction', [signature, { encoding: 'jsonParsed', maxSupportedTransactionVersion: 0, commitment: 'confirmed' }]);
    expect(raw.result.transaction.message.instructions).toEqual([
      { accounts: [k(payer), k(to)], data: toBase58(truncated), programId: SYSTEM, stackHeight: null },
      { accounts: [], data: toBase58(badMemo), programId: MEMO_V3, stackHeight: null },
    ]);
  });
});

/** Parses a web3.js instruction as if it were a compiled one. */
const parse = (ix: TransactionInstruction) => parseInstruction(ix.programId.toBase58(), ix.keys.map((m) => m.pubkey.toBase58()), ix.data)?.parsed ?? null;
const u32 = (n: number): Buffer => Buffer.from(Uint32Array.of(n).buffer);
const u64 = (n: bigint): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return b;
};

describe('system parser alone', () => {
  const [a, b, c] = [fresh().publicKey.toBase58(), fresh().publicKey.toBase58(), fresh().publicKey.toBase58()];
  const system = (data: Buffer, accounts: string[] = [a, b, c]) => parseInstruction(SYSTEM, accounts, data)?.parsed ?? null;

  it('upgradeNonce, createAccountAllowPrefund (with and without payer) and u64 values beyond 2^53', () => {
    expect(system(u32(12), [a])).toEqual({ type: 'upgradeNonce', info: { nonceAccount: a } });
    const owner = fresh().publicKey;
    expect(system(Buffer.concat([u32(13), u64(0n), u64(10n), owner.toBuffer()]), [a])).toEqual({ type: 'createAccountAllowPrefund', info: { newAccount: a, space: 10, owner: owner.toBase58() } });
    expect(system(Buffer.concat([u32(13), u64(5n), u64(10n), owner.toBuffer()]), [a, b])).toEqual({
      type: 'createAccountAllowPrefund',
      info: { newAccount: a, source: b, lamports: 5, space: 10, owner: owner.toBase58() },
    });
    expect(system(Buffer.concat([u32(2), u64(2n ** 64n - 1n)]))).toEqual({ type: 'transfer', info: { source: a, destination: b, lamports: 2n ** 64n - 1n } });
    // bincode allows trailing bytes
    expect(system(Buffer.concat([u32(8), u64(7n), Buffer.from([9, 9])]), [a])).toEqual({ type: 'allocate', info: { account: a, space: 7 } });
  });

  it('short, unknown or malformed data and missing accounts give null, never a throw', () => {
    const owner = fresh().publicKey.toBuffer();
    expect(system(Buffer.alloc(0))).toBeNull();
    expect(system(Buffer.from([2, 0, 0]))).toBeNull();
    expect(system(Buffer.concat([u32(2), Buffer.alloc(7)]))).toBeNull();
    expect(system(u32(14))).toBeNull();
    expect(system(Buffer.concat([u32(2), u64(1n)]), [a])).toBeNull();
    expect(system(Buffer.concat([u32(4)]), [a, b])).toBeNull();
    expect(system(u32(12), [])).toBeNull();
    // seeds: length past the end, huge length, invalid UTF-8
    expect(system(Buffer.concat([u32(10), owner, u64(5n), Buffer.from('abc'), owner]))).toBeNull();
    expect(system(Buffer.concat([u32(10), owner, u64(2n ** 63n), owner]))).toBeNull();
    expect(system(Buffer.concat([u32(10), owner, u64(2n), Buffer.from([0xc3, 0x28]), owner]))).toBeNull();
    expect(parseInstruction(SYSTEM, [a, undefined], Buffer.concat([u32(2), u64(1n)]))).toBeNull();
  });
});

describe('token parser alone', () => {
  const [mint, account, owner, multisig] = [fresh().publicKey, fresh().publicKey, fresh().publicKey, fresh().publicKey];
  const rentSysvar = SYSVAR_RENT_PUBKEY.toBase58();
  const token = (data: number[] | Buffer, accounts: string[] = [k(mint)]) => parseInstruction(TOKEN, accounts, Buffer.from(data))?.parsed ?? null;

  it('initializeMint with and without a freeze authority, initializeAccount and initializeAccount2', () => {
    expect(parse(createInitializeMintInstruction(mint, 9, owner, multisig))).toEqual({ type: 'initializeMint', info: { mint: k(mint), decimals: 9, mintAuthority: k(owner), freezeAuthority: k(multisig), rentSysvar } });
    expect(parse(createInitializeMintInstruction(mint, 0, owner, null))).toEqual({ type: 'initializeMint', info: { mint: k(mint), decimals: 0, mintAuthority: k(owner), rentSysvar } });
    expect(parse(createInitializeAccountInstruction(account, mint, owner))).toEqual({ type: 'initializeAccount', info: { account: k(account), mint: k(mint), owner: k(owner), rentSysvar } });
    expect(parse(createInitializeAccount2Instruction(account, mint, owner))).toEqual({ type: 'initializeAccount2', info: { account: k(account), mint: k(mint), owner: k(owner), rentSysvar } });
  });

  it('initializeMultisig2, syncNative, initializeImmutableOwner, getAccountDataSize, amountToUiAmount, uiAmountToAmount', () => {
    expect(token([19, 2], [k(multisig), k(owner), k(account)])).toEqual({ type: 'initializeMultisig2', info: { multisig: k(multisig), signers: [k(owner), k(account)], m: 2 } });
    expect(parse(createInitializeMultisigInstruction(multisig, [owner, account], 1))).toEqual({ type: 'initializeMultisig', info: { multisig: k(multisig), rentSysvar, signers: [k(owner), k(account)], m: 1 } });
    expect(parse(createSyncNativeInstruction(account))).toEqual({ type: 'syncNative', info: { account: k(account) } });
    expect(parse(createInitializeImmutableOwnerInstruction(account, TOKEN_PROGRAM_ID))).toEqual({ type: 'initializeImmutableOwner', info: { account: k(account) } });
    expect(token([21])).toEqual({ type: 'getAccountDataSize', info: { mint: k(mint) } });
    expect(token([21, 7, 0, 3, 0])).toEqual({ type: 'getAccountDataSize', info: { mint: k(mint), extensionTypes: ['immutableOwner', 'mintCloseAuthority'] } });
    expect(parse(createAmountToUiAmountInstruction(mint, 12345n))).toEqual({ type: 'amountToUiAmount', info: { mint: k(mint), amount: '12345' } });
    expect(parse(createUiAmountToAmountInstruction(mint, '1.25'))).toEqual({ type: 'uiAmountToAmount', info: { mint: k(mint), uiAmount: '1.25' } });
  });

  it('setAuthority by a multisig names multisigAuthority and signers; a mint authority type names the mint', () => {
    const [s1, s2] = [fresh().publicKey, fresh().publicKey];
    expect(parse(createSetAuthorityInstruction(account, multisig, AuthorityType.CloseAccount, owner, [s1, s2]))).toEqual({
      type: 'setAuthority',
      info: { account: k(account), authorityType: 'closeAccount', newAuthority: k(owner), multisigAuthority: k(multisig), signers: [k(s1), k(s2)] },
    });
    expect(parse(createSetAuthorityInstruction(mint, owner, AuthorityType.MintTokens, null))).toEqual({
      type: 'setAuthority',
      info: { mint: k(mint), authorityType: 'mintTokens', newAuthority: null, authority: k(owner) },
    });
  });

  it('Token-2022 extension instructions, bad tags, bad options, short data and missing accounts give null', () => {
    expect(token([26, 0])).toBeNull(); // transfer fee extension
    expect(token([255])).toBeNull(); // batch
    expect(token([])).toBeNull();
    expect(token([3, 1, 2, 3], [k(account), k(owner), k(mint)])).toBeNull();
    expect(token([3, ...u64(5n)], [k(account), k(owner)])).toBeNull();
    expect(token([6, 18, 0], [k(mint), k(owner)])).toBeNull(); // no such authority type
    expect(token([20, 6, ...owner.toBuffer(), 2])).toBeNull(); // option tag 2
    expect(token([20, 6, ...owner.toBuffer()])).toBeNull(); // option missing
    expect(token([21, 99, 0])).toBeNull(); // unknown extension type
    expect(token([21, 7])).toBeNull(); // half an extension type
    expect(token([24, 0xff])).toBeNull(); // uiAmount not UTF-8
    expect(token([17], [])).toBeNull();
  });
});

describe('associated token and memo parsers alone', () => {
  it('recoverNested, and data that is not one known tag gives null', () => {
    const [wallet, ownerMint, nestedMint] = [fresh().publicKey, fresh().publicKey, fresh().publicKey];
    const ownerAta = getAssociatedTokenAddressSync(ownerMint, wallet);
    const nested = getAssociatedTokenAddressSync(nestedMint, ownerAta, true);
    const destination = getAssociatedTokenAddressSync(nestedMint, wallet);
    const ix = createRecoverNestedInstruction(nested, nestedMint, destination, ownerAta, ownerMint, wallet);
    expect(parse(ix)).toEqual({
      type: 'recoverNested',
      info: { nestedSource: k(nested), nestedMint: k(nestedMint), destination: k(destination), nestedOwner: k(ownerAta), ownerMint: k(ownerMint), wallet: k(wallet), tokenProgram: TOKEN },
    });
    const keys = ix.keys.map((m) => m.pubkey.toBase58());
    expect(parseInstruction(ATA, keys, Buffer.from([3]))).toBeNull();
    expect(parseInstruction(ATA, keys, Buffer.from([1, 0]))).toBeNull();
    expect(parseInstruction(ATA, keys.slice(0, 6), Buffer.from([2]))).toBeNull();
    expect(parseInstruction(ATA, keys.slice(0, 5), Buffer.alloc(0))).toBeNull();
  });

  it('memo text is strict UTF-8, keeps a byte-order mark, and the stack height passes through', () => {
    expect(parseInstruction(MEMO_V1, [], Buffer.from('\uFEFFhi'), 2)).toEqual({ parsed: '\uFEFFhi', program: 'spl-memo', programId: MEMO_V1, stackHeight: 2 });
    expect(parseInstruction(MEMO_V3, [], Buffer.alloc(0))).toEqual({ parsed: '', program: 'spl-memo', programId: MEMO_V3, stackHeight: null });
    expect(parseInstruction(MEMO_V3, [], Buffer.from([0xed, 0xa0, 0x80]))).toBeNull();
    expect(parseInstruction(fresh().publicKey.toBase58(), [], Buffer.from('x'))).toBeNull();
  });
});
