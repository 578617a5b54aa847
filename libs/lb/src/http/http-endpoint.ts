import { Pool } from 'undici';
import { endpointAddress, type ResolvedEndpoint } from '../endpoint.js';
import type { HttpAttemptFailure } from './http-failure.js';

/** Per-endpoint request counters, as `snapshot()` shows them. */
export interface HttpEndpointCounters {
  requests: number;
  inFlight: number;
  succeeded: number;
  failed: number;
}

/**
 * One endpoint of an HTTP balancer: what discovery knows about it, its own
 * undici Pool (keep-alive connections, connect and read timeouts), and its
 * counters. Keyed by address: the address is what fails, whatever the id.
 */
export class HttpEndpoint {
  readonly key: string;
  readonly origin: string;
  readonly pool: Pool;
  readonly counters: HttpEndpointCounters = { requests: 0, inFlight: 0, succeeded: 0, failed: 0 };
  lastFailure: HttpAttemptFailure | undefined;

  constructor(
    public info: ResolvedEndpoint,
    timeouts: { connectTimeoutMs: number; readTimeoutMs: number },
  ) {
    this.key = endpointAddress(info);
    this.origin = `http://${this.key}`;
    this.pool = new Pool(this.origin, {
      connect: { timeout: timeouts.connectTimeoutMs },
      headersTimeout: timeouts.readTimeoutMs,
      bodyTimeout: timeouts.readTimeoutMs,
      // A registry or admin client needs few sockets; a retry goes to another endpoint anyway.
      connections: 16,
    });
  }

  get zone(): string | undefined {
    return this.info.zone;
  }

  async close(): Promise<void> {
    await this.pool.destroy().catch(() => undefined);
  }
}
