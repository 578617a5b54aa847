import { createServer } from 'node:net';

/**
 * A TCP port that was free a moment ago on `host`. For processes that must be
 * told their port up front; prefer port 0 wherever the caller can learn it.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
