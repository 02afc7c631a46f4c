/**
 * The floor of the HTTP benchmark (a benchmark tool, not a server for anyone to use): the least a
 * server can do per `sendTransaction` — read an HTTP/1.1 request framed by Content-Length, parse
 * its JSON, decode the base64 transaction, run it through LiteSVM's `send` (signatures checked) and
 * write the reply. No preflight, meta, history, journal, fsync or notifications. Its rate, beside
 * the chain's, shows how much of the ceiling any server in this process model can reach here.
 *   node --import tsx chain/bench/floor-server.ts DIR   → prints `ready RPC_URL WS_URL FLOOR_URL`
 * RPC_URL / WS_URL are an ordinary in-memory chain over the same SVM, for setting accounts up.
 */
import net from 'node:net';
import path from 'node:path';
import { toBase58 } from '../src/base58.ts';
import { listenChain } from '../src/listen.ts';
import { createChainServer } from '../src/server.ts';

const HEAD_END = Buffer.from('\r\n\r\n');
const server = await createChainServer({ dataDir: null, walletPath: path.join(process.argv[2]!, 'id.json') });
const local = await listenChain(server, { rpcPort: 0, wsPort: 0 });
const { engine } = server.chain;

/** One request's reply: the signature, or a JSON-RPC error when the SVM refused the transaction. */
function answer(body: string): string {
  const { id, params } = JSON.parse(body) as { id: number; params: [string] };
  const wire = Buffer.from(params[0], 'base64');
  const failed = 'err' in engine.send(wire, 'legacy');
  const json = failed ? `{"jsonrpc":"2.0","error":{"code":-32002,"message":"transaction failed"},"id":${id}}` : `{"jsonrpc":"2.0","result":"${toBase58(wire.subarray(1, 65))}","id":${id}}`;
  return `HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${json.length}\r\n\r\n${json}`;
}

const floor = net.createServer((socket) => {
  socket.setNoDelay(true);
  let buf = Buffer.alloc(0);
  socket.on('error', () => socket.destroy());
  socket.on('data', (d: Buffer) => {
    buf = buf.length ? Buffer.concat([buf, d]) : d;
    for (;;) {
      const end = buf.indexOf(HEAD_END);
      if (end < 0) return;
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(buf.toString('latin1', 0, end))?.[1] ?? 0);
      const start = end + HEAD_END.length;
      if (buf.length < start + length) return;
      socket.write(answer(buf.toString('utf8', start, start + length)));
      buf = buf.subarray(start + length);
    }
  });
});
floor.listen(0, '127.0.0.1', () => console.log(`ready ${local.rpcUrl} ${local.wsUrl} http://127.0.0.1:${(floor.address() as net.AddressInfo).port}`));
