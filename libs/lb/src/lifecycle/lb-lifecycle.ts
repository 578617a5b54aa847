import { experimental, logVerbosity } from '@grpc/grpc-js';
import type { ResolvedEndpoint } from '../endpoint.js';
import type { EjectionReason } from '../outlier/outlier-state.js';

/** The endpoint a call went to, as lifecycle hooks see it (one stable object per endpoint and channel). */
export interface LbCallTarget {
  /** The cluster name: the LB config's `cluster`, else the channel target (`eureka:///CATALOG`). */
  readonly cluster: string;
  readonly endpoint: ResolvedEndpoint;
  /** True when the endpoint is in the caller's own zone. */
  readonly local: boolean;
}

/** How a call ended: the gRPC status code (0 = OK) and its details. */
export interface LbCallStatus {
  readonly code: number;
  readonly details: string;
}

/** One pick of one call attempt (Spring's `Request`). */
export interface LbRequest {
  readonly cluster: string;
  /** The caller's zone, if any. */
  readonly sourceZone: string | undefined;
  /** 1 for the first attempt, 2 for the first retry... */
  readonly attempt: number;
  /** The subset value the request selected (e.g. `v2`), when the cluster routes by subset. */
  readonly subset: string | undefined;
  /** Clock time of the pick. */
  readonly startedAt: number;
}

/** A finished call attempt (Spring's `CompletionContext`). */
export interface LbCompletion {
  readonly request: LbRequest;
  readonly target: LbCallTarget;
  readonly status: LbCallStatus;
  readonly durationMs: number;
}

/** A decision of a balancer, for logs and metrics: every change of traffic is visible. */
export type LbEvent =
  | {
      readonly type: 'ejected';
      readonly cluster: string;
      readonly endpoint: ResolvedEndpoint;
      readonly reason: EjectionReason;
      readonly until: number;
      readonly ejectionCount: number;
    }
  | { readonly type: 'unejected'; readonly cluster: string; readonly endpoint: ResolvedEndpoint; readonly reason: 'expired' | 'health_check' }
  | { readonly type: 'failed-instance-cached'; readonly cluster: string; readonly endpoint: ResolvedEndpoint }
  | { readonly type: 'failed-instance-expired'; readonly cluster: string; readonly endpoint: ResolvedEndpoint }
  | {
      readonly type: 'zone-plan';
      readonly cluster: string;
      readonly subset: string | undefined;
      readonly tier: string;
      readonly spillShare: number;
      readonly panic: boolean;
      readonly zoneLoads: Readonly<Record<string, number>>;
    }
  | { readonly type: 'retry'; readonly cluster: string; readonly attempt: number; readonly endpoint: ResolvedEndpoint }
  | { readonly type: 'retry-budget-exhausted'; readonly cluster: string }
  /** zone_failover.latency: a spilled zone's slowness followed its traffic (load, not a slow zone); the zone rule is off until `until`. */
  | { readonly type: 'latency-spill-held'; readonly cluster: string; readonly zones: readonly string[]; readonly until: number };

/**
 * Observes calls per endpoint, with Spring's LoadBalancerLifecycle names,
 * wired to grpc-js `onCallStarted`/`onCallEnded`. Metrics build on these
 * hooks, not on the selection code. Hooks run on the call path: keep them
 * cheap, and never throw (a throwing hook is logged once and ignored).
 */
export interface LbLifecycle {
  /** Before an endpoint is chosen (a pick that grpc-js queues and re-runs calls it again). */
  onStart?(request: LbRequest): void;
  /** A call attempt was started on `target`. */
  onStartRequest?(request: LbRequest, target: LbCallTarget): void;
  /** A started attempt ended; called exactly once per `onStartRequest`. */
  onComplete?(completion: LbCompletion): void;
  /** A balancer decision (ejection, zone plan change, retry...). */
  onEvent?(event: LbEvent): void;
}

let hooks: readonly LbLifecycle[] = [];
/** Recomputed when hooks change, read on every pick. */
let startHooks = false;
let completeHooks = false;
/** Hooks that already failed once: logged once, not on every call. */
const reported = new WeakSet<LbLifecycle>();

/** Adds a hook for every zonemesh channel of the process; returns its removal. */
export function addLbLifecycle(hook: LbLifecycle): () => void {
  hooks = [...hooks, hook];
  summarize();
  return () => {
    hooks = hooks.filter((h) => h !== hook);
    summarize();
  };
}

function summarize(): void {
  startHooks = hooks.some((h) => h.onStart !== undefined);
  completeHooks = hooks.some((h) => h.onComplete !== undefined);
}

/** True when some hook has `onStart` (the pick then builds its request before choosing). */
export function hasLbStartHooks(): boolean {
  return startHooks;
}

/** True when some hook has `onComplete` (attempts are then timed). */
export function hasLbCompleteHooks(): boolean {
  return completeHooks;
}

/** True when some hook wants per-call requests (the pick path then allocates them). */
export function hasLbLifecycles(): boolean {
  return hooks.length > 0;
}

export function notifyStart(request: LbRequest): void {
  for (const hook of hooks) {
    if (!hook.onStart) continue;
    try {
      hook.onStart(request);
    } catch (error) {
      reportHookError(hook, error);
    }
  }
}

export function notifyStartRequest(request: LbRequest, target: LbCallTarget): void {
  for (const hook of hooks) {
    if (!hook.onStartRequest) continue;
    try {
      hook.onStartRequest(request, target);
    } catch (error) {
      reportHookError(hook, error);
    }
  }
}

export function notifyComplete(completion: LbCompletion): void {
  for (const hook of hooks) {
    if (!hook.onComplete) continue;
    try {
      hook.onComplete(completion);
    } catch (error) {
      reportHookError(hook, error);
    }
  }
}

export function notifyEvent(event: LbEvent): void {
  experimental.trace(logVerbosity.DEBUG, 'zonemesh', JSON.stringify(event));
  for (const hook of hooks) {
    if (!hook.onEvent) continue;
    try {
      hook.onEvent(event);
    } catch (error) {
      reportHookError(hook, error);
    }
  }
}

function reportHookError(hook: LbLifecycle, error: unknown): void {
  if (reported.has(hook)) return;
  reported.add(hook);
  experimental.log(
    logVerbosity.ERROR,
    `zonemesh LB lifecycle hook failed (further failures of this hook are not logged): ${(error as Error)?.message ?? String(error)}`,
  );
}
