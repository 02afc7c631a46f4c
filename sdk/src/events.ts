import { BorshCoder, EventParser, type Idl, type Program } from '@coral-xyz/anchor';

/** An event decoded from a transaction's logs. */
export interface DecodedEvent {
  name: string;
  data: Record<string, unknown>;
}

/**
 * Decodes the events a program emitted from a transaction's log lines (`Program data: …` inside
 * that program's invocation), with Anchor's own `EventParser`.
 */
export function decodeEvents<T extends Idl>(program: Program<T>, logs: string[]): DecodedEvent[] {
  const parser = new EventParser(program.programId, new BorshCoder(program.idl));
  return [...parser.parseLogs(logs)].map((e) => ({ name: e.name, data: e.data as Record<string, unknown> }));
}
