// A small forward proxy, as on self-hosted runners: CONNECT host:port opens a TCP tunnel to it.
// It records what it was asked and every byte it carried, to show what a proxy can see.

import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface ConnectProxy {
  url: string;
  /** The CONNECT targets, in order. */
  connects: string[];
  /** Plain (non-CONNECT) requests: a proxy for https should never see one. */
  plain: string[];
  /** Every byte that passed through, both ways, plus the CONNECT request heads. */
  carried(): Buffer;
  /** Forget what was recorded. */
  reset(): void;
  close(): Promise<void>;
}

/** `resolve` is the proxy's own name resolution: on a locked-down runner only the proxy knows the way out. */
export async function startConnectProxy(resolve: Record<string, string> = {}): Promise<ConnectProxy> {
  const connects: string[] = [];
  const plain: string[] = [];
  const chunks: Buffer[] = [];
  const sockets = new Set<net.Socket>();

  const server = http.createServer((req, res) => {
    plain.push(`${req.method} ${req.url}`);
    chunks.push(Buffer.from(JSON.stringify(req.headers)));
    res.writeHead(502).end();
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    connects.push(req.url ?? '');
    chunks.push(Buffer.from(`${req.method} ${req.url} ${JSON.stringify(req.headers)}`), head);
    const target = new URL(`http://${req.url}`);
    const upstream = net.connect(Number(target.port), resolve[target.hostname] ?? target.hostname, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      client.pipe(upstream);
      upstream.pipe(client);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('data', (chunk: Buffer) => chunks.push(chunk));
      socket.on('error', () => socket.destroy());
      socket.on('close', () => sockets.delete(socket));
    }
    upstream.on('error', () => client.destroy());
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connects,
    plain,
    carried: () => Buffer.concat(chunks),
    reset() {
      connects.length = 0;
      plain.length = 0;
      chunks.length = 0;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  };
}
