/** The JSON-RPC HTTP server (not listening: see `listen.ts`). */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { errorObject, type RpcHandler } from './rpc-handler.ts';
import { InvalidRequestError } from './errors.ts';

/** A validator's request body limit (50 KiB). */
export const MAX_BODY_BYTES = 50 * 1024;

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, GET, OPTIONS',
  'access-control-allow-headers': 'content-type, solana-client',
};

/**
 * One response, headers and body in one write: with a content-length (no chunked encoding) node
 * sends the head and a string body together.
 */
function reply(res: ServerResponse, status: number, body: string | null): void {
  const text = body ?? '';
  if (status === 204) {
    res.writeHead(204, { ...CORS, 'content-type': 'application/json' });
    return void res.end();
  }
  res.writeHead(status, [
    'access-control-allow-origin', CORS['access-control-allow-origin'],
    'access-control-allow-methods', CORS['access-control-allow-methods'],
    'access-control-allow-headers', CORS['access-control-allow-headers'],
    'content-type', 'application/json',
    'content-length', String(Buffer.byteLength(text)),
  ]);
  res.end(text);
}

/** An HTTP server answering JSON-RPC POSTs (and `GET /health`) with `handler`. */
export function createRpcHttpServer(handler: RpcHandler, maxBodyBytes = MAX_BODY_BYTES): Server {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'OPTIONS') return reply(res, 204, null);
    if (req.method === 'GET' && req.url === '/health') {
      res.writeHead(200, { ...CORS, 'content-type': 'text/plain' });
      return void res.end('ok');
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { ...CORS, allow: 'POST' });
      return void res.end();
    }
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBodyBytes) {
      reply(res, 413, JSON.stringify({ jsonrpc: '2.0', error: errorObject(new InvalidRequestError('Request body too large')), id: null }));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (c: Buffer) => {
      if (refused) return;
      size += c.length;
      if (size > maxBodyBytes) {
        refused = true;
        reply(res, 413, JSON.stringify({ jsonrpc: '2.0', error: errorObject(new InvalidRequestError('Request body too large')), id: null }));
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (refused) return;
      handler.handle(Buffer.concat(chunks).toString('utf8')).then(
        (body) => reply(res, 200, body),
        () => reply(res, 500, null),
      );
    });
    req.on('error', () => res.destroy());
  });
  server.keepAliveTimeout = 65_000;
  return server;
}
