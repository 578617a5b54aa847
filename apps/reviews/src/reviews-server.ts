import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReviewsConfig } from './reviews-config.js';

/** One answer of `GET /reviews/{productId}`. */
export interface ReviewAnswer {
  readonly productId: string;
  /** 1.0-5.0, derived from the id so every instance agrees. */
  readonly rating: number;
  readonly servedBy: string;
}

export interface RunningReviews {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

const PRODUCT = /^\/reviews\/([A-Za-z0-9_-]{1,64})$/;

/** Same id, same rating, on every instance: a caller may be balanced anywhere. */
export function ratingOf(productId: string): number {
  let hash = 0;
  for (const char of productId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return 1 + (hash % 41) / 10;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

/** Answers by status code, for `GET /metrics` (a handful of codes: bounded labels). */
type Counts = Map<number, number>;

function metricsText(config: ReviewsConfig, counts: Counts): string {
  const labels = `instance="${config.instanceId}",zone="${config.zone}"`;
  return [
    '# HELP zonemesh_reviews_requests_total Requests answered, by status code.',
    '# TYPE zonemesh_reviews_requests_total counter',
    ...[...counts].sort(([a], [b]) => a - b).map(([code, n]) => `zonemesh_reviews_requests_total{${labels},code="${code}"} ${n}`),
    '',
  ].join('\n');
}

function handle(config: ReviewsConfig, counts: Counts, request: IncomingMessage, response: ServerResponse): void {
  const path = (request.url ?? '/').split('?')[0]!;
  if (path === '/metrics' && request.method === 'GET') {
    const text = metricsText(config, counts);
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4', 'content-length': Buffer.byteLength(text) });
    response.end(text);
    return;
  }
  response.once('finish', () => counts.set(response.statusCode, (counts.get(response.statusCode) ?? 0) + 1));
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('allow', 'GET, HEAD');
    send(response, 405, { error: `method ${request.method} not allowed` });
    return;
  }
  if (path === '/healthz') {
    send(response, 200, { status: 'UP', instanceId: config.instanceId, zone: config.zone });
    return;
  }
  const match = PRODUCT.exec(path);
  if (match) {
    const answer: ReviewAnswer = { productId: match[1]!, rating: ratingOf(match[1]!), servedBy: config.instanceId };
    send(response, 200, answer);
    return;
  }
  send(response, 404, { error: `no route for ${path}` });
}

/**
 * The legacy `reviews` service: plain HTTP, no framework, and — on purpose —
 * no self-registration; `zonemesh sync` keeps it in the registry. Routes:
 * `GET /reviews/{productId}`, `GET /healthz`, `GET /metrics`.
 */
export function startReviewsServer(config: ReviewsConfig): Promise<RunningReviews> {
  const counts: Counts = new Map();
  const server: Server = createServer((request, response) => {
    try {
      handle(config, counts, request, response);
    } catch {
      // Never a stack trace to a client.
      if (!response.headersSent) send(response, 500, { error: 'internal error' });
      else response.destroy();
    }
  });
  server.keepAliveTimeout = 5000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      resolve({
        port,
        url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
  });
}
