import type { Server } from 'node:http';

/** A small plain-HTTP listener beside a gRPC port (metrics, a separate health port). */
export interface SideListener {
  /** The bound port (the chosen one when asked for 0). */
  readonly port: number;
  /** `http://host:port<path>`, IPv6 hosts bracketed. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Binds `server` and resolves once it listens. Its clients (scrapers,
 * health checkers) keep connections alive, which must not hold a stopping
 * process: keep-alive is short and close() drops every connection.
 */
export function listenSide(server: Server, host: string, port: number, path: string): Promise<SideListener> {
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      const urlHost = host.includes(':') ? `[${host}]` : host;
      resolve({
        port: bound,
        url: `http://${urlHost}:${bound}${path}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
