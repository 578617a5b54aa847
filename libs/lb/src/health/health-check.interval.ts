import type { HealthCheckConfig } from './health-check.config.js';
import type { HealthTransition } from './host-health.state.js';

/**
 * The wait before the next check, after Envoy's HealthCheckerImplBase::interval:
 * no_traffic_interval until the cluster has traffic; after a failure
 * unhealthy_interval, or unhealthy_edge_interval while the host is still
 * counting towards unhealthy_threshold; after a success interval, or
 * healthy_edge_interval while it is counting towards healthy_threshold.
 * Jitter applies to every one of them.
 */
export function nextCheckDelay(
  config: HealthCheckConfig,
  result: 'success' | 'failure',
  transition: HealthTransition,
  hasTraffic: boolean,
  random: () => number,
): number {
  let base: number;
  if (!hasTraffic) base = config.noTrafficIntervalMs;
  else if (result === 'failure') base = transition === 'pending' ? config.unhealthyEdgeIntervalMs : config.unhealthyIntervalMs;
  else base = transition === 'pending' ? config.healthyEdgeIntervalMs : config.intervalMs;
  return withJitter(base, config, random);
}

/** Envoy's intervalWithJitter: + random % (percent of base), + random % interval_jitter. */
export function withJitter(baseMs: number, config: Pick<HealthCheckConfig, 'intervalJitterMs' | 'intervalJitterPercent'>, random: () => number): number {
  let delay = baseMs;
  const percentSpan = Math.floor((config.intervalJitterPercent * baseMs) / 100);
  if (percentSpan > 0) delay += Math.floor(random() * percentSpan);
  if (config.intervalJitterMs > 0) delay += Math.floor(random() * config.intervalJitterMs);
  return delay;
}
