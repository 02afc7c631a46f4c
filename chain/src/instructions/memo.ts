/**
 * SPL Memo instructions as agave's `parse_instruction.rs` renders them: the `parsed` value is the
 * memo text itself, for every memo program version.
 */
import { utf8OrNull } from './byte-reader.ts';

/** Memo v1's program id. */
export const MEMO_V1_PROGRAM = 'Memo1UhkJRfHyvLMcVucJwxXeuD728EqVDDwQDxFMNo';
/** Memo v3's program id. */
export const MEMO_PROGRAM = 'MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr';

/** The memo text; null when the data is not valid UTF-8. Accounts (signers) are not shown. */
export const parseMemoInstruction = (_accounts: readonly string[], data: Uint8Array): string | null => utf8OrNull(data);
