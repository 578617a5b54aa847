import type { EndpointChild } from '../policy/endpoint-child.js';
import type { RetryPolicyConfig } from '../cluster/cluster-config.js';
import { isConnectionFailure } from '../outlier/local-origin.js';
import { retryableCodes } from './retry-service-config.js';
import { WindowedRetryBudget } from './windowed-retry-budget.js';
import { PER_TRY_TIMEOUT_DETAILS } from '../call/per-try-details.js';

const DEADLINE_EXCEEDED = 4;

/** grpc-js draws each retry backoff within +-20% of the nominal one (gRFC A6). */
const BACKOFF_JITTER = 1.2;
/** Headroom for a retry whose pick is late (event loop busy, pick queued briefly). */
const RETRY_WAIT_SLACK_MS = 1_000;

/** A call between a failed attempt and its next pick: where it has been, and when we stop waiting for it. */
interface WaitingCall {
  readonly tried: EndpointChild[];
  expiresAt: number;
  /** The last attempt failed without an answer from the server application (connection refused, reset, dropped). */
  readonly transparent: boolean;
}

/**
 * The retry budget of one channel: Linkerd's time-windowed budget when the
 * policy has `budget` (windowed-retry-budget.ts), else Envoy's concurrency
 * budget: retries in flight may be at most `budget_percent` of the active
 * calls (never fewer than `min_retry_concurrency`). A call is active from its first attempt
 * until its final attempt ends — a call waiting out its retry backoff still
 * counts, otherwise a zone death (every first attempt failing at once) would
 * shrink the base exactly when the retries are needed.
 *
 * Calls are known by their metadata options object, which grpc-js shares
 * between every attempt's metadata clone. The book only learns about a call
 * when one of its attempts fails: successful calls cost a counter, no entry.
 * grpc-js never says "no retry will follow" (deadline or cancel during the
 * backoff), so a waiting call is given up after the longest backoff plus slack.
 *
 * Transparent retries: a retry of an attempt that failed without any answer
 * from the server application (connection refused, reset or dropped: the
 * calls in flight when a zone dies) is not drawn from either budget, the
 * way grpc-js retries a call that never left the client transparently. It
 * is still bounded by `max_attempts`, and an application failure of the
 * same call draws from the budget as usual.
 */
export class RetryBudget {
  /** Calls from their first attempt's start until their final attempt's end. */
  activeCalls = 0;
  /** Retry attempts (2nd, 3rd...) in flight. */
  activeRetries = 0;
  /** Retries started that the budget did not pay for (transparent ones). */
  transparentRetries = 0;
  private readonly waiting = new Map<object, WaitingCall>();
  /**
   * With a per-try timeout, where each call has a try in flight: a hedge (or
   * the try after a timed-out one, whose cancel may not have ended yet)
   * avoids those endpoints. Only kept when the policy has a per-try timeout.
   */
  private readonly inFlight = new WeakMap<object, EndpointChild[]>();
  private windowed: WindowedRetryBudget | undefined;

  constructor(
    private policy: RetryPolicyConfig,
    private retryable: ReadonlySet<number>,
    private readonly clock: { now(): number },
  ) {
    this.windowed = policy.windowedBudget && new WindowedRetryBudget(policy.windowedBudget, clock);
  }

  setPolicy(policy: RetryPolicyConfig, retryable: ReadonlySet<number>): void {
    this.policy = policy;
    this.retryable = retryable;
    if (!policy.windowedBudget) this.windowed = undefined;
    else if (this.windowed) this.windowed.setConfig(policy.windowedBudget);
    else this.windowed = new WindowedRetryBudget(policy.windowedBudget, this.clock);
  }

  /** The windowed budget's state, when the policy has one (snapshots, tests). */
  windowState(): { remaining: number; requests: number; retries: number } | undefined {
    return this.windowed?.state();
  }

  /** Retries allowed in flight right now. */
  get allowed(): number {
    return Math.max(this.policy.minRetryConcurrency, (this.policy.budgetPercent / 100) * this.activeCalls);
  }

  /** Whether the next retry of the call fits the budget (a transparent one always does). */
  admits(key: object): boolean {
    if (this.waiting.get(key)?.transparent) return true;
    if (this.windowed) return this.windowed.admits();
    return this.activeRetries + 1 <= this.allowed;
  }

  /** Whether the call's next retry is transparent (its last attempt never reached the server application). */
  transparent(key: object): boolean {
    return this.waiting.get(key)?.transparent === true;
  }

  /** Endpoints the call tried so far or is trying now (undefined when the book does not know the call). */
  tried(key: object): readonly EndpointChild[] | undefined {
    const tried = this.waiting.get(key)?.tried;
    const running = this.inFlight.get(key);
    if (!running || running.length === 0) return tried;
    return tried ? [...tried, ...running] : running;
  }

  /** An attempt of the call runs on `child` (kept only with a per-try timeout, see `inFlight`). */
  tryStarted(key: object, child: EndpointChild): void {
    if (this.policy.perTryTimeoutMs === undefined) return;
    const running = this.inFlight.get(key);
    if (running) running.push(child);
    else this.inFlight.set(key, [child]);
  }

  /** The first attempt of a call started. */
  firstStarted(): void {
    this.activeCalls += 1;
    this.windowed?.deposit();
  }

  /** A retry attempt of the call started on an endpoint; true when the budget paid for it (not transparent). */
  retryStarted(key: object): boolean {
    const waiting = this.waiting.get(key);
    const transparent = waiting?.transparent === true;
    if (transparent) this.transparentRetries += 1;
    else this.windowed?.withdraw();
    this.activeRetries += 1;
    // Known: it was counted while it waited. Unknown (given up too early): count it again.
    if (!this.waiting.delete(key)) this.activeCalls += 1;
    return !transparent;
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
  attemptEnded(key: object, attempt: number, child: EndpointChild, code: number, details: string, tried: readonly EndpointChild[] | undefined): void {
    if (attempt > 1) this.activeRetries -= 1;
    const running = this.policy.perTryTimeoutMs === undefined ? undefined : this.inFlight.get(key);
    if (running) {
      const at = running.indexOf(child);
      if (at >= 0) running.splice(at, 1);
    }
    // A try cut by its per-try timeout is followed by another (per-try.interceptor.ts): it is a retry like any other.
    const retried = this.retryable.has(code) || (code === DEADLINE_EXCEEDED && details.startsWith(PER_TRY_TIMEOUT_DETAILS));
    if (code === 0 || attempt >= this.policy.maxAttempts || !retried) {
      this.activeCalls -= 1;
      return;
    }
    const now = this.clock.now();
    this.expire(now);
    const waitMs = this.policy.maxIntervalMs * BACKOFF_JITTER + RETRY_WAIT_SLACK_MS;
    this.waiting.set(key, { tried: tried ? [...tried, child] : [child], expiresAt: now + waitMs, transparent: isConnectionFailure(code, details) });
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
export function retryBudgetFor(retry: RetryPolicyConfig | undefined, existing: RetryBudget | undefined, clock: { now(): number }): RetryBudget | undefined {
  if (!retry || retry.maxAttempts < 2) return undefined;
  if (existing) {
    existing.setPolicy(retry, new Set(retryableCodes(retry)));
    return existing;
  }
  return new RetryBudget(retry, new Set(retryableCodes(retry)), clock);
}
