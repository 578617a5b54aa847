import { Metadata, experimental, status as grpcStatus } from '@grpc/grpc-js';
import type { EndpointChild } from './endpoint-child.js';
import type { EndpointBalancer } from '../balancer/endpoint-balancer.js';
import type { SubsetConfig } from '../cluster/cluster-config.js';
import type { ZonePlan } from '../supplier/instance-list.supplier.js';
import type { LbRequest } from '../lifecycle/lb-lifecycle.js';
import { CallAttempt, type AttemptSink } from '../retry/call-attempt.js';
import type { RetryBudget } from '../retry/retry-budget.js';
import { untried } from '../retry/retry-target.js';
import type { CircuitBreaker } from '../call/circuit-breaker.js';

const { PickResultType } = experimental;
const PREVIOUS_ATTEMPTS = 'grpc-previous-rpc-attempts';

/** One zone level of a subset, ready to pick from. */
export interface PickLevel {
  readonly endpoints: readonly EndpointChild[];
  readonly balancer: EndpointBalancer;
  /** Cumulative load up to and including this level (the last one is 1). */
  readonly upTo: number;
}

/** The endpoints of one subset (or of the whole cluster without subsets) with the result to give when none can take a call. */
export interface SubsetPick {
  readonly value: string | undefined;
  readonly plan: ZonePlan;
  readonly levels: readonly PickLevel[];
  /** Healthy, connected endpoints outside the levels: where a retry goes once every endpoint of the levels was tried. */
  readonly retryTargets: readonly EndpointChild[];
  /** QUEUE while connections are being made, TRANSIENT_FAILURE when none can be. */
  readonly empty: experimental.PickResult;
}

/** What the picker needs from its balancer: a snapshot taken when the picker is built, plus the live call bookkeeping. */
export interface PickerContext {
  readonly cluster: string;
  readonly sourceZone: string | undefined;
  readonly subset: SubsetConfig | undefined;
  /** Present when the cluster has a retry policy: grpc-js retries, the picker steers them and enforces the budget. */
  readonly budget: RetryBudget | undefined;
  /** Present when the cluster has circuit_breakers: enforced at every pick. */
  readonly breaker: CircuitBreaker | undefined;
  readonly random: () => number;
  /** Where tracked attempts report; its `timed`/`hooked` flags are read at each pick (hooks come and go). */
  readonly sink: AttemptSink & { onStart(request: LbRequest): void; readonly startHooked: boolean };
  retryBudgetExhausted(): void;
}

/**
 * The zonemesh picker: an immutable snapshot of the supplier chain's result
 * per subset, rebuilt by the balancer on every relevant change. A pick reads
 * the subset header (when configured), draws a zone level by load (only
 * while spilling), lets the level's balancer choose, and — on a grpc-js
 * retry attempt — steers away from the endpoints the call already tried and
 * enforces the retry budget.
 *
 * Cost: a plain pick of a READY endpoint returns the endpoint's cached
 * result (no allocation, no clock). Only attempts that need per-call state
 * (retry policy, lifecycle hooks, peak-EWMA timing) get a CallAttempt, and
 * the endpoints a call tried are recorded only when an attempt fails.
 */
export class ZonemeshPicker implements experimental.Picker {
  /** Calls this picker told grpc-js to queue (max_pending_requests): grpc-js re-picks every queued call on the next picker. */
  private queued = 0;

  constructor(
    private readonly context: PickerContext,
    private readonly subsets: ReadonlyMap<string, SubsetPick>,
    private readonly whole: SubsetPick | undefined,
  ) {}

