import { createServer } from 'node:http';
import type { Registry } from 'prom-client';
import { listenSide, type SideListener } from './side-listener.js';

/** A plain HTTP server answering GET /metrics for one registry; `url` e.g. `http://127.0.0.1:9464/metrics`. */
export type MetricsServer = SideListener;

export interface MetricsServerOptions {
  readonly registry: Registry;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /**
   * Read-only JSON pages served beside /metrics (path -> document), e.g. a
   * gRPC service's /admin/clusters: its gRPC port cannot answer plain HTTP.
   */
  readonly json?: Readonly<Record<string, () => unknown>>;
}

/**
 * Serves the registry in the Prometheus text format (and any `json` pages). gRPC ports speak
 * HTTP/2 only, so gRPC processes expose metrics on a port of their own.
 */
export function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { registry } = options;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const page = options.json && Object.hasOwn(options.json, path) ? options.json[path] : undefined;
    if (page && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(req.method === 'HEAD' ? undefined : JSON.stringify(page()));
      return;
    }
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType }).end(req.method === 'HEAD' ? undefined : text),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics collection failed\n'),
    );
  });
  return listenSide(server, options.host, options.port, '/metrics');
}
