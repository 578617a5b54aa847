import { Metadata, experimental, status as grpcStatus } from '@grpc/grpc-js';
import type { EndpointChild } from './endpoint-child.js';
import type { EndpointBalancer } from './balancer/endpoint-balancer.js';
import type { RetryPolicyConfig, SubsetConfig } from './cluster/cluster-config.js';
import type { ZonePlan } from './supplier/instance-list.supplier.js';
import type { LbRequest } from './lb-lifecycle.js';

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
  /** QUEUE while connections are being made, TRANSIENT_FAILURE when none can be. */
  readonly empty: experimental.PickResult;
}

/** What the picker needs from its balancer, stable across rebuilds. */
export interface PickerContext {
  readonly cluster: string;
  readonly sourceZone: string | undefined;
  readonly subset: SubsetConfig | undefined;
  readonly retry: RetryPolicyConfig | undefined;
  readonly random: () => number;
  readonly now: () => number;
  /** Endpoints each call has tried, keyed by the call's metadata options object (shared by every attempt's metadata clone). */
  readonly tried: WeakMap<object, EndpointChild[]>;
  /** Calls in flight on this channel, and retries among them. */
  readonly inFlight: { calls: number; retries: number };
  /** Lifecycle hooks are installed or the policy needs per-call timing: wrap calls individually. */
  perCall(): boolean;
  onStart(request: LbRequest): void;
  callStarted(request: LbRequest, child: EndpointChild): void;
  callEnded(request: LbRequest, child: EndpointChild, code: number, details: string): void;
  retryBudgetExhausted(): void;
}

/**
 * The zonemesh picker: an immutable snapshot of the supplier chain's result
 * per subset, rebuilt by the balancer on every relevant change. A pick reads
 * the subset header (when configured), draws a zone level by load (only
 * while spilling), lets the level's balancer choose, and — on a grpc-js
 * retry attempt — steers away from the endpoints the call already tried and
 * enforces the retry budget.
 */
export class ZonemeshPicker implements experimental.Picker {
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
    if (!target || target.levels.length === 0) return target?.empty ?? drop(`zonemesh: no endpoints for cluster ${ctx.cluster}`);

    let attempt = 1;
    let tried: EndpointChild[] | undefined;
    let callKey: object | undefined;
    if (ctx.retry) {
      const previous = args.metadata.get(PREVIOUS_ATTEMPTS);
      if (previous.length > 0) attempt = Number(previous[0]) + 1;
      callKey = args.metadata.getOptions();
      if (attempt > 1) {
        tried = ctx.tried.get(callKey);
        const allowed = Math.max(ctx.retry.minRetryConcurrency, (ctx.retry.budgetPercent / 100) * ctx.inFlight.calls);
        if (ctx.inFlight.retries + 1 > allowed) {
          ctx.retryBudgetExhausted();
          return drop(`zonemesh: retry budget of cluster ${ctx.cluster} exhausted`);
        }
      }
    }

    const perCall = ctx.perCall() || attempt > 1;
    const request: LbRequest | undefined = perCall
      ? { cluster: ctx.cluster, sourceZone: ctx.sourceZone, attempt, subset: subsetValue, startedAt: ctx.now() }
      : undefined;
    if (request) ctx.onStart(request);

    let child = this.choose(target);
    if (tried !== undefined && tried.includes(child)) child = untried(target, tried) ?? child;
    const result = child.leafPicker.pick(args);
    if (result.pickResultType !== PickResultType.COMPLETE) return result;

    if (callKey !== undefined) {
      if (attempt === 1 || tried === undefined) ctx.tried.set(callKey, [child]);
      else tried.push(child);
    }
    if (!request) return child.completePick(result);
    return child.completePickWith(
      result,
      () => ctx.callStarted(request, child),
      (code, details) => ctx.callEnded(request, child, code, details),
    );
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

/** The first endpoint the call has not tried, in zone order: a retry stays as close as it can. */
function untried(target: SubsetPick, tried: readonly EndpointChild[]): EndpointChild | undefined {
  for (const level of target.levels) {
    for (const endpoint of level.endpoints) if (!tried.includes(endpoint)) return endpoint;
  }
  return undefined;
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
