import { gunzipSync } from 'node:zlib';
import { Pool } from 'undici';
import { REPLICATION_HEADER } from './replication-action.js';

/** What a peer answered; transport failures and timeouts throw PeerUnreachableError instead. */
export interface PeerResponse {
  readonly status: number;
  readonly body: string;
}

/** The peer could not be reached or did not answer in time: worth a retry. */
export class PeerUnreachableError extends Error {}

/**
 * HTTP to one peer registry over a small keep-alive pool. Every call carries
 * `x-netflix-discovery-replication: true` so the peer neither replicates it
 * again nor hides its registry behind the start-up sync gate.
 */
export class PeerHttp {
  private readonly pool: Pool;
  private readonly basePath: string;

  /**
   * @param peerUrl the peer's Eureka base URL without credentials, e.g. `http://127.0.0.1:8762/eureka` (it appears in logs).
   * @param authorization the `Authorization` header for the peer credential, when the peers require one.
   */
  constructor(
    readonly peerUrl: string,
    private readonly timeoutMs: number,
    private readonly authorization?: string,
  ) {
    const url = new URL(peerUrl);
    this.pool = new Pool(url.origin, { connections: 2, connectTimeout: timeoutMs, keepAliveTimeout: 10_000 });
    this.basePath = url.pathname.replace(/\/+$/, '');
  }

  async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<PeerResponse> {
    try {
      const response = await this.pool.request({
        method,
        path: `${this.basePath}${path}`,
        headers: {
          accept: 'application/json',
          'accept-encoding': 'gzip',
          [REPLICATION_HEADER]: 'true',
          ...(this.authorization === undefined ? {} : { authorization: this.authorization }),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        signal: AbortSignal.timeout(this.timeoutMs * 2),
      });
      const raw = Buffer.from(await response.body.arrayBuffer());
      const gzipped = String(response.headers['content-encoding'] ?? '').includes('gzip');
      return { status: response.statusCode, body: (gzipped ? gunzipSync(raw) : raw).toString('utf8') };
    } catch (error) {
      const code = (error as { code?: string }).code ?? (error as Error).name;
      throw new PeerUnreachableError(`${method} ${this.peerUrl}${path}: ${code}`);
    }
  }

  async close(): Promise<void> {
    await this.pool.destroy().catch(() => undefined);
  }
}
