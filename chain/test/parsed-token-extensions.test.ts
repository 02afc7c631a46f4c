/**
 * Token-2022 extension and token-metadata instructions in `jsonParsed` as agave renders them
 * (solana-transaction-status `parse_token/extension/*.rs`): real transactions built with stock
 * spl-token and spl-token-metadata, read back with getParsedTransaction, then the parser alone on
 * multisig and malformed data.
 */
import {
  AccountState,
  createAssociatedTokenAccountIdempotentInstruction,
  createDisableCpiGuardInstruction,
  createDisableRequiredMemoTransfersInstruction,
  createEnableCpiGuardInstruction,
  createEnableRequiredMemoTransfersInstruction,
  createHarvestWithheldTokensToMintInstruction,
  createInitializeDefaultAccountStateInstruction,
  createInitializeGroupMemberPointerInstruction,
  createInitializeGroupPointerInstruction,
  createInitializeInterestBearingMintInstruction,
  createInitializeMetadataPointerInstruction,
  createInitializeMint2Instruction,
  createInitializeMintCloseAuthorityInstruction,
  createInitializePermanentDelegateInstruction,
  createInitializeTransferFeeConfigInstruction,
  createInitializeTransferHookInstruction,
  createMint,
  createMintToInstruction,
  createReallocateInstruction,
  createSetTransferFeeInstruction,
  createTransferCheckedWithFeeInstruction,
  createUpdateDefaultAccountStateInstruction,
  createUpdateGroupMemberPointerInstruction,
  createUpdateGroupPointerInstruction,
  createUpdateMetadataPointerInstruction,
  createUpdateRateInterestBearingMintInstruction,
  createUpdateTransferHookInstruction,
  createWithdrawWithheldTokensFromAccountsInstruction,
  createWithdrawWithheldTokensFromMintInstruction,
  ExtensionType,
  getAssociatedTokenAddressSync,
  getMintLen,
  TOKEN_2022_PROGRAM_ID,
} from '@solana/spl-token';
import { createEmitInstruction, createInitializeInstruction, createRemoveKeyInstruction, createUpdateAuthorityInstruction, createUpdateFieldInstruction } from '@solana/spl-token-metadata';
import { Keypair, PublicKey, sendAndConfirmTransaction, SystemProgram, Transaction, type Signer, type TransactionInstruction } from '@solana/web3.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInstruction } from '../src/instructions/index.ts';
import { parseTokenExtensionInstruction } from '../src/instructions/token-extensions.ts';
import { uiTokenAmount } from '../src/token.ts';
import { plain, type PlainIx, startChain, type TestChain } from './helpers.ts';

const SYSTEM = SystemProgram.programId.toBase58();
const TOKEN_2022 = TOKEN_2022_PROGRAM_ID.toBase58();

const k = (key: PublicKey | Signer): string => ('publicKey' in key ? key.publicKey : key).toBase58();
const fresh = (): Keypair => Keypair.generate();
const tokenIx = (type: string, info: Record<string, unknown>) => ({ parsed: { info, type }, program: 'spl-token', programId: TOKEN_2022, stackHeight: null });

let chain: TestChain;
let payer: Keypair;
beforeAll(async () => {
  chain = await startChain();
  payer = chain.wallet;
});
afterAll(async () => {
  await chain?.dispose();
});


/** Sends instructions signed by the wallet (fee payer) and `signers`; the top-level instructions as getParsedTransaction returns them. */
async function sendParsed(ixs: TransactionInstruction[], signers: Signer[] = []): Promise<PlainIx[]> {
  const signature = await sendAndConfirmTransaction(chain.connection, new Transaction().add(...ixs), [payer, ...signers]);
  const tx = await chain.connection.getParsedTransaction(signature, { maxSupportedTransactionVersion: 0 });
  expect(tx).not.toBeNull();
  return tx!.transaction.message.instructions.map(plain);
}

const rent = (space: number): Promise<number> => chain.connection.getMinimumBalanceForRentExemption(space);

/** Room (beyond the fixed extensions) for the token metadata the tests write. */
const METADATA_ROOM = 400;

/**
 * Creates a 2-decimal Token-2022 mint (wallet as mint and freeze authority) with `extensions`
 * initialized by `init`, then `after` (e.g. token metadata); the transaction's parsed instructions.
 */
