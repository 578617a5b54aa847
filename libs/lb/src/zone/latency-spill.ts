import type { LatencySpillConfig } from '../cluster/cluster-config.js';

export interface LatencySample {
  readonly key: string;
  readonly zone: string | undefined;
  /** Health-check round trip EWMA (ms); undefined while unknown. */
  readonly latencyMs: number | undefined;
}

/**
 * The endpoints that are slow enough to count as failing (zone_failover.latency):
 * - a zone whose median latency is `factor` x the fastest zone's median and
 *   at least `min_added` above it: all its endpoints (the zone spills like a
 *   failed one, and fails back after failed_instance_ttl once it is fast);
 * - an endpoint `factor` x the cluster's median and `min_added` above it.
 * Hysteresis: what is slow already stays slow until it is back under half
 * the distance (factor 3 enters at 3x, leaves under 2x; min_added halves),
 * so a zone near the line does not flap in and out at every evaluation.
 * Envoy has no latency-based ejection; Linkerd's peak EWMA weighs latency
 * only among the endpoints a pick sees, never across zones.
 */
export function slowEndpoints(samples: readonly LatencySample[], config: LatencySpillConfig, wasSlow: ReadonlySet<string>): Set<string> {
  const known = samples.filter((s): s is LatencySample & { latencyMs: number } => s.latencyMs !== undefined);
  const slow = new Set<string>();
  if (known.length < 2) return slow;
  const exitFactor = 1 + (config.factor - 1) / 2;
  const isSlow = (value: number, reference: number, before: boolean): boolean =>
    before
      ? value >= reference * exitFactor && value - reference >= config.minAddedMs / 2
      : value >= reference * config.factor && value - reference >= config.minAddedMs;

  const zones = new Map<string | undefined, Array<LatencySample & { latencyMs: number }>>();
  for (const sample of known) {
    const list = zones.get(sample.zone);
    if (list) list.push(sample);
    else zones.set(sample.zone, [sample]);
  }
  if (zones.size > 1) {
    const medians = new Map([...zones].map(([zone, list]) => [zone, median(list.map((s) => s.latencyMs))]));
    const fastest = Math.min(...medians.values());
    for (const [zone, list] of zones) {
      const before = list.every((s) => wasSlow.has(s.key));
      if (isSlow(medians.get(zone)!, fastest, before)) for (const s of list) slow.add(s.key);
    }
  }
  const clusterMedian = median(known.map((s) => s.latencyMs));
  for (const sample of known) {
    if (!slow.has(sample.key) && isSlow(sample.latencyMs, clusterMedian, wasSlow.has(sample.key))) slow.add(sample.key);
  }
  return slow;
}

/** The lower median: a zone is slow only when at least half of its endpoints are (one slow endpoint is the endpoint rule's). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[(sorted.length - 1) >> 1]!;
}
