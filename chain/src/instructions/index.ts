/**
 * Instructions as a validator's `jsonParsed` encoding renders them (agave's
 * `solana-transaction-status` `parse_instruction.rs`): for the programs it knows, the program name,
 * its id, the `parsed` value and the stack height; null otherwise, and the caller then renders the
 * instruction partially decoded.
 */
import { TOKEN_2022_PROGRAM, TOKEN_PROGRAM } from '../token.ts';
import { ASSOCIATED_TOKEN_PROGRAM, parseAssociatedTokenInstruction } from './associated-token.ts';
import { MEMO_PROGRAM, MEMO_V1_PROGRAM, parseMemoInstruction } from './memo.ts';
import type { ParsedInfo, ProgramParser } from './program-parser.ts';
import { parseSystemInstruction, SYSTEM_PROGRAM } from './system.ts';
import { parseTokenInstruction } from './token.ts';

export type { ParsedInfo } from './program-parser.ts';

/** A parsed instruction in a validator's JSON. */
export interface ParsedInstructionJson {
  parsed: ParsedInfo | string;
  program: string;
  programId: string;
  stackHeight: number | null;
}

/** Parsable programs by id: agave's program name (kebab case) and parser. */
const PROGRAMS: ReadonlyMap<string, { name: string; parse: ProgramParser; needsAccounts: boolean }> = new Map([
  [SYSTEM_PROGRAM, { name: 'system', parse: parseSystemInstruction, needsAccounts: true }],
  [TOKEN_PROGRAM, { name: 'spl-token', parse: parseTokenInstruction, needsAccounts: true }],
  [TOKEN_2022_PROGRAM, { name: 'spl-token', parse: parseTokenInstruction, needsAccounts: true }],
  [ASSOCIATED_TOKEN_PROGRAM, { name: 'spl-associated-token-account', parse: parseAssociatedTokenInstruction, needsAccounts: true }],
  [MEMO_V1_PROGRAM, { name: 'spl-memo', parse: parseMemoInstruction, needsAccounts: false }],
  [MEMO_PROGRAM, { name: 'spl-memo', parse: parseMemoInstruction, needsAccounts: false }],
]);

/**
 * Parses an instruction of a known program from its program id, resolved account keys (undefined
 * for an index outside the transaction's keys) and data. Null for unknown programs, malformed data,
 * too few accounts or an unresolved account; never throws.
 */
export function parseInstruction(programId: string, accounts: readonly (string | undefined)[], data: Uint8Array, stackHeight: number | null = null): ParsedInstructionJson | null {
  const program = PROGRAMS.get(programId);
  if (!program) return null;
  // Agave refuses an instruction whose account indexes fall outside the keys, and (for all but memo) one with no accounts.
  if (accounts.some((a) => a === undefined) || (program.needsAccounts && accounts.length === 0)) return null;
  const parsed = program.parse(accounts as readonly string[], data);
  return parsed === null ? null : { parsed, program: program.name, programId, stackHeight };
}