async function createMint2022(
  extensions: ExtensionType[],
  init: (mint: PublicKey) => TransactionInstruction[],
  after: (mint: PublicKey) => TransactionInstruction[] = () => [],
): Promise<{ mint: Keypair; parsed: PlainIx[]; space: number; lamports: number }> {
  const mint = fresh();
  const space = getMintLen(extensions);
  const lamports = await rent(space + METADATA_ROOM);
  const parsed = await sendParsed(
    [
      SystemProgram.createAccount({ fromPubkey: payer.publicKey, newAccountPubkey: mint.publicKey, space, lamports, programId: TOKEN_2022_PROGRAM_ID }),
      ...init(mint.publicKey),
      createInitializeMint2Instruction(mint.publicKey, 2, payer.publicKey, payer.publicKey, TOKEN_2022_PROGRAM_ID),
      ...after(mint.publicKey),
    ],
    [mint],
  );
  return { mint, parsed, space, lamports };
}

/** Token metadata on the mint itself, the wallet as update authority. */
const metadataOn = (mint: PublicKey): TransactionInstruction[] => [
  createInitializeInstruction({ programId: TOKEN_2022_PROGRAM_ID, metadata: mint, updateAuthority: payer.publicKey, mint, mintAuthority: payer.publicKey, name: 'Spice', symbol: 'SPC', uri: 'https://spice.example/1.json' }),
];

/** An ATA of `owner` for a Token-2022 mint. */
async function ata(mint: PublicKey, owner: PublicKey): Promise<PublicKey> {
  const account = getAssociatedTokenAddressSync(mint, owner, false, TOKEN_2022_PROGRAM_ID);
  await sendParsed([createAssociatedTokenAccountIdempotentInstruction(payer.publicKey, account, owner, mint, TOKEN_2022_PROGRAM_ID)]);
  return account;
}

