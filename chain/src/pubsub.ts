/**
 * Solana PubSub over WebSocket: account, program, logs, signature, slot and root subscriptions
 * with their unsubscribes. Notifications go out once a block is durable (published).
 */
import { createServer, type Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Chain, Commit } from './chain.ts';
import { ACCOUNT_ENCODINGS, type AccountEncoding, dataSlice, encodeAccount } from './encoding.ts';
import type { AccountState } from './engine.ts';
import { InvalidParamsError, InvalidRequestError, MethodNotFoundError, ParseError } from './errors.ts';
import type { Block, TxRecord } from './history.ts';
import { stringify } from './json.ts';
import { parseFilters } from './methods/accounts.ts';
import { config, encoding, paramList, pubkey, signature } from './params.ts';
import { errorObject } from './rpc-handler.ts';

type Kind = 'account' | 'program' | 'logs' | 'signature' | 'slot' | 'root';

interface Sub {
  id: number;
  kind: Kind;
  ws: WebSocket;
  key?: string;
  enc?: AccountEncoding;
  slice?: ReturnType<typeof dataSlice>;
  filters?: ((a: AccountState) => boolean)[];
  mentions?: string | null;
}

const MAX_BUFFERED = 32 * 1024 * 1024;
/** Largest WebSocket message accepted. */
export const MAX_WS_MESSAGE = 64 * 1024;

/** Subscriptions over a chain, served on an HTTP server's WebSocket upgrade. */
export class PubSub {
  readonly server: Server;
  private readonly wss: WebSocketServer;
  private nextId = 0;
  private readonly byId = new Map<number, Sub>();
  private readonly accounts = new Map<string, Set<Sub>>();
  private readonly programs = new Map<string, Set<Sub>>();
  private readonly signatures = new Map<string, Set<Sub>>();
  private readonly logs = new Set<Sub>();
  private readonly slots = new Set<Sub>();
  private readonly offCommit: () => void;
  private readonly offSlot: () => void;

