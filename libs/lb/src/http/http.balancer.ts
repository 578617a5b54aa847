import type { IncomingHttpHeaders } from 'node:http';
import { capEndpoints } from '../resolver/endpoint-cap.js';
import { endpointAddress, type ResolvedEndpoint } from '../endpoint.js';
import type { EndpointSource } from '../resolver/endpoint-source.js';
import { FailedInstanceCache } from '../zone/failed-instance.cache.js';
import { systemLbClock, type LbClock } from '../lb-clock.js';
import { HttpEndpoint } from './http-endpoint.js';
import { HttpEndpointPicker, type HttpPickTier } from './http-endpoint.picker.js';
import { HttpBalancerError, classifyTransportError, type HttpAttemptFailure } from './http-failure.js';
import { parseHttpBalancerPolicy, type HttpBalancerPolicy, type HttpBalancerPolicyInput } from './http-policy.config.js';

export interface HttpBalancerOptions {
  /** The caller's zone: its endpoints are preferred. Undefined: no preference. */
  readonly zone?: string;
  /** A fixed list... */
  readonly endpoints?: readonly ResolvedEndpoint[];
  /** ...or a discovery source (its last good list is kept when it reports an error). */
  readonly source?: EndpointSource;
  /** The policy as written in YAML; validated here with errors under `policyPath`. */
  readonly policy?: HttpBalancerPolicyInput | unknown;
  /** Prefix of configuration error paths (default `policy`). */
  readonly policyPath?: string;
  /** An already validated policy (from parseHttpBalancerPolicy); wins over `policy`. */
  readonly settings?: HttpBalancerPolicy;
  /** A name for logs and snapshots. */
  readonly name?: string;
  readonly clock?: LbClock;
  readonly random?: () => number;
  /** Balancer decisions (failed-instance cached, retry), for logs; must not throw. */
  readonly onEvent?: (event: HttpBalancerEvent) => void;
}

export interface HttpRequestOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
  /**
   * May the request be sent twice? Defaults by method (GET, HEAD, PUT,
   * DELETE, OPTIONS: yes). Non-idempotent requests are retried only after a
   * connect failure, when the first one was never sent.
   */
  readonly idempotent?: boolean;
}

export interface HttpBalancerResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The endpoint that answered. */
  readonly endpoint: ResolvedEndpoint;
  /** 1 when the first attempt answered. */
  readonly attempts: number;
  /** The attempts that failed before this answer. */
  readonly failures: readonly HttpAttemptFailure[];
}

export type HttpBalancerEvent =
  | { readonly type: 'failed-instance-cached'; readonly balancer: string; readonly endpoint: ResolvedEndpoint; readonly failure: HttpAttemptFailure; readonly until: number }
  | { readonly type: 'retry'; readonly balancer: string; readonly attempt: number; readonly failure: HttpAttemptFailure };

/** One endpoint in `snapshot()`. */
export interface HttpEndpointSnapshot {
  readonly id: string;
  readonly address: string;
  readonly zone: string | undefined;
  readonly local: boolean;
  /** Clock ms until which the failed-instance cache keeps it out of preference. */
  readonly failedUntil: number | undefined;
  readonly lastFailure: HttpAttemptFailure | undefined;
  readonly requests: number;
  readonly inFlight: number;
  readonly succeeded: number;
  readonly failed: number;
}

export interface HttpBalancerSnapshot {
  readonly name: string;
  readonly zone: string | undefined;
  readonly lbPolicy: string;
  readonly failedInstanceTtlMs: number;
  /** Where the next first attempt would go: local, spill, remote, fallback, failed; none without endpoints. */
  readonly tier: HttpPickTier | 'none';
  readonly endpoints: readonly HttpEndpointSnapshot[];
}

/** Zone-aware balancing for HTTP callers (see createHttpBalancer). */
export interface HttpBalancer {
  request(path: string, options?: HttpRequestOptions): Promise<HttpBalancerResponse>;
  snapshot(): HttpBalancerSnapshot;
  /** The current endpoints. */
  endpoints(): readonly ResolvedEndpoint[];
  close(): Promise<void>;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/**
 * The HTTP face of libs/lb: the gRPC policy's zone preference and
 * failed-instance cache (failback only after `failed_instance_ttl`), with an
 * undici Pool per endpoint (connect and read timeouts) and retries that move
 * to the NEXT endpoint, never the same one while another is available.
 * Throws ConfigError (path-qualified) on a bad policy.
 */
export function createHttpBalancer(options: HttpBalancerOptions): HttpBalancer {
  const settings = options.settings ?? parseHttpBalancerPolicy(options.policy, options.policyPath ?? 'policy');
  if ((options.endpoints === undefined) === (options.source === undefined)) {
    throw new Error('createHttpBalancer: give exactly one of endpoints or source');
  }
  return new ZoneAwareHttpBalancer(options, settings);
}

class ZoneAwareHttpBalancer implements HttpBalancer {
  private readonly name: string;
  private readonly clock: LbClock;
  private readonly failed: FailedInstanceCache;
  private readonly picker: HttpEndpointPicker;
  private byKey = new Map<string, HttpEndpoint>();
  private list: HttpEndpoint[] = [];
  private closed = false;

  constructor(
    private readonly options: HttpBalancerOptions,
    private readonly settings: HttpBalancerPolicy,
  ) {
    this.name = options.name ?? 'http';
    this.clock = options.clock ?? systemLbClock;
    this.failed = new FailedInstanceCache(settings.zoneFailover.failedInstanceTtlMs);
    this.picker = new HttpEndpointPicker(settings, options.zone, this.failed, options.random ?? Math.random);
    if (options.endpoints) this.setEndpoints(options.endpoints);
    options.source?.start((update) => {
      // A failing source keeps the last good list: a registry client must not lose its servers to a DNS hiccup.
      if ('endpoints' in update && !this.closed) this.setEndpoints(update.endpoints);
    });
  }

