/** Genesis (programs through the upgradeable loader, Token-2022 mints with metadata, wallet) and Anchor over RPC. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { AnchorProvider, BN } from '@coral-xyz/anchor';
import { getMint, getTokenMetadata, TOKEN_2022_PROGRAM_ID, getAssociatedTokenAddressSync } from '@solana/spl-token';
import { Keypair, PublicKey } from '@solana/web3.js';
import { configAddress, economyProgram, PROGRAM_IDS } from '@spicetime/sdk';
import { walletOf } from '@spicetime/sdk/litesvm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anchorPrograms, readGenesisConfig } from '../src/genesis.ts';
import { startChain, type TestChain } from './helpers.ts';

const LOADER = new PublicKey('BPFLoaderUpgradeab1e11111111111111111111111');
let chain: TestChain;
beforeAll(async () => {
  chain = await startChain();
});
afterAll(async () => {
  await chain.dispose();
});

describe('genesis', () => {
  it('creates the wallet file when missing (Solana CLI format)', () => {
    expect(chain.server.walletCreated).toBe(true);
    expect(existsSync(path.join(chain.dir, 'id.json'))).toBe(true);
    expect(chain.server.chain.genesis.wallet).toBe(chain.wallet.publicKey.toBase58());
  });

  it('deploys every Anchor.toml program through the upgradeable loader with the wallet as upgrade authority', async () => {
    const programs = anchorPrograms();
    expect(Object.keys(programs).length).toBeGreaterThan(0);
    for (const id of Object.values(programs)) {
      const program = await chain.connection.getAccountInfo(new PublicKey(id));
      expect(program?.executable).toBe(true);
      expect(program?.owner.equals(LOADER)).toBe(true);
      const programData = new PublicKey(program!.data.subarray(4, 36));
      const pd = await chain.connection.getAccountInfo(programData);
      // ProgramData: u32 tag 3, u64 slot, Option<Pubkey> upgrade authority
      expect(pd?.data.readUInt32LE(0)).toBe(3);
      expect(pd?.data[12]).toBe(1);
      expect(new PublicKey(pd!.data.subarray(13, 45)).equals(chain.wallet.publicKey)).toBe(true);
    }
    expect(programs.economy).toBe(PROGRAM_IDS.economy.toBase58());
  });

  it('getParsedAccountInfo shows a program and its program data as a validator parses them', async () => {
    for (const id of Object.values(anchorPrograms())) {
      const program = await chain.connection.getParsedAccountInfo(new PublicKey(id));
      const programData = ((await chain.connection.getAccountInfo(new PublicKey(id)))!.data as Buffer).subarray(4, 36);
      expect(program.value?.data).toEqual({ program: 'bpf-upgradeable-loader', parsed: { type: 'program', info: { programData: new PublicKey(programData).toBase58() } }, space: 36 });
      const raw = (await chain.connection.getAccountInfo(new PublicKey(programData)))!;
      const parsed = (await chain.connection.getParsedAccountInfo(new PublicKey(programData))).value!.data as { program: string; parsed: { type: string; info: { slot: number; authority: string; data: [string, string] } }; space: number };
      expect(parsed.program).toBe('bpf-upgradeable-loader');
      expect(parsed.space).toBe(raw.data.length);
      expect(parsed.parsed.type).toBe('programData');
      expect(parsed.parsed.info.slot).toBe(Number(raw.data.readBigUInt64LE(4)));
      expect(parsed.parsed.info.authority).toBe(chain.wallet.publicKey.toBase58());
      // The ELF after the 45-byte metadata, base64.
      expect(parsed.parsed.info.data[1]).toBe('base64');
      expect(Buffer.from(parsed.parsed.info.data[0], 'base64').equals(raw.data.subarray(45))).toBe(true);
    }
  });

  it('creates $UBC and $COMPUTE as Token-2022 mints with the configured metadata, supply and authority', async () => {
    const config = readGenesisConfig();
    for (const m of config.mints) {
      const info = chain.server.chain.genesis.mints[m.symbol]!;
      const mint = await getMint(chain.connection, new PublicKey(info.address), 'confirmed', TOKEN_2022_PROGRAM_ID);
      expect(mint.decimals).toBe(m.decimals);
      expect(mint.supply).toBe(BigInt(m.supply));
      expect(mint.mintAuthority?.toBase58() ?? 'none').toBe(m.mintAuthority === 'none' ? 'none' : chain.wallet.publicKey.toBase58());
      const md = await getTokenMetadata(chain.connection, new PublicKey(info.address), 'confirmed', TOKEN_2022_PROGRAM_ID);
      expect({ name: md?.name, symbol: md?.symbol, uri: md?.uri }).toEqual({ name: m.name, symbol: m.symbol, uri: m.uri });
      const ata = getAssociatedTokenAddressSync(new PublicKey(info.address), chain.wallet.publicKey, false, TOKEN_2022_PROGRAM_ID);
      expect((await chain.connection.getTokenAccountBalance(ata)).value.amount).toBe(m.supply);
    }
  });

  it('funds the configured wallets', async () => {
    expect(await chain.connection.getBalance(chain.wallet.publicKey)).toBeGreaterThan(1000 * 1e9);
  });
});

describe('@coral-xyz/anchor over RPC', () => {
  it('calls config_init on the economy program and fetches the config; a second init fails with the program logs', async () => {
    const provider = new AnchorProvider(chain.connection, walletOf(chain.wallet), { commitment: 'confirmed' });
    const economy = economyProgram(provider);
    const treasury = Keypair.generate().publicKey;
    const day = 86_400;
    const params = {
      burnBps: 50,
      treasuryFeeBps: 100,
      providerMinCollateral: new BN(1_000_000),
      unlockCooldown: new BN(7 * day),
      tierLockups: [new BN(0), new BN(90 * day), new BN(165 * day), new BN(365 * day)],
      tierRates: [new BN(0), new BN(300_000), new BN(500_000), new BN(1_000_000)],
    };
    const sig = await economy.methods.configInit(treasury, params).accounts({ admin: chain.wallet.publicKey }).rpc();
    const [config] = configAddress();
    const state = await economy.account.config.fetch(config);
    expect(state.admin.equals(chain.wallet.publicKey)).toBe(true);
    expect(state.treasury.equals(treasury)).toBe(true);
    const tx = await chain.connection.getTransaction(sig, { commitment: 'confirmed', maxSupportedTransactionVersion: 0 });
    expect(tx?.meta?.logMessages?.some((l) => l.startsWith(`Program ${PROGRAM_IDS.economy.toBase58()} consumed`))).toBe(true);
    expect(tx?.meta?.computeUnitsConsumed).toBeGreaterThan(0);
    const again = await economy.methods.configInit(treasury, params).accounts({ admin: chain.wallet.publicKey }).rpc().catch((e: unknown) => e as Error & { logs?: string[] });
    expect(again).toBeInstanceOf(Error);
    expect(String((again as Error & { logs?: string[] }).logs ?? (again as Error).message)).toContain(PROGRAM_IDS.economy.toBase58());
  });
});
