import type { FailedInstanceCache } from '../zone/failed-instance.cache.js';
import { zoneLoads } from '../zone/zone-load.js';
import type { HttpEndpoint } from './http-endpoint.js';
import type { HttpBalancerPolicy } from './http-policy.config.js';

/** Which rule chose an endpoint; snapshots and tests read it. */
export type HttpPickTier = 'local' | 'spill' | 'remote' | 'fallback' | 'failed';

export interface HttpPick {
  readonly endpoint: HttpEndpoint;
  readonly tier: HttpPickTier;
}

/**
 * Chooses the endpoint of one attempt, the zone-failover supplier's rules for
 * HTTP: zones in order (the caller's own, then `zone_order`, then the rest by
 * name, no zone last); an endpoint is healthy unless the failed-instance
 * cache holds it; zones take load by Envoy's overprovisioning math
 * (zoneLoads, the same function the gRPC policy uses).
 * Fallbacks, in order: endpoints already tried in this request are never
 * chosen while another exists; a healthy untried endpoint of any zone (zone
 * order) when the loaded zones are used up; then an untried endpoint from
 * the failed-instance cache — one that failed a while ago beats no attempt.
 * Runs per attempt (HTTP calls are few): no state to rebuild.
 */
export class HttpEndpointPicker {
  private readonly rrPositions = new Map<string | undefined, number>();

  constructor(
    private readonly policy: HttpBalancerPolicy,
    private readonly callerZone: string | undefined,
    private readonly failed: FailedInstanceCache,
    private readonly random: () => number,
  ) {}

  pick(endpoints: readonly HttpEndpoint[], tried: ReadonlySet<HttpEndpoint>, now: number): HttpPick | undefined {
    const groups = this.zoneGroups(endpoints);
    const healthy = groups.map((g) => g.filter((e) => !this.failed.has(e.key, now)));
    const loads = zoneLoads(
      groups.map((g, i) => ({ healthy: healthy[i]!.length, total: g.length })),
      this.policy.zoneFailover.healthyThreshold,
    );
    const available = healthy.map((g) => g.filter((e) => !tried.has(e)));
    // Draw a zone by load among the zones that still have an untried healthy endpoint.
    let total = 0;
    for (let i = 0; i < groups.length; i += 1) if (available[i]!.length > 0) total += loads[i]!;
    if (total > 0) {
      let draw = this.random() * total;
      for (let i = 0; i < groups.length; i += 1) {
        if (available[i]!.length === 0 || loads[i]! <= 0) continue;
        draw -= loads[i]!;
        if (draw < 0 || i === lastLoaded(available, loads)) {
          const ownLoad = this.callerZone === undefined ? 1 : (loads[0] ?? 0);
          const tier: HttpPickTier = i === 0 && this.isOwn(groups[0]!) ? (ownLoad >= 1 ? 'local' : 'spill') : 'remote';
          return { endpoint: this.choose(available[i]!, groups[i]![0]?.zone), tier };
        }
      }
    }
    const untriedHealthy = available.find((g) => g.length > 0);
    if (untriedHealthy) return { endpoint: this.choose(untriedHealthy, untriedHealthy[0]!.zone), tier: 'fallback' };
    const untriedFailed = groups.map((g) => g.filter((e) => !tried.has(e))).find((g) => g.length > 0);
    if (untriedFailed) return { endpoint: this.choose(untriedFailed, untriedFailed[0]!.zone), tier: 'failed' };
    return undefined;
  }

  private isOwn(group: readonly HttpEndpoint[]): boolean {
    return this.callerZone === undefined || group[0]?.zone === this.callerZone;
  }

  /** Endpoints grouped by zone in failover order; one group when the caller has no zone. */
  private zoneGroups(endpoints: readonly HttpEndpoint[]): HttpEndpoint[][] {
    if (this.callerZone === undefined) return endpoints.length > 0 ? [[...endpoints]] : [];
    const order: Array<string | undefined> = [];
    const add = (zone: string | undefined): void => {
      if (!order.includes(zone) && endpoints.some((e) => e.zone === zone)) order.push(zone);
    };
    add(this.callerZone);
    for (const zone of this.policy.zoneFailover.zoneOrder) add(zone);
    for (const zone of [...new Set(endpoints.map((e) => e.zone))].sort(byName)) add(zone);
    return order.map((zone) => endpoints.filter((e) => e.zone === zone));
  }

  private choose(candidates: readonly HttpEndpoint[], zone: string | undefined): HttpEndpoint {
    if (candidates.length === 1) return candidates[0]!;
    switch (this.policy.lbPolicy) {
      case 'random':
        return candidates[(this.random() * candidates.length) | 0]!;
      case 'least_request': {
        // P2C on requests in flight, as the gRPC least_request balancer does.
        const a = (this.random() * candidates.length) | 0;
        let b = (this.random() * (candidates.length - 1)) | 0;
        if (b >= a) b += 1;
        return candidates[b]!.counters.inFlight < candidates[a]!.counters.inFlight ? candidates[b]! : candidates[a]!;
      }
      case 'round_robin': {
        const position = this.rrPositions.get(zone) ?? ((this.random() * candidates.length) | 0);
        this.rrPositions.set(zone, position + 1);
        return candidates[position % candidates.length]!;
      }
    }
  }
}

/** Index of the last zone that can take load, so float rounding in the draw never falls through. */
function lastLoaded(available: readonly HttpEndpoint[][], loads: readonly number[]): number {
  for (let i = available.length - 1; i >= 0; i -= 1) if (available[i]!.length > 0 && loads[i]! > 0) return i;
  return -1;
}

function byName(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a.localeCompare(b);
}
