import { address } from '@solana/kit';
import {
  TOKEN_2022_PROGRAM_ID,
  createAssociatedTokenAccountIdempotentInstruction,
  createTransferCheckedInstruction,
  getAssociatedTokenAddressSync,
} from '@solana/spl-token';
import { ComputeBudgetProgram, Keypair, type PublicKey, Transaction, type TransactionInstruction } from '@solana/web3.js';
import { marketplaceIdl } from '../src/index.ts';
import type { LiteSvmProvider } from '../src/litesvm/index.ts';
import type { MarketFixture } from './market-fixture.ts';

/** Sends one raw instruction (after a compute limit large enough for the Token-2022 CPIs) from `provider`'s wallet. */
export function sendRaw(provider: LiteSvmProvider, ix: TransactionInstruction, signers: Keypair[] = []) {
  return provider.execute(new Transaction().add(ComputeBudgetProgram.setComputeUnitLimit({ units: 400_000 }), ix), signers);
}

/** An account's raw state, or null when it does not exist. */
export function rawAccount(f: MarketFixture, key: PublicKey) {
  const a = f.provider.svm.getAccount(address(key.toBase58()));
  return a.exists ? { data: Uint8Array.from(a.data), owner: a.programAddress as string, lamports: BigInt(a.lamports) } : null;
}

/** Writes account data at `key`, owned by `owner`, as a malicious or buggy state would. */
export function plantAccount(f: MarketFixture, key: PublicKey, data: Uint8Array, owner: PublicKey | string, lamports = 10_000_000n) {
  f.provider.svm.setAccount({
    address: address(key.toBase58()),
    lamports: lamports as never,
    data,
    space: BigInt(data.length),
    programAddress: address(typeof owner === 'string' ? owner : owner.toBase58()),
    executable: false,
  });
}

/** Runs `body` with `key` replaced by planted data, then puts the real account back. */
export async function withPlanted<T>(f: MarketFixture, key: PublicKey, data: Uint8Array, owner: PublicKey | string, body: () => Promise<T>): Promise<T> {
  const real = rawAccount(f, key);
  if (!real) throw new Error(`nothing to plant over at ${key.toBase58()}`);
  plantAccount(f, key, data, owner);
  try {
    return await body();
  } finally {
    plantAccount(f, key, real.data, real.owner, real.lamports);
  }
}

/** `holder`'s associated account of layer mint `mint`. */
export function layerHolding(mint: PublicKey, holder: PublicKey): PublicKey {
  return getAssociatedTokenAddressSync(mint, holder, true, TOKEN_2022_PROGRAM_ID);
}

/** Moves the one layer token from `from` (who signs and pays) to `to`'s associated account, created first. */
export function transferLayerToken(from: { provider: LiteSvmProvider; publicKey: PublicKey }, mint: PublicKey, to: PublicKey): PublicKey {
  const destination = layerHolding(mint, to);
  from.provider.execute(
    new Transaction().add(
      createAssociatedTokenAccountIdempotentInstruction(from.publicKey, destination, to, mint, TOKEN_2022_PROGRAM_ID),
      createTransferCheckedInstruction(layerHolding(mint, from.publicKey), mint, destination, from.publicKey, 1n, 0, [], TOKEN_2022_PROGRAM_ID),
    ),
  );
  return destination;
}

/** Creates `owner`'s (empty) associated account of layer mint `mint`, paid by `payer`. */
export function emptyLayerHolding(payer: { provider: LiteSvmProvider; publicKey: PublicKey }, mint: PublicKey, owner: PublicKey): PublicKey {
  const account = layerHolding(mint, owner);
  payer.provider.execute(new Transaction().add(createAssociatedTokenAccountIdempotentInstruction(payer.publicKey, account, owner, mint, TOKEN_2022_PROGRAM_ID)));
  return account;
}

/** Lower-case hex of bytes. */
export const hex = (b: Uint8Array | number[]) => Buffer.from(b).toString('hex');

/** Base58 text of a key in an event or account. */
export const b58 = (k: unknown) => (k as PublicKey).toBase58();

/** Decimal text of a BN, bigint or number in an event or account. */
export const str = (n: unknown) => String(n);

/** Index of the account named `name` in an instruction of the marketplace IDL. */
export function slot(instruction: string, name: string): number {
  const ix = (marketplaceIdl.instructions as unknown as { name: string; accounts: { name: string }[] }[]).find((i) => i.name === instruction)!;
  const i = ix.accounts.findIndex((a) => a.name === name);
  if (i < 0) throw new Error(`${instruction} has no account ${name}`);
  return i;
}

/** Replaces the account in `ix`'s slot `name` with a fresh key that does not sign. */
export function unsign(ix: TransactionInstruction, instruction: string, name: string) {
  const i = slot(instruction, name);
  ix.keys[i] = { pubkey: Keypair.generate().publicKey, isSigner: false, isWritable: ix.keys[i]!.isWritable };
  return ix;
}
