import { experimental, type Metadata } from '@grpc/grpc-js';
import type { EndpointChild } from '../policy/endpoint-child.js';
import type { LbRequest } from '../lifecycle/lb-lifecycle.js';
import type { RetryBudget } from './retry-budget.js';
import type { CircuitBreaker } from '../call/circuit-breaker.js';

const { PickResultType } = experimental;

/** What a tracked attempt reports to its balancer. */
export interface AttemptSink {
  /** The clock (lifecycle `startedAt`, peak-EWMA). */
  now(): number;
  /** Durations are wanted (an `onComplete` hook or peak-EWMA): read the clock when the attempt starts. */
  readonly timed: boolean;
  /** Lifecycle hooks are installed: build an LbRequest per attempt. */
  readonly hooked: boolean;
  /** An attempt started: a retry (`this.attempt > 1`) or one with a lifecycle request. */
  attemptStarted(info: AttemptInfo, child: EndpointChild, request: LbRequest | undefined): void;
  requestEnded(request: LbRequest, child: EndpointChild, code: number, details: string, durationMs: number): void;
}

/** What the picker knows about the call when it picks. */
export interface AttemptInfo {
  readonly cluster: string;
  readonly sourceZone: string | undefined;
  readonly subset: string | undefined;
  readonly attempt: number;
  /** The call's metadata options object: the same for every attempt of a call (retry bookkeeping). */
  readonly key: object;
  readonly tried: readonly EndpointChild[] | undefined;
}

/**
 * The pick result of one call attempt that needs per-call state: retry
 * bookkeeping (the budget, the endpoints tried), lifecycle hooks or
 * peak-EWMA timing. Plain attempts without any of those share the
 * endpoint's cached result instead (no allocation). Built only for a
 * COMPLETE pick; grpc-js calls `onCallStarted` once the stream exists and
 * `onCallEnded` exactly once after it.
 */
export class CallAttempt implements experimental.PickResult, AttemptInfo {
  readonly pickResultType = PickResultType.COMPLETE;
  readonly status = null;
  readonly onCallEnded: (code: number, details: string, metadata: Metadata) => void;
  private request: LbRequest | undefined;
  private startedAt = 0;
  /** A budgeted retry counted by the circuit breaker's max_retries until it ends. */
  private breakerRetry = false;

  constructor(
    readonly subchannel: experimental.SubchannelInterface,
    private readonly child: EndpointChild,
    readonly cluster: string,
    readonly sourceZone: string | undefined,
    readonly subset: string | undefined,
    readonly attempt: number,
    readonly key: object,
    readonly tried: readonly EndpointChild[] | undefined,
    private readonly budget: RetryBudget | undefined,
    private readonly sink: AttemptSink,
    request: LbRequest | undefined,
    private readonly breaker: CircuitBreaker | undefined,
  ) {
    this.request = request;
    // grpc-js keeps onCallEnded apart from the result and calls it with another `this`: it needs a closure.
    this.onCallEnded = (code, details) => this.ended(code, details);
  }

  /** A method, not a closure (one allocation less per pick): grpc-js calls it on the result, `pickResult.onCallStarted()`. */
  onCallStarted(): void {
    const child = this.child;
    child.attemptStarted();
    if (this.budget) {
      if (this.attempt > 1) {
        if (this.budget.retryStarted(this.key) && this.breaker) {
          this.breakerRetry = true;
          this.breaker.retries += 1;
        }
      } else this.budget.firstStarted();
      this.budget.tryStarted(this.key, child);
    }
    const sink = this.sink;
    if (sink.timed) this.startedAt = sink.now();
    if (sink.hooked && !this.request) {
      this.request = { cluster: this.cluster, sourceZone: this.sourceZone, attempt: this.attempt, subset: this.subset, startedAt: sink.timed ? this.startedAt : sink.now() };
    }
    // Retries are always announced (retry counter and event), hooks or not.
    if (this.request || this.attempt > 1) sink.attemptStarted(this, child, this.request);
  }

  private ended(code: number, details: string): void {
    const child = this.child;
    if (this.breakerRetry) this.breaker!.retries -= 1;
    child.attemptEnded(code, details);
    const sink = this.sink;
    // Before grpc-js schedules the retry: the next pick of this call must know where it has been.
    this.budget?.attemptEnded(this.key, this.attempt, child, code, details, this.tried);
    if (!sink.timed) {
      if (this.request) sink.requestEnded(this.request, child, code, details, 0);
      return;
    }
    const now = sink.now();
    const durationMs = now - this.startedAt;
    if (code === 0) child.observeRtt(durationMs, now);
    if (this.request) sink.requestEnded(this.request, child, code, details, durationMs);
  }
}
