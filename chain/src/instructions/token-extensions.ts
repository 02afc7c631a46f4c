/**
 * Token-2022 extension instructions and the SPL token-metadata interface instructions as agave's
 * `parse_token/extension/*.rs` renders them (program "spl-token"). `parseTokenInstruction` hands
 * over data whose tag the base instruction set does not know.
 *
 * Layouts: the token program's own (tag, then `COption<Pubkey>` as a tag byte and a key, u16 and
 * u64 little-endian) for mint close authority, permanent delegate, reallocate and transfer fees;
 * "pod" layouts (tag, sub-instruction byte, then fixed-size fields that must fill the data exactly,
 * an all-zero key meaning none) for the pointer, hook and interest-bearing extensions; Borsh after
 * an 8-byte discriminator for token metadata. Confidential transfer, token group, scaled UI amount,
 * pausable and permissioned burn instructions are not parsed (null: partially decoded).
 */
import { uiTokenAmount } from '../token.ts';
import { ByteReader, u64Json } from './byte-reader.ts';
import type { ParsedInfo } from './program-parser.ts';
import { EXTENSION_TYPES, type Info, result, type Variant, withSigners } from './token-common.ts';

/** An all-zero key: how a pod `OptionalNonZeroPubkey` says none. */
const ZERO_KEY = '11111111111111111111111111111111';

/** A pod `OptionalNonZeroPubkey`: 32 bytes, all zero for none. */
const optionalNonZeroPubkey = (r: ByteReader): string | null => {
  const key = r.pubkey();
  return key === ZERO_KEY ? null : key;
};

/** A pod little-endian i16. */
const i16 = (r: ByteReader): number => {
  const value = r.u16();
  return value >= 0x8000 ? value - 0x10000 : value;
};

/** Fails the reader unless every byte was read (pod data must fill the instruction exactly). */
const exact = (r: ByteReader): void => {
  if (r.remaining !== 0) r.fail();
};

/** Adds `key` only when `value` is set, as agave's optional fields. */
const withOptional = (info: Info, key: string, value: string | null): Info => (value === null ? info : { ...info, [key]: value });

/** Agave's `convert_account_state`, by `AccountState` byte. */
const ACCOUNT_STATES = ['uninitialized', 'initialized', 'frozen'] as const;

// Base-layout extension instructions.

const initializeMintCloseAuthority: Variant = (r, a) => {
  const newAuthority = r.pubkeyOption();
  return result(r, a, 1, 'initializeMintCloseAuthority', () => ({ mint: a[0], newAuthority }));
};

const initializePermanentDelegate: Variant = (r, a) => {
  const delegate = r.pubkey();
  return result(r, a, 1, 'initializePermanentDelegate', () => ({ mint: a[0], delegate }));
};

/** The rest of the data is a list of u16 extension types (possibly empty). */
const reallocate: Variant = (r, a) => {
  const extensionTypes: string[] = [];
  while (r.ok && r.remaining > 0) {
    const name = EXTENSION_TYPES[r.u16()];
    if (!name) r.fail();
    else extensionTypes.push(name);
  }
  return result(r, a, 4, 'reallocate', () => withSigners({ account: a[0], payer: a[1], systemProgram: a[2], extensionTypes }, a, 3, 'owner', 'multisigOwner'));
};