  async request(path: string, options: HttpRequestOptions = {}): Promise<HttpBalancerResponse> {
    if (this.closed) throw new HttpBalancerError(`${this.name}: balancer closed`, []);
    const method = (options.method ?? 'GET').toUpperCase();
    const idempotent = options.idempotent ?? IDEMPOTENT_METHODS.has(method);
    const retryOn = this.settings.retry.retryOn;
    const tried = new Set<HttpEndpoint>();
    const failures: HttpAttemptFailure[] = [];
    for (let attempt = 1; attempt <= this.settings.retry.maxAttempts; attempt += 1) {
      const pick = this.picker.pick(this.list, tried, this.clock.now());
      if (pick === undefined) break;
      const endpoint = pick.endpoint;
      tried.add(endpoint);
      endpoint.counters.requests += 1;
      endpoint.counters.inFlight += 1;
      let failure: HttpAttemptFailure;
      try {
        const response = await endpoint.pool.request({
          path,
          method: method as 'GET',
          headers: options.headers,
          body: options.body,
        });
        const body = await response.body.text();
        if (response.statusCode < 500 || !retryOn.includes('5xx')) {
          endpoint.counters.succeeded += 1;
          return { status: response.statusCode, headers: response.headers, body, endpoint: endpoint.info, attempts: attempt, failures };
        }
        failure = this.failure(endpoint, '5xx', `HTTP ${response.statusCode}`);
        this.recordFailure(endpoint, failure);
        failures.push(failure);
        const last = attempt === this.settings.retry.maxAttempts || !idempotent;
        // Out of attempts: the caller gets the server's own answer rather than an exception.
        if (last || this.picker.pick(this.list, tried, this.clock.now()) === undefined) {
          return { status: response.statusCode, headers: response.headers, body, endpoint: endpoint.info, attempts: attempt, failures };
        }
      } catch (error) {
        const { kind, detail } = classifyTransportError(error);
        failure = this.failure(endpoint, kind, detail);
        this.recordFailure(endpoint, failure);
        failures.push(failure);
        const retryable = retryOn.includes(kind) && (kind === 'connect_failure' || idempotent);
        if (!retryable) break;
      } finally {
        endpoint.counters.inFlight -= 1;
      }
      if (attempt < this.settings.retry.maxAttempts) this.emit({ type: 'retry', balancer: this.name, attempt: attempt + 1, failure });
    }
    const summary = failures.map((f) => `${f.endpoint} ${f.detail}`).join('; ');
    throw new HttpBalancerError(
      failures.length === 0
        ? `${this.name}: no endpoint to send ${method} ${path} to`
        : `${this.name}: ${method} ${path} failed after ${failures.length} attempt(s): ${summary}`,
      failures,
    );
  }

  snapshot(): HttpBalancerSnapshot {
    const now = this.clock.now();
    const next = this.list.length === 0 ? undefined : this.picker.pick(this.list, new Set(), now);
    return {
      name: this.name,
      zone: this.options.zone,
      lbPolicy: this.settings.lbPolicy,
      failedInstanceTtlMs: this.settings.zoneFailover.failedInstanceTtlMs,
      tier: next?.tier ?? 'none',
      endpoints: this.list.map((e) => ({
        id: e.info.id,
        address: e.key,
        zone: e.zone,
        local: this.options.zone !== undefined && e.zone === this.options.zone,
        failedUntil: this.failed.until(e.key, now),
        lastFailure: e.lastFailure,
        requests: e.counters.requests,
        inFlight: e.counters.inFlight,
        succeeded: e.counters.succeeded,
        failed: e.counters.failed,
      })),
    };
  }

  endpoints(): readonly ResolvedEndpoint[] {
    return this.list.map((e) => e.info);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.options.source?.stop();
    await Promise.all(this.list.map((e) => e.close()));
    this.list = [];
    this.byKey.clear();
  }

  private setEndpoints(endpoints: readonly ResolvedEndpoint[]): void {
    const next = new Map<string, HttpEndpoint>();
    for (const info of capEndpoints(endpoints, this.name)) {
      const existing = this.byKey.get(endpointAddress(info));
      if (existing) {
        existing.info = info;
        next.set(existing.key, existing);
      } else {
        const created = new HttpEndpoint(info, this.settings);
        if (!next.has(created.key)) next.set(created.key, created);
      }
    }
    for (const [key, endpoint] of this.byKey) {
      if (!next.has(key)) {
        void endpoint.close();
        this.failed.delete(key);
      }
    }
    this.byKey = next;
    this.list = [...next.values()];
  }

  private failure(endpoint: HttpEndpoint, kind: HttpAttemptFailure['kind'], detail: string): HttpAttemptFailure {
    return { endpoint: endpoint.info.id, address: endpoint.key, kind, detail };
  }

  /** Every failure of an endpoint (re)starts its TTL: failback happens only after a quiet TTL. */
  private recordFailure(endpoint: HttpEndpoint, failure: HttpAttemptFailure): void {
    endpoint.counters.failed += 1;
    endpoint.lastFailure = failure;
    const now = this.clock.now();
    this.failed.expire(now);
    if (this.failed.mark(endpoint.key, now, now)) {
      this.emit({ type: 'failed-instance-cached', balancer: this.name, endpoint: endpoint.info, failure, until: now + this.settings.zoneFailover.failedInstanceTtlMs });
    }
  }

  private emit(event: HttpBalancerEvent): void {
    try {
      this.options.onEvent?.(event);
    } catch {
      // A logging hook must never break a request.
    }
  }
}
