import type { CircuitBreakerConfig } from '../cluster/cluster-config.js';

/** Picked attempts that have not started after this long are not waited for (cancelled between pick and start). */
const RESERVATION_TTL_MS = 1_000;

/** The four thresholds, by their Envoy names (metric label values, snapshot keys). */
export type BreakerThreshold = 'max_connections' | 'max_pending_requests' | 'max_requests' | 'max_retries';
export const BREAKER_THRESHOLDS: readonly BreakerThreshold[] = ['max_connections', 'max_pending_requests', 'max_requests', 'max_retries'];

/** What /admin/clusters shows of a cluster's circuit breakers. */
export interface CircuitBreakerSnapshot {
  readonly thresholds: Readonly<Record<BreakerThreshold, number>>;
  /** Now: connected endpoints, calls queued on the current picker, attempts and budgeted retries in flight. */
  readonly active: Readonly<Record<BreakerThreshold, number>>;
  /** Most attempts in flight seen at once since the channel started (never above max_requests). */
  readonly peakRequests: number;
  /** Calls (or retries, or connections) refused by each threshold since the channel started. */
  readonly overflow: Readonly<Record<BreakerThreshold, number>>;
}

/**
 * Envoy's circuit breakers for one zonemesh channel, checked by the picker
 * (call layer) at every pick. The counters are plain numbers bumped on the
 * call path; metrics read them at scrape time.
 *
 * Differences from Envoy, because grpc-js owns the connections and the queue:
 * - max_requests counts call attempts in flight on this channel (Envoy: per
 *   cluster across the proxy); a retry counts like a first attempt. Over it,
 *   the pick fails fast with RESOURCE_EXHAUSTED (Envoy: 503 with
 *   x-envoy-overloaded).
 * - max_pending_requests counts calls the current picker told grpc-js to
 *   queue (no endpoint ready yet); grpc-js re-picks its queued calls on every
 *   new picker, so that is the calls pending right now (calls that gave up
 *   while queued still count until the next picker).
 * - max_retries counts budgeted retries in flight: transparent retries (the
 *   attempt never reached the server application) are not limited, as by
 *   the retry budget. Over it, the retry is not attempted and the call ends
 *   UNAVAILABLE (Envoy returns the upstream's own answer).
 * - max_connections: grpc-js multiplexes every call over one HTTP/2
 *   connection per endpoint, and zonemesh keeps every endpoint connected
 *   for instant failover, so connections = connected endpoints. Envoy's
 *   HTTP/2 pool is the same (one connection per host). An endpoint
 *   connecting beyond the limit is counted (overflow) but not refused.
 */
export class CircuitBreaker {
  /** Attempts in flight (Envoy's upstream_rq_active), from their start until they end. */
  requests = 0;
  /**
   * Attempts picked but not started yet: grpc-js starts a picked call after
   * an asynchronous credentials step, so a burst of picks would all pass a
   * check on `requests` alone. A call cancelled in that gap never starts
   * nor ends: reservations are dropped when the cluster has no call in
   * flight, and when the breaker would refuse while no call started for
   * RESERVATION_TTL_MS. The clock is read only on that refusal path.
   */
  reserved = 0;
  private starts = 0;
  private checkedStarts = -1;
  private checkedAt = 0;
  /** Budgeted retries in flight (upstream_rq_retry active). */
  retries = 0;
  /** Calls queued by the current picker. */
  pending = 0;
  connections = 0;
  peakRequests = 0;
  requestOverflow = 0;
  pendingOverflow = 0;
  retryOverflow = 0;
  connectionOverflow = 0;

  /** undefined: counted (for a config that comes later) but nothing enforced. */
  constructor(public config: CircuitBreakerConfig | undefined) {}

  /** Whether one more attempt may be picked now (max_requests); a refusal is counted. */
  admit(now: () => number): boolean {
    const max = this.config!.maxRequests;
    if (this.requests + this.reserved < max) return true;
    if (this.reserved > 0) {
      const t = now();
      if (this.starts !== this.checkedStarts) {
        this.checkedStarts = this.starts;
        this.checkedAt = t;
      } else if (t - this.checkedAt > RESERVATION_TTL_MS) {
        this.reserved = 0;
      }
      if (this.requests + this.reserved < max) return true;
    }
    this.requestOverflow += 1;
    return false;
  }

  /** An admitted attempt was picked (COMPLETE): it holds its place until it starts. */
  reserve(): void {
    this.reserved += 1;
  }

  requestStarted(): void {
    if (this.reserved > 0) this.reserved -= 1;
    this.starts += 1;
    const n = ++this.requests;
    if (n > this.peakRequests) this.peakRequests = n;
  }

  requestEnded(): void {
    // Idle: a reservation still held belongs to a call that will never start.
    if (--this.requests === 0) this.reserved = 0;
  }

  /** A connection became ready; `connected` endpoints are connected now. */
  connected(connected: number): void {
    this.connections = connected;
    if (this.config && connected > this.config.maxConnections) this.connectionOverflow += 1;
  }

  /** undefined without thresholds. */
  snapshot(): CircuitBreakerSnapshot | undefined {
    const c = this.config;
    if (!c) return undefined;
    return {
      thresholds: { max_connections: c.maxConnections, max_pending_requests: c.maxPendingRequests, max_requests: c.maxRequests, max_retries: c.maxRetries },
      active: { max_connections: this.connections, max_pending_requests: this.pending, max_requests: this.requests, max_retries: this.retries },
      peakRequests: this.peakRequests,
      overflow: {
        max_connections: this.connectionOverflow,
        max_pending_requests: this.pendingOverflow,
        max_requests: this.requestOverflow,
        max_retries: this.retryOverflow,
      },
    };
  }
}
