import { type Program } from '@coral-xyz/anchor';
import { address } from '@solana/kit';
import { Keypair, PublicKey, SystemProgram, Transaction, TransactionInstruction } from '@solana/web3.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { type Economy, PROGRAM_IDS, configAddress, decodeEvents, defaultParams, economyProgram } from '../src/index.ts';
import { LiteSvmProvider, localChain, walletOf } from '../src/litesvm/index.ts';
import { expectAnchorError } from './anchor-errors.ts';

const TREASURY = Keypair.generate().publicKey;

describe('economy config', () => {
  let provider: LiteSvmProvider;
  let program: Program<Economy>;
  const [config, bump] = configAddress();

  beforeEach(() => {
    // Given the economy program deployed through the upgradeable loader at its Anchor.toml id
    provider = localChain(['economy']);
    program = economyProgram(provider);
  });

  const params = (burnBps: number, treasuryFeeBps: number) => ({ ...defaultParams(9), burnBps, treasuryFeeBps });
  const init = (burnBps = 50, feeBps = 100) =>
    program.methods.configInit(TREASURY, params(burnBps, feeBps)).accounts({ admin: provider.publicKey }).rpc();

  /** An instruction Anchor built, for tampering with before sending it raw. */
  const initIx = (burnBps = 50, feeBps = 100) =>
    program.methods.configInit(TREASURY, params(burnBps, feeBps)).accounts({ admin: provider.publicKey }).instruction();

  it('config_init creates the config, readable through the Anchor client, and emits an event', async () => {
    // When the admin initialises the config
    await init(50, 100);

    // Then the account reads back through Anchor's coder
    const account = await program.account.config.fetch(config);
    expect(account.admin.toBase58()).toBe(provider.publicKey.toBase58());
    expect(account.treasury.toBase58()).toBe(TREASURY.toBase58());
    expect(account.params.burnBps).toBe(50);
    expect(account.params.treasuryFeeBps).toBe(100);
    expect(account.params.tierRates.map(String)).toEqual(['0', '300000000', '500000000', '1000000000']);
    expect(account.bump).toBe(bump);
    expect(account.paused).toBe(false);
    // And the account has exactly the size the IDL describes
    const raw = provider.svm.getAccount(address(config.toBase58()));
    expect(raw.exists && raw.data.length).toBe(program.account.config.size);
    // And Anchor's EventParser decodes the event with the post-change values
    const events = decodeEvents(program, provider.last!.logs);
    expect(events.map((e) => e.name)).toEqual(['configInitialized']);
    expect((events[0]!.data.admin as PublicKey).toBase58()).toBe(provider.publicKey.toBase58());
    expect((events[0]!.data.params as { burnBps: number }).burnBps).toBe(50);
    expect((events[0]!.data.params as { treasuryFeeBps: number }).treasuryFeeBps).toBe(100);
  });

  it('rejects a burn rate over the bound with AnchorError BurnBpsExceeded, creating nothing', async () => {
    const error = await expectAnchorError(() => init(1001, 0), 'BurnBpsExceeded', 6000);
    expect(error.error.errorMessage).toBe('burn rate above the maximum (1000 bps)');
    expect(provider.svm.getAccount(address(config.toBase58())).exists).toBe(false);
  });

  it('rejects a treasury fee over the bound', async () => {
    await expectAnchorError(() => init(0, 1001), 'TreasuryFeeBpsExceeded', 6001);
  });

  it('cannot be initialised twice', async () => {
    await init();
    await expectAnchorError(() => init(10, 10), 'AccountDiscriminatorAlreadySet', 3000);
    expect((await program.account.config.fetch(config)).params.burnBps).toBe(50);
  });

  it('survives a griefer pre-funding the config address', async () => {
    // Given someone sent lamports to the config PDA before it was created
    const griefer = Keypair.generate();
    provider.svm.airdrop(address(griefer.publicKey.toBase58()), 1_000_000_000n as never);
    provider.execute(new Transaction().add(SystemProgram.transfer({ fromPubkey: griefer.publicKey, toPubkey: config, lamports: 2_000_000 })), [griefer]);
    // When the admin initialises, Then it still works
    await init();
    expect((await program.account.config.fetch(config)).params.burnBps).toBe(50);
  });

  it('config_update changes the rates for the admin and emits an event', async () => {
    await init();
    await program.methods.configUpdate(params(25, 75)).accounts({ admin: provider.publicKey }).rpc();
    const account = await program.account.config.fetch(config);
    expect([account.params.burnBps, account.params.treasuryFeeBps]).toEqual([25, 75]);
    const [event] = decodeEvents(program, provider.last!.logs);
    expect(event).toMatchObject({ name: 'configUpdated', data: { params: { burnBps: 25, treasuryFeeBps: 75 } } });
  });

  it('config_update by anyone but the admin fails with AdminMismatch', async () => {
    await init();
    const stranger = Keypair.generate();
    provider.svm.airdrop(address(stranger.publicKey.toBase58()), 1_000_000_000n as never);
    const strangerProgram = economyProgram(new LiteSvmProvider(provider.svm, walletOf(stranger)));
    await expectAnchorError(
      () => strangerProgram.methods.configUpdate(params(1, 1)).accounts({ admin: stranger.publicKey }).rpc(),
      'AdminMismatch',
      6002,
    );
    expect((await program.account.config.fetch(config)).params.burnBps).toBe(50);
  });

  describe('account checks', () => {
    const sendRaw = (ix: TransactionInstruction, signers: Keypair[] = []) => provider.execute(new Transaction().add(ix), signers);

    it('rejects a missing signer', async () => {
      await init();
      const ix = await program.methods.configUpdate(params(1, 1)).accounts({ admin: provider.publicKey }).instruction();
      const admin = Keypair.generate();
      ix.keys[1] = { pubkey: admin.publicKey, isSigner: false, isWritable: false };
      await expectAnchorError(() => sendRaw(ix), 'AccountNotSigner', 3010);
    });

    it('rejects a read-only config', async () => {
      const ix = await initIx();
      ix.keys[0]!.isWritable = false;
      await expectAnchorError(() => sendRaw(ix), 'AccountNotMutable', 3006);
    });

    it('rejects an address that is not the config PDA', async () => {
      const ix = await initIx();
      ix.keys[0]!.pubkey = Keypair.generate().publicKey;
      await expectAnchorError(() => sendRaw(ix), 'ConstraintSeeds', 2006);
    });

    it('rejects an arbitrary program passed as the System program', async () => {
      const ix = await initIx();
      ix.keys[2]!.pubkey = PROGRAM_IDS.economy;
      await expectAnchorError(() => sendRaw(ix), 'ConstraintAddress', 2012);
    });

    it('rejects one account in two writable slots', async () => {
      const ix = await initIx();
      ix.keys[0]!.pubkey = provider.publicKey;
      await expectAnchorError(() => sendRaw(ix), 'ConstraintDuplicateMutableAccount', 2040);
    });

    it('rejects too few accounts', async () => {
      const ix = await initIx();
      ix.keys.pop();
      await expectAnchorError(() => sendRaw(ix), 'AccountNotEnoughKeys', 3005);
    });

    /** Plants account data at the config PDA, as a malicious or buggy state would. */
    const plantConfig = (data: Uint8Array, owner = PROGRAM_IDS.economy) =>
      provider.svm.setAccount({
        address: address(config.toBase58()),
        lamports: 10_000_000n as never,
        data,
        space: BigInt(data.length),
        programAddress: address(owner.toBase58()),
        executable: false,
      });

    it('rejects a config owned by another program', async () => {
      await init();
      const real = provider.svm.getAccount(address(config.toBase58()));
      plantConfig(Uint8Array.from(real.exists ? real.data : []), Keypair.generate().publicKey);
      await expectAnchorError(
        () => program.methods.configUpdate(params(1, 1)).accounts({ admin: provider.publicKey }).rpc(),
        'AccountOwnedByWrongProgram',
        3007,
      );
    });

    it('rejects an account of another type with the same size', async () => {
      await init();
      const real = provider.svm.getAccount(address(config.toBase58()));
      const forged = Uint8Array.from(real.exists ? real.data : []);
      forged.set([1, 2, 3, 4, 5, 6, 7, 8], 0);
      plantConfig(forged);
      await expectAnchorError(
        () => program.methods.configUpdate(params(1, 1)).accounts({ admin: provider.publicKey }).rpc(),
        'AccountDiscriminatorMismatch',
        3002,
      );
    });
  });

  describe('config bytes', () => {
    /** The config as stored and a copy with `paused` set to `byte` (its offset found by the IDL coder). */
    const withPausedByte = async (byte: number) => {
      const real = provider.svm.getAccount(address(config.toBase58()));
      const data = Uint8Array.from(real.exists ? real.data : []);
      const decoded = program.coder.accounts.decode('config', Buffer.from(data));
      const [off, on] = await Promise.all([false, true].map((paused) => program.coder.accounts.encode('config', { ...decoded, paused })));
      const changed = Uint8Array.from(data);
      changed[off.findIndex((b, i) => b !== on[i])] = byte;
      return { data, changed };
    };
    const plant = (data: Uint8Array) =>
      provider.svm.setAccount({ address: address(config.toBase58()), lamports: 10_000_000n as never, data, space: BigInt(data.length), programAddress: address(PROGRAM_IDS.economy.toBase58()), executable: false });
    const update = () => program.methods.configUpdate(params(1, 1)).accounts({ admin: provider.publicKey }).rpc();

    it('rejects a config whose bytes hold no value (a bool of 2), read in place', async () => {
      await init();
      const { changed, data } = await withPausedByte(2);
      plant(changed);
      await expectAnchorError(update, 'AccountDidNotDeserialize', 3003);
      // the bytes as they were are accepted again
      plant(data);
      await update();
    });

    it('rejects a truncated config', async () => {
      await init();
      const { data } = await withPausedByte(0);
      plant(data.subarray(0, data.length - 1));
      await expectAnchorError(update, 'AccountDidNotDeserialize', 3003);
    });
  });

  describe('instruction data', () => {
    const raw = (data: Buffer) =>
      provider.execute(new Transaction().add(new TransactionInstruction({ programId: PROGRAM_IDS.economy, keys: [], data })));

    it('rejects data shorter than a discriminator', async () => {
      await expectAnchorError(() => raw(Buffer.from([1, 2, 3])), 'InstructionMissing', 100);
    });

    it('rejects an unknown discriminator', async () => {
      await expectAnchorError(() => raw(Buffer.alloc(8, 7)), 'InstructionFallbackNotFound', 101);
    });

    it('rejects truncated and trailing argument bytes', async () => {
      const ix = await initIx();
      for (const data of [ix.data.subarray(0, ix.data.length - 1), Buffer.concat([ix.data, Buffer.from([0])])]) {
        await expectAnchorError(() => provider.execute(new Transaction().add(new TransactionInstruction({ ...ix, data }))), 'InstructionDidNotDeserialize', 102);
      }
    });
  });

  it('refuses to run at a program id other than the declared one', async () => {
    // Given the same binary deployed at a random id
    const { deployUpgradeable, programElf } = await import('../src/litesvm/index.ts');
    const other = Keypair.generate();
    deployUpgradeable(provider, other, programElf('economy'));
    const ix = await initIx();
    await expectAnchorError(
      () => provider.execute(new Transaction().add(new TransactionInstruction({ ...ix, programId: other.publicKey }))),
      'DeclaredProgramIdMismatch',
      4100,
    );
  });
});
