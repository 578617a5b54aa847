import type { EndpointChild } from '../policy/endpoint-child.js';
import type { RetryPolicyConfig } from '../cluster/cluster-config.js';
import { retryableCodes } from './retry-service-config.js';

/** grpc-js draws each retry backoff within +-20% of the nominal one (gRFC A6). */
const BACKOFF_JITTER = 1.2;
/** Headroom for a retry whose pick is late (event loop busy, pick queued briefly). */
const RETRY_WAIT_SLACK_MS = 1_000;

/** A call between a failed attempt and its next pick: where it has been, and when we stop waiting for it. */
interface WaitingCall {
  readonly tried: EndpointChild[];
  expiresAt: number;
}

/**
 * The retry budget of one channel, counted as Envoy counts it: retries in
 * flight may be at most `budget_percent` of the active calls (never fewer
 * than `min_retry_concurrency`). A call is active from its first attempt
 * until its final attempt ends — a call waiting out its retry backoff still
 * counts, otherwise a zone death (every first attempt failing at once) would
 * shrink the base exactly when the retries are needed.
 *
 * Calls are known by their metadata options object, which grpc-js shares
 * between every attempt's metadata clone. The book only learns about a call
 * when one of its attempts fails: successful calls cost a counter, no entry.
 * grpc-js never says "no retry will follow" (deadline or cancel during the
 * backoff), so a waiting call is given up after the longest backoff plus slack.
 */
export class RetryBudget {
  /** Calls from their first attempt's start until their final attempt's end. */
  activeCalls = 0;
  /** Retry attempts (2nd, 3rd...) in flight. */
  activeRetries = 0;
  private readonly waiting = new Map<object, WaitingCall>();

  constructor(
    private policy: RetryPolicyConfig,
    private retryable: ReadonlySet<number>,
  ) {}

  setPolicy(policy: RetryPolicyConfig, retryable: ReadonlySet<number>): void {
    this.policy = policy;
    this.retryable = retryable;
  }

  /** Retries allowed in flight right now. */
  get allowed(): number {
    return Math.max(this.policy.minRetryConcurrency, (this.policy.budgetPercent / 100) * this.activeCalls);
  }

  /** Whether one more retry fits the budget. */
  admits(): boolean {
    return this.activeRetries + 1 <= this.allowed;
  }

  /** Endpoints the call tried so far (undefined when the book does not know the call). */
  tried(key: object): readonly EndpointChild[] | undefined {
    return this.waiting.get(key)?.tried;
  }

  /** The first attempt of a call started. */
  firstStarted(): void {
    this.activeCalls += 1;
  }

  /** A retry attempt of the call started on an endpoint. */
  retryStarted(key: object): void {
    this.activeRetries += 1;
    // Known: it was counted while it waited. Unknown (given up too early): count it again.
    if (!this.waiting.delete(key)) this.activeCalls += 1;
  }

  /** A retry attempt was refused by the budget: that ends the call. */
  retryDropped(key: object): void {
    if (this.waiting.delete(key)) this.activeCalls -= 1;
  }

  /**
   * An attempt ended. A success, a code grpc-js will not retry or the last
   * attempt ends the call; any other failure keeps the call active while it
   * waits for its next attempt, which should avoid `child` and the endpoints
   * tried before (`tried`).
   */
  attemptEnded(key: object, attempt: number, child: EndpointChild, code: number, tried: readonly EndpointChild[] | undefined, clock: { now(): number }): void {
    if (attempt > 1) this.activeRetries -= 1;
    if (code === 0 || attempt >= this.policy.maxAttempts || !this.retryable.has(code)) {
      this.activeCalls -= 1;
      return;
    }
    const now = clock.now();
    this.expire(now);
    const waitMs = this.policy.maxIntervalMs * BACKOFF_JITTER + RETRY_WAIT_SLACK_MS;
    this.waiting.set(key, { tried: tried ? [...tried, child] : [child], expiresAt: now + waitMs });
  }

  /** Calls waiting for a retry (for tests and snapshots). */
  get waitingCalls(): number {
    return this.waiting.size;
  }

  /** Gives up calls whose retry never came (deadline or cancellation during the backoff). */
  private expire(now: number): void {
    // Entries go in with the same wait, so insertion order is expiry order.
    for (const [key, call] of this.waiting) {
      if (call.expiresAt > now) break;
      this.waiting.delete(key);
      this.activeCalls -= 1;
    }
  }
}

/** The budget for a (new) retry policy: none without retries, else the existing one updated (its calls in flight kept), else a new one. */
export function retryBudgetFor(retry: RetryPolicyConfig | undefined, existing: RetryBudget | undefined): RetryBudget | undefined {
  if (!retry || retry.maxAttempts < 2) return undefined;
  if (existing) {
    existing.setPolicy(retry, new Set(retryableCodes(retry)));
    return existing;
  }
  return new RetryBudget(retry, new Set(retryableCodes(retry)));
}
