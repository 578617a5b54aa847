import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HTTP_SERVER_LIMITS, type HttpServerLimits, applyMaxConnections } from '@zonemesh/runtime/http-server-limits';
import { statusMetrics, type SyncStatus } from './sync-status.js';

export interface SyncAdminServer {
  readonly url: string;
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, type: string, body: string): void {
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  response.end(body);
}

/**
 * The syncer's admin port, for supervisors and chaos runs: `GET /healthz`
 * (200 once in sync, else 503 — a readiness probe), `GET /status` (JSON:
 * the lists and which registry is used, so a failover and the failback
 * after failed_instance_ttl can be watched) and `GET /metrics`. Bounded by
 * `limits` (libs/runtime http-server-limits.ts), so idle or half-sent
 * requests cannot hold its sockets.
 */
export function startSyncAdminServer(
  host: string,
  port: number,
  status: () => SyncStatus,
  limits: HttpServerLimits = HTTP_SERVER_LIMITS,
): Promise<SyncAdminServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET') return send(response, 405, 'application/json', JSON.stringify({ error: `method ${request.method} not allowed` }));
    if (path === '/healthz') {
      const now = status();
      const { desired, registered, pending } = now.syncer;
      return send(response, now.inSync ? 200 : 503, 'application/json', JSON.stringify({ inSync: now.inSync, desired: desired.length, registered: registered.length, pending: pending.length }));
    }
    if (path === '/status') return send(response, 200, 'application/json', JSON.stringify(status()));
    if (path === '/metrics') return send(response, 200, 'text/plain; version=0.0.4', statusMetrics(status()));
    return send(response, 404, 'application/json', JSON.stringify({ error: `no route for ${path}` }));
  });
  server.timeout = limits.idleTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  applyMaxConnections(server, limits);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
