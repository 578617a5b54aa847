import { createServer } from 'node:net';

/** Asks the OS for a free TCP port on `host` (bind to 0, read, release). */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen({ host, port: 0, exclusive: true }, () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Resolves to undefined when `host:port` can be bound, else the OS error code (EADDRINUSE, EACCES...). */
export function probePort(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'EUNKNOWN'));
    server.listen({ host, port, exclusive: true }, () => server.close(() => resolve(undefined)));
  });
}

/**
 * Hands out ports: a fixed port as asked, or a fresh free one for 0, never
 * the same one twice in a plan (the OS could return a just-released port).
 */
export class PortAllocator {
  private readonly taken = new Set<number>();

  constructor(private readonly host: string) {}

  async take(requested: number): Promise<number> {
    if (requested !== 0) {
      this.taken.add(requested);
      return requested;
    }
    for (;;) {
      const port = await freePort(this.host);
      if (!this.taken.has(port)) {
        this.taken.add(port);
        return port;
      }
    }
  }
}
