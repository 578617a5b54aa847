import { createServer } from 'node:http';

/** The path of the separate health port, as the mesh's HTTP health check asks it (mesh.yaml). */
export const HEALTH_PORT_PATH = '/healthcheck';

/** A plain-HTTP health listener of its own (ZONEMESH_HEALTH_PORT). */
export interface HealthPortServer {
  /** The bound port (the chosen one when asked for 0). */
  readonly port: number;
  /** e.g. `http://127.0.0.1:7301/healthcheck`. */
  readonly url: string;
  close(): Promise<void>;
}

export interface HealthPortServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Asked on every request: true while the gRPC server is SERVING (not starting, not draining). */
  readonly serving: () => boolean;
}

/**
 * `GET /healthcheck` on a listener apart from the traffic port, like the
 * Envoy seed's `health_check_config.port_value: 8282`: 200 `SERVING` while
 * the instance takes traffic, 503 `NOT_SERVING` before it is ready and from
 * the moment it starts draining. A separate port can fail on its own (its
 * own fault proxy), which is the point: callers then take the instance out
 * although its traffic port still answers.
 */
export function startHealthPortServer(options: HealthPortServerOptions): Promise<HealthPortServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path !== HEALTH_PORT_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: the health port serves GET ${HEALTH_PORT_PATH}\n`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end(`method ${req.method} not allowed: use GET\n`);
      return;
    }
    const serving = options.serving();
    res
      .writeHead(serving ? 200 : 503, { 'content-type': 'text/plain', 'cache-control': 'no-store' })
      .end(req.method === 'HEAD' ? undefined : serving ? 'SERVING\n' : 'NOT_SERVING\n');
  });
  // Health checkers keep one connection alive per endpoint; it must not hold a stopping process.
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', reject);
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : options.port;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      resolve({
        port,
        url: `http://${host}:${port}${HEALTH_PORT_PATH}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
