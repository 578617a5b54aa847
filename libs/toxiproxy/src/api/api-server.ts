import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { toApiError } from '../api-error.js';
import type { Registry } from 'prom-client';
import type { ProxyManager } from '../proxy/proxy-manager.js';
import { errorReply, plainError, type Handler, type Reply } from './api-reply.js';
import { apiRoutes } from './api-routes.js';
import { newRequestId } from './request-id.js';
import type { Router } from './router.js';

/** Request bodies beyond this are refused; Toxiproxy configs are tiny. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;

/**
 * The Toxiproxy HTTP API on node:http. Requests are handled one at a time so
 * that proxy changes never interleave (Toxiproxy serialises them with locks).
 */
export class ApiServer {
  private readonly router: Router<Handler> = apiRoutes();
  private readonly http: Server;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly manager: ProxyManager,
    /** Served at GET /metrics, outside the API routes (as toxiproxy-server does). */
    private readonly metrics?: Registry,
  ) {
    this.http = createServer((req, res) => void this.handle(req, res));
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen({ host, port }, () => {
        this.http.off('error', reject);
        const address = this.http.address();
        resolve(typeof address === 'object' && address ? address.port : port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/metrics' && this.metrics && req.method === 'GET') {
      const text = await this.metrics.metrics();
      return this.send(res, { status: 200, headers: { 'Content-Type': this.metrics.contentType }, body: text });
    }
    const match = this.router.match(req.method ?? 'GET', path);
    if (match.kind === 'not-found') return this.send(res, plainError(404, '404 page not found'));
    if (match.kind === 'method-not-allowed') return this.send(res, { status: 405 });

    // Toxiproxy's middlewares run only on matched routes: request id first, then the browser guard.
    res.setHeader('X-Toxiproxy-Request-Id', newRequestId());
    if ((req.headers['user-agent'] ?? '').startsWith('Mozilla/')) {
      return this.send(res, plainError(403, 'User agent not allowed'));
    }
    let body: string;
    try {
      body = await readBody(req);
    } catch (error) {
      return this.send(res, errorReply(toApiError(error)));
    }
    const reply = await this.serialised(() =>
      match.handler({ manager: this.manager, params: match.params, body }).catch((error: unknown) => errorReply(toApiError(error))),
    );
    this.send(res, reply);
  }

  private serialised(task: () => Promise<Reply>): Promise<Reply> {
    const result = this.queue.then(task, task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private send(res: ServerResponse, reply: Reply): void {
    const body = reply.body ?? '';
    for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
    if (reply.status !== 204) res.setHeader('Content-Length', Buffer.byteLength(body));
    res.writeHead(reply.status);
    res.end(reply.status === 204 ? undefined : body);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('http: request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
