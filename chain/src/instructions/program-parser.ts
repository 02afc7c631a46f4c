/** The contract each program's instruction parser implements, after agave's `ParsedInstructionEnum`. */

/** A parsed instruction's `parsed` field: its `type` and `info`. */
export interface ParsedInfo {
  type: string;
  info: Record<string, unknown>;
}

/**
 * Parses one program's instruction from its resolved account keys and data into a `parsed` value
 * (a `ParsedInfo`, or the memo text); null when the data or the accounts do not fit, and the caller
 * then renders the instruction partially decoded.
 */
export type ProgramParser = (accounts: readonly string[], data: Uint8Array) => ParsedInfo | string | null;

/** Whether the instruction names at least `n` accounts (agave's `check_num_accounts`). */
export const hasAccounts = (accounts: readonly string[], n: number): boolean => accounts.length >= n;