/** Agave's `TransferFeeInstruction::unpack`: a sub-instruction byte, then the variant's fields. */
const transferFee: Variant = (r, a) => {
  switch (r.u8()) {
    case 0: {
      const transferFeeConfigAuthority = r.pubkeyOption();
      const withdrawWithheldAuthority = r.pubkeyOption();
      const transferFeeBasisPoints = r.u16();
      const maximumFee = u64Json(r.u64());
      return result(r, a, 1, 'initializeTransferFeeConfig', () =>
        withOptional(withOptional({ mint: a[0], transferFeeBasisPoints, maximumFee }, 'transferFeeConfigAuthority', transferFeeConfigAuthority), 'withdrawWithheldAuthority', withdrawWithheldAuthority),
      );
    }
    case 1: {
      const amount = r.u64();
      const decimals = r.u8();
      const fee = r.u64();
      return result(r, a, 4, 'transferCheckedWithFee', () =>
        withSigners(
          { source: a[0], mint: a[1], destination: a[2], tokenAmount: uiTokenAmount(amount, decimals), feeAmount: uiTokenAmount(fee, decimals) },
          a,
          3,
          'authority',
          'multisigAuthority',
        ),
      );
    }
    case 2:
      return result(r, a, 3, 'withdrawWithheldTokensFromMint', () =>
        withSigners({ mint: a[0], feeRecipient: a[1] }, a, 2, 'withdrawWithheldAuthority', 'multisigWithdrawWithheldAuthority'),
      );
    case 3: {
      // The last `numTokenAccounts` accounts are the sources; the signers sit between.
      const numTokenAccounts = r.u8();
      return result(r, a, 3 + numTokenAccounts, 'withdrawWithheldTokensFromAccounts', () => {
        const firstSource = Math.max(0, a.length - numTokenAccounts);
        const info = { mint: a[0], feeRecipient: a[1], sourceAccounts: a.slice(firstSource) };
        return withSigners(info, a.slice(0, firstSource), 2, 'withdrawWithheldAuthority', 'multisigWithdrawWithheldAuthority');
      });
    }
    case 4:
      return result(r, a, 1, 'harvestWithheldTokensToMint', () => ({ mint: a[0], sourceAccounts: a.slice(1) }));
    case 5: {
      const transferFeeBasisPoints = r.u16();
      const maximumFee = u64Json(r.u64());
      // Agave spells the multisig field with a lower-case "t".
      return result(r, a, 2, 'setTransferFee', () =>
        withSigners({ mint: a[0], transferFeeBasisPoints, maximumFee }, a, 1, 'transferFeeConfigAuthority', 'multisigtransferFeeConfigAuthority'),
      );
    }
    default:
      return null;
  }
};

// Pod-layout extension instructions: a sub-instruction byte, then fields filling the data exactly.

/** Exactly a sub-instruction byte (0 initialize, 1 update) and an `AccountState` byte. */
const defaultAccountState: Variant = (r, a) => {
  const instruction = r.u8();
  const accountState = ACCOUNT_STATES[r.u8()];
  exact(r);
  if (!accountState) return null;
  if (instruction === 0) return result(r, a, 1, 'initializeDefaultAccountState', () => ({ mint: a[0], accountState }));
  if (instruction === 1)
    return result(r, a, 2, 'updateDefaultAccountState', () => withSigners({ mint: a[0], accountState }, a, 1, 'freezeAuthority', 'multisigFreezeAuthority'));
  return null;
};

/** Memo-transfer and CPI-guard toggles: 0 enable, 1 disable (trailing bytes ignored), on a token account. */
const accountToggle =
  (suffix: string): Variant =>
  (r, a) => {
    const instruction = r.u8();
    const verb = instruction === 0 ? 'enable' : instruction === 1 ? 'disable' : null;
    if (verb === null) return null;
    return result(r, a, 2, `${verb}${suffix}`, () => withSigners({ account: a[0] }, a, 1, 'owner', 'multisigOwner'));
  };

const interestBearingMint: Variant = (r, a) => {
  const instruction = r.u8();
  if (instruction === 0) {
    const rateAuthority = optionalNonZeroPubkey(r);
    const rate = i16(r);
    exact(r);
    return result(r, a, 1, 'initializeInterestBearingConfig', () => ({ mint: a[0], rateAuthority, rate }));
  }
  if (instruction === 1) {
    const newRate = i16(r);
    exact(r);
    return result(r, a, 2, 'updateInterestBearingConfigRate', () => withSigners({ mint: a[0], newRate }, a, 1, 'rateAuthority', 'multisigRateAuthority'));
  }
  return null;
};

/**
 * The pointer-style extensions (metadata, group and member pointers, transfer hook): initialize
 * carries an optional authority and an optional address, update the address alone; each optional
 * field only when set.
 */
const pointer =
  (name: string, addressField: string): Variant =>
  (r, a) => {
    const instruction = r.u8();
    if (instruction === 0) {
      const authority = optionalNonZeroPubkey(r);
      const address = optionalNonZeroPubkey(r);
      exact(r);
      return result(r, a, 1, `initialize${name}`, () => withOptional(withOptional({ mint: a[0] }, 'authority', authority), addressField, address));
    }
    if (instruction === 1) {
      const address = optionalNonZeroPubkey(r);
      exact(r);
      return result(r, a, 2, `update${name}`, () => withSigners(withOptional({ mint: a[0] }, addressField, address), a, 1, 'authority', 'multisigAuthority'));
    }
    return null;
  };

