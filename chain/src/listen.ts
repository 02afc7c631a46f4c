/** Binds a built chain server: JSON-RPC on one port, PubSub on another (127.0.0.1 by default). */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChainServer } from './server.ts';

/** Where to listen. Port 0 picks a free port. */
export interface ListenOptions {
  host?: string;
  rpcPort?: number;
  wsPort?: number;
}

/** A listening chain server. */
export interface ListeningChain {
  rpcUrl: string;
  wsUrl: string;
  /** Stops listening and closes the chain (journal flushed, snapshot written). */
  close(): Promise<void>;
}

const bind = (server: Server, host: string, port: number): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });

const urlHost = (host: string): string => (host.includes(':') ? `[${host}]` : host);

/** Listens with RPC on `rpcPort` (default 8899) and PubSub on `wsPort` (default 8900). */
export async function listenChain(server: ChainServer, options: ListenOptions = {}): Promise<ListeningChain> {
  const host = options.host ?? '127.0.0.1';
  const rpcPort = await bind(server.http, host, options.rpcPort ?? 8899);
  let wsPort: number;
  try {
    wsPort = await bind(server.pubsub.server, host, options.wsPort ?? 8900);
  } catch (e) {
    server.http.close();
    throw e;
  }
  return {
    rpcUrl: `http://${urlHost(host)}:${rpcPort}`,
    wsUrl: `ws://${urlHost(host)}:${wsPort}`,
    async close() {
      await server.close();
      await Promise.all([new Promise((r) => server.http.close(r)), new Promise((r) => server.pubsub.server.close(r))]);
    },
  };
}
