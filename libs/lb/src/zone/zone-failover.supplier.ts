import type { EndpointChild } from '../policy/endpoint-child.js';
import type { ZoneFailoverConfig } from '../cluster/cluster-config.js';
import type { InstanceListSupplier, ZoneLevel, ZonePlan, ZoneTier } from '../supplier/instance-list.supplier.js';
import { zoneLoads } from './zone-load.js';

/**
 * Zone preference with gradual failover and deliberate failback. Zones are
 * ordered: the caller's own zone, then `zone_order`, then the rest by name
 * (endpoints without a zone last). An endpoint counts as healthy when the
 * delegate kept it (health checks, outlier detection), its connection is not
 * failing and it is not in the failed-instance cache. The own zone keeps
 * 100% of calls while its healthy share is at least `healthy_threshold`;
 * below that, calls spill proportionally to the next zones (Envoy's
 * overprovisioning math, see zoneLoads). A zone whose healthy endpoints are
 * not connected yet passes its share on to the next zones. With slow start,
 * an endpoint ramping up counts as its weight factor: a zone that comes back
 * (failback) takes its share back over the slow-start window, not at once.
 * Fallback: with no caller zone, one pool of every zone; with no healthy
 * endpoint anywhere, an empty plan (tier `none`) for the panic supplier.
 */
export class ZoneFailoverSupplier implements InstanceListSupplier<ZonePlan> {
  constructor(
    private readonly healthy: InstanceListSupplier,
    private readonly all: InstanceListSupplier,
    private readonly isFailedInstance: (endpoint: EndpointChild) => boolean,
    private readonly config: ZoneFailoverConfig,
    private readonly callerZone: string | undefined,
    /** Slow start: an endpoint ramping up counts as this fraction of a healthy one, so its zone's share ramps with it. */
    private readonly weight?: (endpoint: EndpointChild) => number,
  ) {}

  get(): ZonePlan {
    const all = this.all.get();
    const healthySet = new Set(this.healthy.get().filter((e) => !this.isFailedInstance(e)));
    // No caller zone: no preference, one pool of every zone.
    const zones = this.callerZone === undefined ? [undefined] : this.orderedZones(all);
    const groups = this.callerZone === undefined ? [all] : zones.map((zone) => all.filter((e) => e.zone === zone));
    const weight = this.weight;
    const healthyCounts = groups.map((g) => {
      let healthy = 0;
      for (const e of g) if (healthySet.has(e)) healthy += weight ? weight(e) : 1;
      return healthy;
    });
    const loads = zoneLoads(
      groups.map((g, i) => ({ healthy: healthyCounts[i]!, total: g.length })),
      this.config.healthyThreshold,
    );
    const levels: ZoneLevel[] = [];
    let total = 0;
    groups.forEach((group, i) => {
      const ready = group.filter((e) => e.ready && healthySet.has(e));
      if (ready.length > 0 && loads[i]! > 0) levels.push({ zone: zones[i], load: loads[i]!, endpoints: ready });
      total += ready.length > 0 ? loads[i]! : 0;
    });
    const normalized = total > 0 ? levels.map((l) => ({ ...l, load: l.load / total })) : [];
    const healthyShare = all.length === 0 ? 0 : healthySet.size / all.length;
    const own = this.callerZone === undefined ? undefined : normalized.find((l) => l.zone === this.callerZone);
    const ownLoad = this.callerZone === undefined ? (normalized.length > 0 ? 1 : 0) : (own?.load ?? 0);
    let tier: ZoneTier = 'none';
    if (normalized.length > 0) tier = ownLoad >= 1 ? 'local' : ownLoad > 0 ? 'spill' : 'remote';
    return {
      tier,
      panic: false,
      spillShare: this.callerZone === undefined || normalized.length === 0 ? 0 : 1 - ownLoad,
      healthyShare,
      levels: normalized,
    };
  }

  private orderedZones(all: readonly EndpointChild[]): Array<string | undefined> {
    const present = new Set(all.map((e) => e.zone));
    const ordered: Array<string | undefined> = [];
    const add = (zone: string | undefined): void => {
      if (present.has(zone) && !ordered.includes(zone)) ordered.push(zone);
    };
    add(this.callerZone);
    for (const zone of this.config.zoneOrder) add(zone);
    for (const zone of [...present].sort(byName)) add(zone);
    return ordered;
  }
}

function byName(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a.localeCompare(b);
}
