import { createServer } from 'node:http';
import { listenSide, type SideListener } from '@zonemesh/telemetry';

/** The path of the separate health port, as the mesh's HTTP health check asks it (mesh.yaml). */
export const HEALTH_PORT_PATH = '/healthcheck';

/** A plain-HTTP health listener of its own (ZONEMESH_HEALTH_PORT); `url` e.g. `http://127.0.0.1:7301/healthcheck`. */
export type HealthPortServer = SideListener;

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
  return listenSide(server, options.host, options.port, HEALTH_PORT_PATH);
}