describe('Token-2022 extension instructions over RPC', () => {
  it('mint extensions initialized at creation, with token metadata', async () => {
    const closer = fresh().publicKey;
    const delegate = fresh().publicKey;
    const group = fresh().publicKey;
    const member = fresh().publicKey;
    const hookProgram = fresh().publicKey;
    const withdrawer = fresh().publicKey;
    const extensions = [
      ExtensionType.MintCloseAuthority,
      ExtensionType.PermanentDelegate,
      ExtensionType.MetadataPointer,
      ExtensionType.GroupPointer,
      ExtensionType.GroupMemberPointer,
      ExtensionType.TransferFeeConfig,
      ExtensionType.InterestBearingConfig,
      ExtensionType.DefaultAccountState,
      ExtensionType.TransferHook,
    ];
    const { mint, parsed, space, lamports } = await createMint2022(
      extensions,
      (m) => [
        createInitializeMintCloseAuthorityInstruction(m, closer, TOKEN_2022_PROGRAM_ID),
        createInitializePermanentDelegateInstruction(m, delegate, TOKEN_2022_PROGRAM_ID),
        createInitializeMetadataPointerInstruction(m, payer.publicKey, m, TOKEN_2022_PROGRAM_ID),
        createInitializeGroupPointerInstruction(m, null, group, TOKEN_2022_PROGRAM_ID),
        createInitializeGroupMemberPointerInstruction(m, payer.publicKey, member, TOKEN_2022_PROGRAM_ID),
        createInitializeTransferFeeConfigInstruction(m, payer.publicKey, withdrawer, 125, 5_000n, TOKEN_2022_PROGRAM_ID),
        createInitializeInterestBearingMintInstruction(m, payer.publicKey, 250, TOKEN_2022_PROGRAM_ID),
        createInitializeDefaultAccountStateInstruction(m, AccountState.Initialized, TOKEN_2022_PROGRAM_ID),
        createInitializeTransferHookInstruction(m, payer.publicKey, hookProgram, TOKEN_2022_PROGRAM_ID),
      ],
      metadataOn,
    );
    const m = k(mint);
    expect(parsed).toEqual([
      { parsed: { info: { source: k(payer), newAccount: m, lamports, space, owner: TOKEN_2022 }, type: 'createAccount' }, program: 'system', programId: SYSTEM, stackHeight: null },
      tokenIx('initializeMintCloseAuthority', { mint: m, newAuthority: k(closer) }),
      tokenIx('initializePermanentDelegate', { mint: m, delegate: k(delegate) }),
      tokenIx('initializeMetadataPointer', { mint: m, authority: k(payer), metadataAddress: m }),
      tokenIx('initializeGroupPointer', { mint: m, groupAddress: k(group) }),
      tokenIx('initializeGroupMemberPointer', { mint: m, authority: k(payer), memberAddress: k(member) }),
      tokenIx('initializeTransferFeeConfig', { mint: m, transferFeeConfigAuthority: k(payer), withdrawWithheldAuthority: k(withdrawer), transferFeeBasisPoints: 125, maximumFee: 5000 }),
      tokenIx('initializeInterestBearingConfig', { mint: m, rateAuthority: k(payer), rate: 250 }),
      tokenIx('initializeDefaultAccountState', { mint: m, accountState: 'initialized' }),
      tokenIx('initializeTransferHook', { mint: m, authority: k(payer), programId: k(hookProgram) }),
      tokenIx('initializeMint2', { mint: m, decimals: 2, mintAuthority: k(payer), freezeAuthority: k(payer) }),
      tokenIx('initializeTokenMetadata', { metadata: m, updateAuthority: k(payer), mint: m, mintAuthority: k(payer), name: 'Spice', symbol: 'SPC', uri: 'https://spice.example/1.json' }),
    ]);
  });

  it('mint authority updates: pointers, transfer hook, interest rate, default state', async () => {
    const { mint } = await createMint2022(
      [ExtensionType.MetadataPointer, ExtensionType.GroupPointer, ExtensionType.GroupMemberPointer, ExtensionType.InterestBearingConfig, ExtensionType.DefaultAccountState, ExtensionType.TransferHook],
      (m) => [
        createInitializeMetadataPointerInstruction(m, payer.publicKey, null, TOKEN_2022_PROGRAM_ID),
        createInitializeGroupPointerInstruction(m, payer.publicKey, null, TOKEN_2022_PROGRAM_ID),
        createInitializeGroupMemberPointerInstruction(m, payer.publicKey, null, TOKEN_2022_PROGRAM_ID),
        createInitializeInterestBearingMintInstruction(m, payer.publicKey, 0, TOKEN_2022_PROGRAM_ID),
        createInitializeDefaultAccountStateInstruction(m, AccountState.Initialized, TOKEN_2022_PROGRAM_ID),
        createInitializeTransferHookInstruction(m, payer.publicKey, PublicKey.default, TOKEN_2022_PROGRAM_ID),
      ],
    );
    const pointed = fresh().publicKey;
    const hookProgram = fresh().publicKey;
    const m = mint.publicKey;
    const parsed = await sendParsed([
      createUpdateMetadataPointerInstruction(m, payer.publicKey, pointed, [], TOKEN_2022_PROGRAM_ID),
      createUpdateMetadataPointerInstruction(m, payer.publicKey, null, [], TOKEN_2022_PROGRAM_ID),
      createUpdateGroupPointerInstruction(m, payer.publicKey, pointed, [], TOKEN_2022_PROGRAM_ID),
      createUpdateGroupMemberPointerInstruction(m, payer.publicKey, pointed, [], TOKEN_2022_PROGRAM_ID),
      createUpdateTransferHookInstruction(m, payer.publicKey, hookProgram, [], TOKEN_2022_PROGRAM_ID),
      createUpdateRateInterestBearingMintInstruction(m, payer.publicKey, -30, [], TOKEN_2022_PROGRAM_ID),
      createUpdateDefaultAccountStateInstruction(m, AccountState.Frozen, payer.publicKey, [], TOKEN_2022_PROGRAM_ID),
    ]);
    expect(parsed).toEqual([
      tokenIx('updateMetadataPointer', { mint: k(m), metadataAddress: k(pointed), authority: k(payer) }),
      tokenIx('updateMetadataPointer', { mint: k(m), authority: k(payer) }),
      tokenIx('updateGroupPointer', { mint: k(m), groupAddress: k(pointed), authority: k(payer) }),
      tokenIx('updateGroupMemberPointer', { mint: k(m), memberAddress: k(pointed), authority: k(payer) }),
      tokenIx('updateTransferHook', { mint: k(m), programId: k(hookProgram), authority: k(payer) }),
      // spl-token's builder lists the rate authority twice, so agave reads the second as a multisig signer.
      tokenIx('updateInterestBearingConfigRate', { mint: k(m), newRate: -30, multisigRateAuthority: k(payer), signers: [k(payer)] }),
      tokenIx('updateDefaultAccountState', { mint: k(m), accountState: 'frozen', freezeAuthority: k(payer) }),
    ]);
  });

  it('token metadata: update field, remove key, emit, update authority', async () => {
    const { mint } = await createMint2022([ExtensionType.MetadataPointer], (m) => [createInitializeMetadataPointerInstruction(m, payer.publicKey, m, TOKEN_2022_PROGRAM_ID)], metadataOn);
    const m = mint.publicKey;
    const programId = TOKEN_2022_PROGRAM_ID;
    const parsed = await sendParsed([
      createUpdateFieldInstruction({ programId, metadata: m, updateAuthority: payer.publicKey, field: 'name', value: 'Spicier' }),
      createUpdateFieldInstruction({ programId, metadata: m, updateAuthority: payer.publicKey, field: 'color', value: 'red' }),
      createRemoveKeyInstruction({ programId, metadata: m, updateAuthority: payer.publicKey, key: 'color', idempotent: false }),
      createRemoveKeyInstruction({ programId, metadata: m, updateAuthority: payer.publicKey, key: 'absent', idempotent: true }),
      createEmitInstruction({ programId, metadata: m, start: 1n }),
      createEmitInstruction({ programId, metadata: m }),
      createUpdateAuthorityInstruction({ programId, metadata: m, oldAuthority: payer.publicKey, newAuthority: null }),
    ]);
    const base = { metadata: k(m), updateAuthority: k(payer) };
    expect(parsed).toEqual([
      tokenIx('updateTokenMetadataField', { ...base, field: 'name', value: 'Spicier' }),
      tokenIx('updateTokenMetadataField', { ...base, field: 'color', value: 'red' }),
      tokenIx('removeTokenMetadataKey', { ...base, key: 'color', idempotent: false }),
      tokenIx('removeTokenMetadataKey', { ...base, key: 'absent', idempotent: true }),
      tokenIx('emitTokenMetadata', { metadata: k(m), start: 1 }),
      tokenIx('emitTokenMetadata', { metadata: k(m) }),
      tokenIx('updateTokenMetadataAuthority', { ...base, newAuthority: null }),
    ]);
  });

  it('transfer fees: transfer with fee, harvest, withdraw from mint and accounts, set fee', async () => {
    const { mint } = await createMint2022([ExtensionType.TransferFeeConfig], (m) => [
      createInitializeTransferFeeConfigInstruction(m, payer.publicKey, payer.publicKey, 100, 1_000n, TOKEN_2022_PROGRAM_ID),
    ]);
    const m = mint.publicKey;
    const alice = fresh();
    const aliceAta = await ata(m, alice.publicKey);
    const bobAta = await ata(m, fresh().publicKey);
    const p = TOKEN_2022_PROGRAM_ID;
    await sendParsed([createMintToInstruction(m, aliceAta, payer.publicKey, 1_000_000n, [], p)]);
    const moved = await sendParsed(
      [
        createTransferCheckedWithFeeInstruction(aliceAta, m, bobAta, alice.publicKey, 10_000n, 2, 100n, [], p),
        createHarvestWithheldTokensToMintInstruction(m, [bobAta], p),
        createWithdrawWithheldTokensFromMintInstruction(m, aliceAta, payer.publicKey, [], p),
        createTransferCheckedWithFeeInstruction(aliceAta, m, bobAta, alice.publicKey, 20_000n, 2, 200n, [], p),
        createWithdrawWithheldTokensFromAccountsInstruction(m, aliceAta, payer.publicKey, [], [bobAta], p),
        createSetTransferFeeInstruction(m, payer.publicKey, [], 50, 500n, p),
      ],
      [alice],
    );
    const transfer = (amount: bigint, fee: bigint) =>
      tokenIx('transferCheckedWithFee', { source: k(aliceAta), mint: k(m), destination: k(bobAta), tokenAmount: uiTokenAmount(amount, 2), feeAmount: uiTokenAmount(fee, 2), authority: k(alice) });
    expect(moved).toEqual([
      transfer(10_000n, 100n),
      tokenIx('harvestWithheldTokensToMint', { mint: k(m), sourceAccounts: [k(bobAta)] }),
      tokenIx('withdrawWithheldTokensFromMint', { mint: k(m), feeRecipient: k(aliceAta), withdrawWithheldAuthority: k(payer) }),
      transfer(20_000n, 200n),
      tokenIx('withdrawWithheldTokensFromAccounts', { mint: k(m), feeRecipient: k(aliceAta), withdrawWithheldAuthority: k(payer), sourceAccounts: [k(bobAta)] }),
      tokenIx('setTransferFee', { mint: k(m), transferFeeBasisPoints: 50, maximumFee: 500, transferFeeConfigAuthority: k(payer) }),
    ]);
  });

  it('token account extensions: reallocate, memo transfer and CPI guard toggles', async () => {
    const m = await createMint(chain.connection, payer, payer.publicKey, null, 0, undefined, undefined, TOKEN_2022_PROGRAM_ID);
    const alice = fresh();
    const account = await ata(m, alice.publicKey);
    const p = TOKEN_2022_PROGRAM_ID;
    const parsed = await sendParsed(
      [
        createReallocateInstruction(account, payer.publicKey, [ExtensionType.MemoTransfer, ExtensionType.CpiGuard], alice.publicKey, [], p),
        createEnableRequiredMemoTransfersInstruction(account, alice.publicKey, [], p),
        createDisableRequiredMemoTransfersInstruction(account, alice.publicKey, [], p),
        createEnableCpiGuardInstruction(account, alice.publicKey, [], p),
        createDisableCpiGuardInstruction(account, alice.publicKey, [], p),
      ],
      [alice],
    );
    const owned = { account: k(account), owner: k(alice) };
    expect(parsed.filter((ix) => ix.program === 'spl-token')).toEqual([
      tokenIx('reallocate', { ...owned, payer: k(payer), systemProgram: SYSTEM, extensionTypes: ['memoTransfer', 'cpiGuard'] }),
      tokenIx('enableRequiredMemoTransfers', owned),
      tokenIx('disableRequiredMemoTransfers', owned),
      tokenIx('enableCpiGuard', owned),
      tokenIx('disableCpiGuard', owned),
    ]);
    expect(parsed).toHaveLength(5);
  });
});

