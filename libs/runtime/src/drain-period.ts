import type { ClusterConfig } from '@zonemesh/lb';

/**
 * How long a stopping instance keeps serving after it turned NOT_SERVING and
 * deregistered: long enough for every caller to notice by either path.
 * - Discovery: callers fetch the registry every `fetchIntervalMs`, so one
 *   interval after the deregistration the instance is gone from every list.
 * - Health checks (the caller's cluster settings for this service): the next
 *   check, at most one interval plus its jitter away, sees NOT_SERVING (an
 *   ACTIVE failure: unhealthy at once, no threshold) within its timeout.
 * The sum is the worst case of a caller that learns by the slower path only.
 * Envoy's drain (`--drain-time-s`) and Kubernetes' preStop sleep play the
 * same part; Spring's graceful shutdown waits for in-flight requests only.
 */
export function drainPeriodMs(fetchIntervalMs: number, callersCluster: ClusterConfig | undefined): number {
  let healthMs = 0;
  for (const check of callersCluster?.healthChecks ?? []) {
    const interval = check.intervalMs * (1 + check.intervalJitterPercent / 100) + check.intervalJitterMs;
    healthMs = Math.max(healthMs, interval + check.timeoutMs);
  }
  return Math.ceil(fetchIntervalMs + healthMs);
}

/** Default bound of each shutdown step (deregistration, in-flight calls finishing, closing). */
export const SHUTDOWN_STEP_MS = 2_000;
/** Time given to export the last spans after the service stopped. */
export const TRACING_FLUSH_MS = 2_000;

/** The longest a graceful stop takes: deregistration overlaps the drain, then in-flight calls and the close. */
export function stopBudgetMs(drainMs: number, stepMs = SHUTDOWN_STEP_MS): number {
  return Math.max(drainMs, stepMs) + 2 * stepMs;
}

/** How long after SIGTERM a service process may still be running: what a supervisor waits before SIGKILL. */
export function serviceExitBudgetMs(drainMs: number, stepMs = SHUTDOWN_STEP_MS): number {
  return stopBudgetMs(drainMs, stepMs) + TRACING_FLUSH_MS;
}
