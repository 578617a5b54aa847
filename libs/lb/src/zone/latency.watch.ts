import type { LatencySpillConfig } from '../cluster/cluster-config.js';
import type { LbClock, LbTimer } from '../lb-clock.js';
import { addZoneEndpoints, slowOutliers, slowZones, slownessFollowedTraffic, type LatencySample } from './latency-spill.js';

/** How often latencies are compared: health checks refresh them about once per interval. */
const EVALUATE_EVERY_MS = 1_000;
/**
 * How long the zone rule stays off once slowness followed the traffic: three
 * failed_instance_ttl of mesh.yaml (10 s), long enough that the zone that
 * took the spill has failed back and the load shows where it really is.
 */
export const LOAD_FOLLOW_HOLD_MS = 30_000;
/**
 * Evaluations in a row a zone or an endpoint must be slow before it is
 * marked (about 3 s): health-check round trips of a busy process spike for a
 * check or two, and one spike must not move a zone's traffic.
 */
export const SUSTAINED_EVALUATIONS = 3;

/**
 * Re-evaluates zone_failover.latency once a second while it is configured
 * and tells the balancer when the set of slow endpoints changed, or while it
 * is not empty (each sighting restarts their failed-instance TTL, so a zone
 * fails back failed_instance_ttl after it was last seen slow).
 *
 * A zone spilled for latency whose slowness then shows up in the zone that
 * took its traffic was loaded, not slow: the zone rule is held off for
 * LOAD_FOLLOW_HOLD_MS (the endpoint rule, within a zone, stays on) and the
 * spilled zone fails back as usual.
 */
export class LatencyWatch {
  private timer: LbTimer | null = null;
  private config: LatencySpillConfig | undefined;
  private spilledZones: ReadonlySet<string | undefined> = new Set();
  private heldUntil = Number.NEGATIVE_INFINITY;
  private zoneStreaks = new Map<string | undefined, number>();
  private endpointStreaks = new Map<string, number>();
  slow: ReadonlySet<string> = new Set();

  constructor(
    private readonly clock: LbClock,
    private readonly samples: () => readonly LatencySample[],
    private readonly changed: () => void,
    /** Told when the zone rule is held off: the zones that were spilled, and until when. */
    private readonly held: (zones: readonly (string | undefined)[], untilMs: number) => void = () => undefined,
  ) {}

  configure(config: LatencySpillConfig | undefined): void {
    this.config = config;
    if (!config) {
      this.stop();
      this.slow = new Set();
      this.spilledZones = new Set();
    } else if (!this.timer) this.schedule();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  /** Whether the zone rule is held off now (slowness followed the traffic). */
  isHeld(): boolean {
    return this.clock.now() < this.heldUntil;
  }

  /** Compares now (also what the timer runs); returns whether any endpoint is slow. */
  evaluate(): boolean {
    const config = this.config;
    if (!config) return false;
    const now = this.clock.now();
    const samples = this.samples();
    const before = this.slow;
    const zoneCandidates = now < this.heldUntil ? new Set<string | undefined>() : slowZones(samples, config, this.spilledZones);
    this.zoneStreaks = streaks(this.zoneStreaks, zoneCandidates);
    let zones = sustained(zoneCandidates, this.spilledZones, this.zoneStreaks);
    if (this.spilledZones.size > 0 && slownessFollowedTraffic(samples, config, this.spilledZones, zones)) {
      this.heldUntil = now + LOAD_FOLLOW_HOLD_MS;
      this.held([...this.spilledZones], this.heldUntil);
      zones = new Set();
      this.zoneStreaks = new Map();
    }
    this.spilledZones = zones;
    const outliers = slowOutliers(samples, config, before);
    this.endpointStreaks = streaks(this.endpointStreaks, outliers);
    const next = addZoneEndpoints(sustained(outliers, before, this.endpointStreaks), samples, zones);
    this.slow = next;
    if (next.size > 0 || before.size > 0) this.changed();
    return next.size > 0;
  }

  private schedule(): void {
    this.timer = this.clock.setTimer(() => {
      this.timer = null;
      this.evaluate();
      if (this.config) this.schedule();
    }, EVALUATE_EVERY_MS);
  }
}

/** Consecutive evaluations each candidate has been slow; a candidate that is not slow now starts again. */
function streaks<K>(previous: ReadonlyMap<K, number>, candidates: ReadonlySet<K>): Map<K, number> {
  return new Map([...candidates].map((k) => [k, (previous.get(k) ?? 0) + 1]));
}

/** Candidates marked already (they leave by the hysteresis bar alone) or slow for SUSTAINED_EVALUATIONS in a row. */
function sustained<K>(candidates: ReadonlySet<K>, marked: ReadonlySet<K>, counts: ReadonlyMap<K, number>): Set<K> {
  return new Set([...candidates].filter((k) => marked.has(k) || (counts.get(k) ?? 0) >= SUSTAINED_EVALUATIONS));
}
