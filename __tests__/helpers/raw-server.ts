// A TCP server on 127.0.0.1 that answers with raw bytes: the misbehaviour an HTTP server library
// will not produce (a 101 to a plain GET, informational answers forever, headers that never end, a
// proxy that never answers CONNECT).

import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface RawServer {
  url: string;
  port: number;
  /** Connections accepted so far. */
  connections: number;
  /** Every byte received, on every connection. */
  received(): string;
  close(): Promise<void>;
}

/** `answer` runs once per connection, when the first request head (up to a blank line) has arrived. */
export async function startRawServer(answer: (socket: net.Socket) => void): Promise<RawServer> {
  const sockets = new Set<net.Socket>();
  let received = '';
  const server = net.createServer((socket) => {
    state.connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let head = '';
    let answered = false;
    socket.setEncoding('latin1').on('data', (chunk: string) => {
      received += chunk;
      head += chunk;
      if (!answered && head.includes('\r\n\r\n')) {
        answered = true;
        answer(socket);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const state = {
    url: `http://127.0.0.1:${port}`,
    port,
    connections: 0,
    received: () => received,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  };
  return state;
}

/** Writes `text` one byte per `intervalMs`, and after it `then` (if any) forever, until the socket closes. */
export function drip(socket: net.Socket, text: string, intervalMs: number, then?: string): void {
  let i = 0;
  const bytes = Buffer.from(text, 'latin1');
  const timer = setInterval(() => {
    if (socket.destroyed) return clearInterval(timer);
    if (i < bytes.length) {
      socket.write(bytes.subarray(i, i + 1));
      i += 1;
    } else if (then !== undefined) {
      socket.write(then);
    } else {
      clearInterval(timer);
    }
  }, intervalMs);
  socket.on('close', () => clearInterval(timer));
}
