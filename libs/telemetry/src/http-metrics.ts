import { Counter, Histogram, type Registry } from 'prom-client';

/** RED metrics of an HTTP server; `route` is the matched route pattern, never the raw URL (bounded labels). */
export interface HttpServerMetrics {
  observe(route: string, method: string, status: number, seconds: number): void;
}

export function createHttpServerMetrics(registry: Registry): HttpServerMetrics {
  const requests = new Counter({
    name: 'zonemesh_http_server_requests_total',
    help: 'HTTP requests served, by route pattern, method and status code.',
    labelNames: ['route', 'method', 'code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'zonemesh_http_server_request_duration_seconds',
    help: 'HTTP request duration from first byte in to last byte out.',
    labelNames: ['route', 'method'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return {
    observe(route, method, status, seconds) {
      requests.inc({ route, method, code: String(status) });
      duration.observe({ route, method }, seconds);
    },
  };
}