  constructor(readonly chain: Chain) {
    this.server = createServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain' });
      res.end('WebSocket only');
    });
    this.wss = new WebSocketServer({ server: this.server, maxPayload: MAX_WS_MESSAGE });
    this.wss.on('connection', (ws) => this.connect(ws));
    this.offCommit = chain.onCommit((c) => this.commit(c));
    this.offSlot = chain.onSlot((b) => this.slot(b));
  }

  /** Number of live subscriptions (for tests and stats). */
  get size(): number {
    return this.byId.size;
  }

  /** Closes every connection and stops listening to the chain. */
  async close(): Promise<void> {
    this.offCommit();
    this.offSlot();
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((r) => this.wss.close(() => r()));
  }

  private connect(ws: WebSocket): void {
    const mine = new Set<number>();
    ws.on('message', (raw) => {
      let msg: unknown;
      try {
        msg = JSON.parse(raw.toString());
      } catch {
        return this.send(ws, { jsonrpc: '2.0', error: errorObject(new ParseError()), id: null });
      }
      const reqs = Array.isArray(msg) ? msg : [msg];
      for (const r of reqs) this.request(ws, r, mine);
    });
    ws.on('close', () => {
      for (const id of mine) this.remove(id);
    });
    ws.on('error', () => ws.terminate());
  }

  private send(ws: WebSocket, msg: unknown): void {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED) return void ws.terminate();
    ws.send(stringify(msg));
  }

  private request(ws: WebSocket, req: unknown, mine: Set<number>): void {
    const r = req as { jsonrpc?: unknown; method?: unknown; params?: unknown; id?: unknown };
    const id = r && typeof r === 'object' && (typeof r.id === 'number' || typeof r.id === 'string') ? r.id : null;
    if (!r || typeof r !== 'object' || r.jsonrpc !== '2.0' || typeof r.method !== 'string') {
      return this.send(ws, { jsonrpc: '2.0', error: errorObject(new InvalidRequestError()), id });
    }
    if (!('id' in r)) return; // a notification (web3.js pings): nothing to answer
    try {
      const params = paramList(r.params);
      const result = this.dispatch(ws, r.method, params, mine);
      this.send(ws, { jsonrpc: '2.0', result: result.value, id });
      result.after?.();
    } catch (e) {
      this.send(ws, { jsonrpc: '2.0', error: errorObject(e), id });
    }
  }

  private add(sub: Omit<Sub, 'id'>, mine: Set<number>): Sub {
    const s: Sub = { ...sub, id: this.nextId++ };
    this.byId.set(s.id, s);
    mine.add(s.id);
    const into = (m: Map<string, Set<Sub>>, k: string) => {
      let set = m.get(k);
      if (!set) m.set(k, (set = new Set()));
      set.add(s);
    };
    if (s.kind === 'account') into(this.accounts, s.key!);
    else if (s.kind === 'program') into(this.programs, s.key!);
    else if (s.kind === 'signature') into(this.signatures, s.key!);
    else if (s.kind === 'logs') this.logs.add(s);
    else this.slots.add(s);
    return s;
  }

  private remove(id: number): boolean {
    const s = this.byId.get(id);
    if (!s) return false;
    this.byId.delete(id);
    const from = (m: Map<string, Set<Sub>>) => {
      const set = m.get(s.key!);
      set?.delete(s);
      if (set && !set.size) m.delete(s.key!);
    };
    if (s.kind === 'account') from(this.accounts);
    else if (s.kind === 'program') from(this.programs);
    else if (s.kind === 'signature') from(this.signatures);
    else if (s.kind === 'logs') this.logs.delete(s);
    else this.slots.delete(s);
    return true;
  }

  private dispatch(ws: WebSocket, method: string, params: unknown[], mine: Set<number>): { value: unknown; after?: () => void } {
    const [a, b] = params;
    switch (method) {
      case 'accountSubscribe': {
        const cfg = config(b);
        const s = this.add({ kind: 'account', ws, key: pubkey(a), enc: encoding(cfg.encoding, ACCOUNT_ENCODINGS, 'binary'), slice: dataSlice(cfg.dataSlice) }, mine);
        return { value: s.id };
      }
      case 'programSubscribe': {
        const cfg = config(b);
        const s = this.add(
          { kind: 'program', ws, key: pubkey(a), enc: encoding(cfg.encoding, ACCOUNT_ENCODINGS, 'binary'), slice: dataSlice(cfg.dataSlice), filters: parseFilters(cfg.filters) },
          mine,
        );
        return { value: s.id };
      }
      case 'logsSubscribe': {
        config(b);
        let mentions: string | null = null;
        if (a === 'all' || a === 'allWithVotes') mentions = null;
        else if (a && typeof a === 'object' && Array.isArray((a as { mentions?: unknown }).mentions)) {
          const list = (a as { mentions: unknown[] }).mentions;
          if (list.length !== 1) throw new InvalidParamsError('Invalid Request: Only 1 address supported');
          mentions = pubkey(list[0]);
        } else throw new InvalidParamsError('Invalid params: expected "all", "allWithVotes" or { mentions: [address] }');
        return { value: this.add({ kind: 'logs', ws, mentions }, mine).id };
      }
      case 'signatureSubscribe': {
        const sig = signature(a);
        const cfg = config(b);
        const s = this.add({ kind: 'signature', ws, key: sig }, mine);
        const rec = this.chain.history.txs.get(sig);
        return {
          value: s.id,
          after: () => {
            if (cfg.enableReceivedNotification === true && !rec) this.send(ws, notification('signatureNotification', s.id, this.chain.latest.slot, 'receivedSignature'));
            if (rec) this.signatureDone(s, rec);
          },
        };
      }
      case 'slotSubscribe':
        return { value: this.add({ kind: 'slot', ws }, mine).id };
      case 'rootSubscribe':
        return { value: this.add({ kind: 'root', ws }, mine).id };
      case 'accountUnsubscribe':
      case 'programUnsubscribe':
      case 'logsUnsubscribe':
      case 'signatureUnsubscribe':
      case 'slotUnsubscribe':
      case 'rootUnsubscribe': {
        const id = a;
        const s = typeof id === 'number' ? this.byId.get(id) : undefined;
        if (!s || s.ws !== ws || `${s.kind}Unsubscribe` !== method) throw new InvalidParamsError('Invalid subscription id.');
        mine.delete(s.id);
        return { value: this.remove(s.id) };
      }
      default:
        throw new MethodNotFoundError();
    }
  }

  private signatureDone(s: Sub, rec: TxRecord): void {
    this.send(s.ws, notification('signatureNotification', s.id, rec.slot, { err: rec.meta.err }));
    this.remove(s.id);
  }

  private commit(c: Commit): void {
    const slot = c.block.slot;
    for (const rec of c.records) {
      const subs = this.signatures.get(rec.signature);
      if (subs) for (const s of [...subs]) this.signatureDone(s, rec);
      if (this.logs.size) {
        for (const s of this.logs) {
          if (s.mentions !== null && !rec.keys.includes(s.mentions!)) continue;
          this.send(s.ws, notification('logsNotification', s.id, slot, { err: rec.meta.err, logs: rec.meta.logMessages, signature: rec.signature }));
        }
      }
    }
    if (this.accounts.size || this.programs.size) {
      for (const [addr, a] of c.accounts) {
        const subs = this.accounts.get(addr);
        if (subs) for (const s of subs) this.send(s.ws, notification('accountNotification', s.id, slot, encodeAccount(addr, a, s.enc!, s.slice!, this.chain.decimalsOf)));
        const psubs = this.programs.get(a.owner);
        if (psubs) {
          for (const s of psubs) {
            if (!s.filters!.every((f) => f(a))) continue;
            this.send(s.ws, notification('programNotification', s.id, slot, { account: encodeAccount(addr, a, s.enc!, s.slice!, this.chain.decimalsOf), pubkey: addr }));
          }
        }
      }
    }
  }

  private slot(b: Block): void {
    for (const s of this.slots) {
      if (s.kind === 'slot') this.send(s.ws, { jsonrpc: '2.0', method: 'slotNotification', params: { result: { parent: b.parentSlot, root: b.slot, slot: b.slot }, subscription: s.id } });
      else this.send(s.ws, { jsonrpc: '2.0', method: 'rootNotification', params: { result: b.slot, subscription: s.id } });
    }
  }
}

function notification(method: string, subscription: number, slot: number, value: unknown): unknown {
  return { jsonrpc: '2.0', method, params: { result: { context: { slot }, value }, subscription } };
}