/** Extension `TokenInstruction` variants by tag. */
const EXTENSION_VARIANTS: ReadonlyMap<number, Variant> = new Map([
  [25, initializeMintCloseAuthority],
  [26, transferFee],
  [28, defaultAccountState],
  [29, reallocate],
  [30, accountToggle('RequiredMemoTransfers')],
  [33, interestBearingMint],
  [34, accountToggle('CpiGuard')],
  [35, initializePermanentDelegate],
  [36, pointer('TransferHook', 'programId')],
  [39, pointer('MetadataPointer', 'metadataAddress')],
  [40, pointer('GroupPointer', 'groupAddress')],
  [41, pointer('GroupMemberPointer', 'memberAddress')],
]);

// Token-metadata interface instructions: an 8-byte discriminator, then Borsh data that must be consumed exactly.

/** A Borsh string: u32 length, then UTF-8 bytes. */
const borshString = (r: ByteReader): string => r.utf8(r.u32());

/** A Borsh bool: one byte, 0 or 1. */
const borshBool = (r: ByteReader): boolean => {
  const byte = r.u8();
  if (byte > 1) r.fail();
  return byte === 1;
};

/** A Borsh `Option<u64>`: tag byte 0 (none) or 1 and the value. */
const borshOptionU64 = (r: ByteReader): number | bigint | null => {
  const tag = r.u8();
  if (tag === 1) return u64Json(r.u64());
  if (tag !== 0) r.fail();
  return null;
};

/** Agave's `token_metadata_field_to_string`: a Borsh `Field` enum, 3 being a custom key. */
const metadataField = (r: ByteReader): string => {
  const variant = r.u8();
  if (variant === 3) return borshString(r);
  const fixed = (['name', 'symbol', 'uri'] as const)[variant];
  if (!fixed) r.fail();
  return fixed ?? '';
};

/** Runs a metadata variant's reads, then requires that they consumed the data exactly. */
const borsh =
  (read: Variant): Variant =>
  (r, a) => {
    const parsed = read(r, a);
    return parsed !== null && r.remaining === 0 ? parsed : null;
  };

const initializeTokenMetadata: Variant = (r, a) => {
  const name = borshString(r);
  const symbol = borshString(r);
  const uri = borshString(r);
  return result(r, a, 4, 'initializeTokenMetadata', () => ({ metadata: a[0], updateAuthority: a[1], mint: a[2], mintAuthority: a[3], name, symbol, uri }));
};

const updateTokenMetadataField: Variant = (r, a) => {
  const field = metadataField(r);
  const value = borshString(r);
  return result(r, a, 2, 'updateTokenMetadataField', () => ({ metadata: a[0], updateAuthority: a[1], field, value }));
};

const removeTokenMetadataKey: Variant = (r, a) => {
  const idempotent = borshBool(r);
  const key = borshString(r);
  return result(r, a, 2, 'removeTokenMetadataKey', () => ({ metadata: a[0], updateAuthority: a[1], key, idempotent }));
};

const updateTokenMetadataAuthority: Variant = (r, a) => {
  const newAuthority = optionalNonZeroPubkey(r);
  return result(r, a, 2, 'updateTokenMetadataAuthority', () => ({ metadata: a[0], updateAuthority: a[1], newAuthority }));
};

const emitTokenMetadata: Variant = (r, a) => {
  const start = borshOptionU64(r);
  const end = borshOptionU64(r);
  return result(r, a, 1, 'emitTokenMetadata', () => {
    const info: Info = { metadata: a[0] };
    if (start !== null) info.start = start;
    if (end !== null) info.end = end;
    return info;
  });
};

/** Metadata variants by discriminator (the first 8 bytes of sha256 of their `spl_token_metadata_interface:` names), as hex. */
const METADATA_VARIANTS: ReadonlyMap<string, Variant> = new Map([
  ['d2e11ea258b84d8d', borsh(initializeTokenMetadata)],
  ['dde9312db5cadcc8', borsh(updateTokenMetadataField)],
  ['ea122038598d25b5', borsh(removeTokenMetadataKey)],
  ['d7e4a6e45464567b', borsh(updateTokenMetadataAuthority)],
  ['faa6b4fa0d0cb846', borsh(emitTokenMetadata)],
]);

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

/**
 * Parses a Token-2022 extension instruction or a token-metadata interface instruction; null for
 * anything else, malformed data or too few accounts. Never throws.
 */
export function parseTokenExtensionInstruction(accounts: readonly string[], data: Uint8Array): ParsedInfo | null {
  if (data.length === 0) return null;
  const r = new ByteReader(data);
  const variant = EXTENSION_VARIANTS.get(r.u8());
  if (variant) return variant(r, accounts);
  if (data.length < 8) return null;
  const metadata = METADATA_VARIANTS.get(hex(data.subarray(0, 8)));
  return metadata ? metadata(new ByteReader(data.subarray(8)), accounts) : null;
}
