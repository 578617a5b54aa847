import { connect, createServer, type Server, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { waitFor } from '@zonemesh/testing';

/** A real upstream on 127.0.0.1 that echoes every byte back. */
export interface EchoServer {
  port: number;
  address: string;
  /** Sockets the echo server accepted so far. */
  accepted: number;
  close(): Promise<void>;
}

export async function startEchoServer(): Promise<EchoServer> {
  const sockets = new Set<Socket>();
  const state = { accepted: 0 };
  const server: Server = createServer((socket) => {
    state.accepted++;
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    socket.pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    address: `127.0.0.1:${port}`,
    get accepted() {
      return state.accepted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A client socket recording what it receives and how it ends. */
export class TestClient {
  received = Buffer.alloc(0);
  /** Arrival time (performance.now) and size of every data event. */
  readonly arrivals: Array<{ at: number; size: number }> = [];
  error: NodeJS.ErrnoException | undefined;
  closedAt: number | undefined;

  private constructor(readonly socket: Socket) {
    socket.on('data', (data: Buffer) => {
      this.received = Buffer.concat([this.received, data]);
      this.arrivals.push({ at: performance.now(), size: data.length });
    });
    socket.on('error', (error) => (this.error = error));
    socket.on('close', () => (this.closedAt = performance.now()));
  }

  static connect(port: number): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port, noDelay: true });
      const client = new TestClient(socket);
      socket.once('connect', () => resolve(client));
      socket.once('error', reject);
    });
  }

  get closed(): boolean {
    return this.closedAt !== undefined;
  }

  send(data: string | Buffer): void {
    this.socket.write(data);
  }

  /** Wait until `total` bytes have arrived in all. */
  async receive(total: number, timeoutMs = 5000): Promise<Buffer> {
    await waitFor(() => this.received.length >= total, { timeoutMs, intervalMs: 2, what: `${total} bytes` });
    return this.received;
  }

  waitClosed(timeoutMs = 5000): Promise<unknown> {
    return waitFor(() => this.closed, { timeoutMs, intervalMs: 2, what: 'socket close' });
  }

  /** Send `payload` and measure ms until as many bytes came back (echo upstream). */
  async roundTrip(payload: string | Buffer = 'ping', timeoutMs = 5000): Promise<number> {
    const expected = this.received.length + Buffer.byteLength(payload);
    const start = performance.now();
    this.send(payload);
    await this.receive(expected, timeoutMs);
    return performance.now() - start;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/** Resolves with the connect error code (e.g. ECONNREFUSED), or 'connected'. */
export function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
  });
}

/** The port of a `host:port` listen address as the API reports it. */
export function portOf(listen: string): number {
  return Number(listen.slice(listen.lastIndexOf(':') + 1));
}
