import { BorshCoder, type Idl, type Program } from '@coral-xyz/anchor';

/** An event decoded from a transaction's logs. */
export interface DecodedEvent {
  name: string;
  data: Record<string, unknown>;
}

const INVOKE = /^Program ([1-9A-HJ-NP-Za-km-z]+) invoke \[\d+\]$/;
const EXIT = /^Program ([1-9A-HJ-NP-Za-km-z]+) (success|failed)/;
const DATA = 'Program data: ';

/**
 * Decodes the events a program emitted from a transaction's log lines: each `Program data: …`
 * line logged while that program was the one executing, whether the transaction called it or
 * another program did through a CPI (the marketplace calling the economy program). Anchor's
 * `EventParser` misses events of a program invoked through a CPI, so the invocation stack is
 * followed here; the payloads are decoded with Anchor's own coder.
 */
export function decodeEvents<T extends Idl>(program: Program<T>, logs: string[]): DecodedEvent[] {
  const coder = new BorshCoder(program.idl);
  const id = program.programId.toBase58();
  const stack: string[] = [];
  const events: DecodedEvent[] = [];
  for (const log of logs) {
    const invoked = INVOKE.exec(log);
    if (invoked) {
      stack.push(invoked[1]!);
    } else if (EXIT.test(log)) {
      stack.pop();
    } else if (log.startsWith(DATA) && stack.at(-1) === id) {
      const event = coder.events.decode(log.slice(DATA.length));
      if (event) events.push({ name: event.name, data: event.data as Record<string, unknown> });
    }
  }
  return events;
}
