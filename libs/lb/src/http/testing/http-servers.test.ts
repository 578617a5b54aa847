// Test fixture, not a test: the `.test.ts` suffix keeps it out of the build.
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';

/** A loopback HTTP server that answers with its id; can be stopped, restarted on its port, made to hang or to fail. */
export class IdServer {
  hits = 0;
  /** Answer this status instead of 200. */
  status = 200;
  /** Never answer (a read timeout for the caller). */
  hang = false;
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  private constructor(
    readonly id: string,
    readonly zone: string,
    public port: number,
  ) {}

  static async start(id: string, zone: string): Promise<IdServer> {
    const server = new IdServer(id, zone, 0);
    await server.restart();
    return server;
  }

  get endpoint(): { id: string; host: string; port: number; zone: string; metadata: Record<string, string> } {
    return { id: this.id, host: '127.0.0.1', port: this.port, zone: this.zone, metadata: { zone: this.zone } };
  }

  async restart(): Promise<void> {
    const server = createServer((req, res) => {
      this.hits += 1;
      req.resume();
      if (this.hang) return;
      res.writeHead(this.status, { 'content-type': 'text/plain' }).end(this.id);
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** Closes the listener and every open connection: new connects are refused. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