  pick(args: experimental.PickArgs): experimental.PickResult {
    const ctx = this.context;
    let target = this.whole;
    let subsetValue: string | undefined;
    if (ctx.subset) {
      const values = args.metadata.get(ctx.subset.header);
      subsetValue = values.length > 0 ? String(values[0]) : ctx.subset.defaultValue;
      target = this.subsets.get(subsetValue);
      if (!target) {
        // DROP, not TRANSIENT_FAILURE: no retry or wait can create a missing version.
        return drop(`zonemesh: no endpoint for ${ctx.subset.metadataKey}=${subsetValue} in cluster ${ctx.cluster}`);
      }
    }
    if (!target || target.levels.length === 0) return this.queue(target?.empty ?? drop(`zonemesh: no endpoints for cluster ${ctx.cluster}`));

    const breaker = ctx.breaker;
    // Envoy's max_requests: over it the call fails fast instead of piling onto a saturated cluster.
    if (breaker !== undefined && !breaker.admit(ctx.sink.now)) {
      const key = args.metadata.getOptions();
      if (ctx.budget && args.metadata.get(PREVIOUS_ATTEMPTS).length > 0) ctx.budget.retryDropped(key);
      return overflow(`zonemesh: circuit breaker of cluster ${ctx.cluster} open: max_requests (${breaker.config!.maxRequests}) calls in flight`);
    }
    const budget = ctx.budget;
    let attempt = 1;
    let tried: readonly EndpointChild[] | undefined;
    if (budget) {
      const previous = args.metadata.get(PREVIOUS_ATTEMPTS);
      if (previous.length > 0) {
        attempt = Number(previous[0]) + 1;
        const key = args.metadata.getOptions();
        if (!budget.admits(key)) {
          budget.retryDropped(key);
          ctx.retryBudgetExhausted();
          return drop(`zonemesh: retry budget of cluster ${ctx.cluster} exhausted`);
        }
        // Envoy's max_retries; transparent retries are not limited (as by the budget).
        if (breaker !== undefined && breaker.retries >= breaker.config!.maxRetries && !budget.transparent(key)) {
          breaker.retryOverflow += 1;
          budget.retryDropped(key);
          return drop(`zonemesh: circuit breaker of cluster ${ctx.cluster} open: max_retries (${breaker.config!.maxRetries}) retries in flight, retry not attempted`);
        }
        tried = budget.tried(key);
      }
    }

    const sink = ctx.sink;
    const hooked = sink.hooked;
    let request: LbRequest | undefined;
    if (hooked && sink.startHooked) {
      request = { cluster: ctx.cluster, sourceZone: ctx.sourceZone, attempt, subset: subsetValue, startedAt: sink.now() };
      sink.onStart(request);
    }

    let child = this.choose(target);
    if (tried !== undefined && tried.includes(child)) child = untried(target, tried) ?? child;
    const ready = child.readyPick;
    if (ready === null) {
      const result = child.leafPicker.pick(args);
      if (result.pickResultType !== PickResultType.COMPLETE || !result.subchannel) return this.queue(result);
      if (breaker !== undefined) breaker.reserve();
      return this.tracked(child, result.subchannel, args, attempt, subsetValue, tried, request);
    }
    if (breaker !== undefined) breaker.reserve();
    if (budget === undefined && !hooked && !sink.timed) {
      child.counters.picks += 1;
      return ready;
    }
    return this.tracked(child, child.readySubchannel!, args, attempt, subsetValue, tried, request);
  }

  /** A pick with per-call state (or a leaf pick without the cached result). */
  private tracked(
    child: EndpointChild,
    subchannel: experimental.SubchannelInterface,
    args: experimental.PickArgs,
    attempt: number,
    subset: string | undefined,
    tried: readonly EndpointChild[] | undefined,
    request: LbRequest | undefined,
  ): experimental.PickResult {
    const ctx = this.context;
    child.counters.picks += 1;
    return new CallAttempt(subchannel, child, ctx.cluster, ctx.sourceZone, subset, attempt, args.metadata.getOptions(), tried, ctx.budget, ctx.sink, request, ctx.breaker);
  }

  /** Envoy's max_pending_requests, applied to the calls grpc-js queues while no endpoint is ready. */
  private queue(result: experimental.PickResult): experimental.PickResult {
    const breaker = this.context.breaker;
    if (breaker === undefined || result.pickResultType !== PickResultType.QUEUE) return result;
    if (this.queued >= breaker.config!.maxPendingRequests) {
      breaker.pendingOverflow += 1;
      return overflow(`zonemesh: circuit breaker of cluster ${this.context.cluster} open: max_pending_requests (${breaker.config!.maxPendingRequests}) calls waiting for a connection`);
    }
    this.queued += 1;
    breaker.pending = this.queued;
    return result;
  }

  private choose(target: SubsetPick): EndpointChild {
    const levels = target.levels;
    let level = levels[0]!;
    if (levels.length > 1) {
      const draw = this.context.random();
      for (const candidate of levels) {
        level = candidate;
        if (draw < candidate.upTo) break;
      }
    }
    return level.endpoints[level.balancer.choose()]!;
  }
}

function drop(details: string): experimental.PickResult {
  return {
    pickResultType: PickResultType.DROP,
    subchannel: null,
    status: { code: grpcStatus.UNAVAILABLE, details, metadata: new Metadata() },
    onCallStarted: null,
    onCallEnded: null,
  };
}

/** A call refused by a circuit breaker: RESOURCE_EXHAUSTED, never retried (DROP). */
function overflow(details: string): experimental.PickResult {
  return {
    pickResultType: PickResultType.DROP,
    subchannel: null,
    status: { code: grpcStatus.RESOURCE_EXHAUSTED, details, metadata: new Metadata() },
    onCallStarted: null,
    onCallEnded: null,
  };
}

export function failedPick(details: string): experimental.PickResult {
  return {
    pickResultType: PickResultType.TRANSIENT_FAILURE,
    subchannel: null,
    status: { code: grpcStatus.UNAVAILABLE, details, metadata: new Metadata() },
    onCallStarted: null,
    onCallEnded: null,
  };
}

export const QUEUED_PICK: experimental.PickResult = {
  pickResultType: PickResultType.QUEUE,
  subchannel: null,
  status: null,
  onCallStarted: null,
  onCallEnded: null,
};
