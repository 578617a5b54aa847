import { experimental, logVerbosity } from '@grpc/grpc-js';
import type { ResolvedEndpoint } from './endpoint.js';

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

/**
 * Observes calls per endpoint, like Spring's LoadBalancerLifecycle. Metrics,
 * the failed-instance cache and outlier detection build on these hooks, not
 * on the selection code. Hooks run on the call path: keep them cheap, and
 * never throw (a throwing hook is logged and ignored).
 */
export interface LbLifecycle {
  /** A call was started on `target` (after its pick; a pick retried by grpc-js is not counted twice). */
  onStartRequest?(target: LbCallTarget): void;
  /** A started call ended; called exactly once per `onStartRequest`. */
  onComplete?(target: LbCallTarget, status: LbCallStatus): void;
}

let hooks: readonly LbLifecycle[] = [];
/** Hooks that already failed once: logged once, not on every call. */
const reported = new WeakSet<LbLifecycle>();

/** Adds a hook for every zonemesh channel of the process; returns its removal. */
export function addLbLifecycle(hook: LbLifecycle): () => void {
  hooks = [...hooks, hook];
  return () => {
    hooks = hooks.filter((h) => h !== hook);
  };
}

export function notifyStartRequest(target: LbCallTarget): void {
  for (const hook of hooks) {
    try {
      hook.onStartRequest?.(target);
    } catch (error) {
      reportHookError(hook, error);
    }
  }
}

export function notifyComplete(target: LbCallTarget, status: LbCallStatus): void {
  for (const hook of hooks) {
    try {
      hook.onComplete?.(target, status);
    } catch (error) {
      reportHookError(hook, error);
    }
  }
}


function reportHookError(hook: LbLifecycle, error: unknown): void {
  if (reported.has(hook)) return;
  reported.add(hook);
  experimental.log(logVerbosity.ERROR, `zonemesh LB lifecycle hook failed (further failures of this hook are not logged): ${(error as Error)?.message ?? String(error)}`);
}
