import type { LatencySpillConfig } from '../cluster/cluster-config.js';

export interface LatencySample {
  readonly key: string;
  readonly zone: string | undefined;
  /** Health-check round trip EWMA (ms); undefined while unknown. */
  readonly latencyMs: number | undefined;
}

type Known = LatencySample & { latencyMs: number };

/**
 * zone_failover.latency, the zone rule: a zone whose median latency is
 * `factor` x the fastest zone's median and at least `min_added` above it
 * spills like a failed zone (and fails back failed_instance_ttl after it is
 * fast again). Hysteresis: a zone that is slow already stays slow until it is
 * back under half the distance (factor 3 enters at 3x, leaves under 2x;
 * min_added halves), so a zone near the line does not flap.
 * Envoy has no latency-based ejection; Linkerd's peak EWMA weighs latency
 * only among the endpoints a pick sees, never across zones.
 */
export function slowZones(samples: readonly LatencySample[], config: LatencySpillConfig, wasSlow: ReadonlySet<string | undefined>): Set<string | undefined> {
  const slow = new Set<string | undefined>();
  const medians = zoneMedians(samples);
  if (medians.size < 2) return slow;
  const fastest = Math.min(...medians.values());
  for (const [zone, value] of medians) if (isSlow(value, fastest, config, wasSlow.has(zone))) slow.add(zone);
  return slow;
}

/**
 * The endpoint rule: an endpoint `factor` x its own zone's median and
 * `min_added` above it. Against its zone, not the cluster: zone preference
 * sends a zone's endpoints the same traffic, so they are comparable, while a
 * preferred zone carrying everything is slower than an idle one by load alone.
 */
export function slowOutliers(samples: readonly LatencySample[], config: LatencySpillConfig, wasSlow: ReadonlySet<string>): Set<string> {
  const slow = new Set<string>();
  for (const list of byZone(samples).values()) {
    if (list.length < 2) continue;
    const reference = median(list.map((s) => s.latencyMs));
    for (const s of list) if (isSlow(s.latencyMs, reference, config, wasSlow.has(s.key))) slow.add(s.key);
  }
  return slow;
}

/** Both rules: every endpoint of a slow zone, plus the outliers of the others. */
export function slowEndpoints(samples: readonly LatencySample[], config: LatencySpillConfig, wasSlow: ReadonlySet<string>, zonesAllowed = true): Set<string> {
  const wasSlowZones = new Set([...byZone(samples)].filter(([, list]) => list.every((s) => wasSlow.has(s.key))).map(([zone]) => zone));
  const zones = zonesAllowed ? slowZones(samples, config, wasSlowZones) : new Set<string | undefined>();
  return addZoneEndpoints(slowOutliers(samples, config, wasSlow), samples, zones);
}

/** Adds to `slow` every endpoint (with a latency) of the slow `zones`; returns `slow`. */
export function addZoneEndpoints(slow: Set<string>, samples: readonly LatencySample[], zones: ReadonlySet<string | undefined>): Set<string> {
  for (const s of samples) if (s.latencyMs !== undefined && zones.has(s.zone)) slow.add(s.key);
  return slow;
}

/**
 * Whether slowness followed the traffic: a zone spilled for latency is fast
 * now and a zone that took its traffic is slow by the exit bar. A zone that
 * is merely slow stays slow after its traffic is gone; one that was only
 * loaded is fast as soon as it is idle, and the load makes its new home slow
 * (the overload of a whole mesh, or a spill onto a zone without the spare
 * capacity). Spilling again would only move the queue back and forth.
 */
export function slownessFollowedTraffic(samples: readonly LatencySample[], config: LatencySpillConfig, spilled: ReadonlySet<string | undefined>, slowNow: ReadonlySet<string | undefined>): boolean {
  const medians = zoneMedians(samples);
  for (const zone of spilled) {
    const was = medians.get(zone);
    if (slowNow.has(zone) || was === undefined) continue;
    for (const [other, value] of medians) if (other !== zone && !spilled.has(other) && isSlow(value, was, config, true)) return true;
  }
  return false;
}

function isSlow(value: number, reference: number, config: LatencySpillConfig, before: boolean): boolean {
  const factor = before ? 1 + (config.factor - 1) / 2 : config.factor;
  const added = before ? config.minAddedMs / 2 : config.minAddedMs;
  return value >= reference * factor && value - reference >= added;
}

function byZone(samples: readonly LatencySample[]): Map<string | undefined, Known[]> {
  const zones = new Map<string | undefined, Known[]>();
  for (const sample of samples) {
    if (sample.latencyMs === undefined) continue;
    const list = zones.get(sample.zone);
    if (list) list.push(sample as Known);
    else zones.set(sample.zone, [sample as Known]);
  }
  return zones;
}

function zoneMedians(samples: readonly LatencySample[]): Map<string | undefined, number> {
  return new Map([...byZone(samples)].map(([zone, list]) => [zone, median(list.map((s) => s.latencyMs))]));
}

/** The lower median: a zone is slow only when at least half of its endpoints are (one slow endpoint is the endpoint rule's). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[(sorted.length - 1) >> 1]!;
}