describe('the extension parser alone', () => {
  const keys = Array.from({ length: 8 }, () => fresh().publicKey);
  const [mint, authority, s0, s1, dest, src] = keys.map((key) => key.toBase58()) as [string, string, string, string, string, string];
  /** The parsed value of a built instruction, through the token program's parser. */
  const parse = (ix: TransactionInstruction) => parseInstruction(TOKEN_2022, ix.keys.map((key) => key.pubkey.toBase58()), ix.data)?.parsed ?? null;
  const multisig = [keys[2]!, keys[3]!];
  const p = TOKEN_2022_PROGRAM_ID;

  it('multisig authorities become multisig fields and signers', () => {
    const signers = { signers: [s0, s1] };
    expect(parse(createUpdateMetadataPointerInstruction(keys[0]!, keys[1]!, keys[4]!, multisig, p))).toEqual({
      type: 'updateMetadataPointer',
      info: { mint, metadataAddress: dest, multisigAuthority: authority, ...signers },
    });
    expect(parse(createSetTransferFeeInstruction(keys[0]!, keys[1]!, multisig, 7, 9n, p))).toEqual({
      type: 'setTransferFee',
      info: { mint, transferFeeBasisPoints: 7, maximumFee: 9, multisigtransferFeeConfigAuthority: authority, ...signers },
    });
    expect(parse(createWithdrawWithheldTokensFromAccountsInstruction(keys[0]!, keys[4]!, keys[1]!, multisig, [keys[5]!], p))).toEqual({
      type: 'withdrawWithheldTokensFromAccounts',
      info: { mint, feeRecipient: dest, multisigWithdrawWithheldAuthority: authority, ...signers, sourceAccounts: [src] },
    });
    expect(parse(createUpdateDefaultAccountStateInstruction(keys[0]!, AccountState.Frozen, keys[1]!, multisig, p))).toEqual({
      type: 'updateDefaultAccountState',
      info: { mint, accountState: 'frozen', multisigFreezeAuthority: authority, ...signers },
    });
    expect(parse(createEnableCpiGuardInstruction(keys[0]!, keys[1]!, multisig, p))).toEqual({ type: 'enableCpiGuard', info: { account: mint, multisigOwner: authority, ...signers } });
    expect(parse(createInitializeMintCloseAuthorityInstruction(keys[0]!, null, p))).toEqual({ type: 'initializeMintCloseAuthority', info: { mint, newAuthority: null } });
    expect(parse(createEmitInstruction({ programId: p, metadata: keys[0]!, end: 2n }))).toEqual({ type: 'emitTokenMetadata', info: { metadata: mint, end: 2 } });
  });

  it('malformed data and too few accounts stay unparsed, never throwing', () => {
    const accounts = keys.map((key) => key.toBase58());
    const data = (ix: TransactionInstruction) => new Uint8Array(ix.data);
    const pointer = data(createUpdateMetadataPointerInstruction(keys[0]!, keys[1]!, keys[4]!, [], p));
    const fee = data(createTransferCheckedWithFeeInstruction(keys[0]!, keys[1]!, keys[2]!, keys[3]!, 1n, 2, 0n, [], p));
    const metadata = data(createInitializeInstruction({ programId: p, metadata: keys[0]!, updateAuthority: keys[1]!, mint: keys[2]!, mintAuthority: keys[3]!, name: 'a', symbol: 'b', uri: 'c' }));
    const removeKey = data(createRemoveKeyInstruction({ programId: p, metadata: keys[0]!, updateAuthority: keys[1]!, key: 'k', idempotent: true }));
    const cases: Uint8Array[] = [
      pointer.subarray(0, pointer.length - 1), // short pod data
      Uint8Array.of(...pointer, 0), // trailing pod data
      Uint8Array.of(39, 2, ...pointer.subarray(2)), // unknown sub-instruction
      Uint8Array.of(28, 0, 3), // unknown account state
      Uint8Array.of(28, 0, 1, 0), // default account state too long
      Uint8Array.of(30), // memo transfer without a sub-instruction
      Uint8Array.of(34, 2), // unknown CPI guard toggle
      Uint8Array.of(25, 2), // bad COption tag
      Uint8Array.of(29, 1), // half an extension type
      Uint8Array.of(29, 0xff, 0xff), // unknown extension type
      Uint8Array.of(26, 6), // unknown transfer fee instruction
      fee.subarray(0, fee.length - 1), // truncated fee
      metadata.subarray(0, metadata.length - 1), // truncated string
      Uint8Array.of(...metadata, 0), // trailing Borsh data
      Uint8Array.of(...removeKey.subarray(0, 8), 2, ...removeKey.subarray(9)), // bool out of range
      Uint8Array.of(...metadata.subarray(0, 12), 0xff, ...metadata.subarray(13)), // name 0xff: invalid UTF-8
      metadata.subarray(0, 7), // partial discriminator
      Uint8Array.of(27, 0), // confidential transfers: not parsed
    ];
    for (const bytes of cases) expect(parseTokenExtensionInstruction(accounts, bytes)).toBeNull();
    // Too few accounts: update needs mint and authority; transfer with fee four; token metadata initialize four.
    expect(parseTokenExtensionInstruction(accounts.slice(0, 1), pointer)).toBeNull();
    expect(parseTokenExtensionInstruction(accounts.slice(0, 3), fee)).toBeNull();
    expect(parseTokenExtensionInstruction(accounts.slice(0, 3), metadata)).toBeNull();
    expect(parseTokenExtensionInstruction(accounts.slice(0, 4), metadata)).not.toBeNull();
    // Random data after every tag and discriminator never throws.
    const prefixes = [...Array.from({ length: 60 }, (_, tag) => [tag]), [...metadata.subarray(0, 8)], [...removeKey.subarray(0, 8)]];
    for (const prefix of prefixes) {
      for (let length = 0; length < 80; length += 7) {
        const bytes = Uint8Array.of(...prefix, ...Array.from({ length }, () => Math.floor(Math.random() * 256)));
        expect(() => parseTokenExtensionInstruction(accounts, bytes)).not.toThrow();
        expect(() => parseTokenExtensionInstruction([], bytes)).not.toThrow();
      }
    }
  });
});
