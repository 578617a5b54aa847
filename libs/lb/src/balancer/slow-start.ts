import type { SlowStartConfig } from '../cluster/cluster-config.js';
import type { EndpointChild } from '../policy/endpoint-child.js';

/**
 * Envoy's slow-start weight factor of an endpoint that entered service at
 * `since`: max(min_weight_percent / 100, (elapsed / window)^(1 / aggression)),
 * 1 once the window has passed (or without slow start).
 */
export function slowStartFactor(config: SlowStartConfig | undefined, since: number | undefined, now: number): number {
  if (config === undefined || since === undefined) return 1;
  const elapsed = now - since;
  if (elapsed >= config.windowMs) return 1;
  const ramp = Math.pow(Math.max(0, elapsed) / config.windowMs, 1 / config.aggression);
  return Math.max(config.minWeightPercent / 100, ramp);
}

/**
 * When each endpoint of a balancer entered service, for slow start: an
 * endpoint added after the balancer's first endpoint list, or one that comes
 * back from failing (connect failure, unhealthy, ejected, failed-instance
 * cache: zone failback), ramps up. The endpoints of the first list do not:
 * with every endpoint ramping together the weights would be equal anyway,
 * and the zone shares would spill for nothing at start-up.
 */
export class SlowStartTracker {
  private readonly since = new Map<EndpointChild, number>();
  private readonly inService = new Set<EndpointChild>();
  private readonly initial = new Set<EndpointChild>();

  /** The balancer's first endpoint list (no ramp on their first entry into service). */
  markInitial(children: Iterable<EndpointChild>): void {
    for (const child of children) this.initial.add(child);
  }

  /** Records whether `child` is in service at this rebuild; an entry into service starts its ramp. */
  observe(child: EndpointChild, inService: boolean, now: number): void {
    if (!inService) {
      this.inService.delete(child);
      return;
    }
    if (this.inService.has(child)) return;
    this.inService.add(child);
    if (this.initial.delete(child)) return;
    this.since.set(child, now);
  }

  forget(child: EndpointChild): void {
    this.since.delete(child);
    this.inService.delete(child);
    this.initial.delete(child);
  }

  /** The weight factor of `child` now (1 outside a ramp); finished ramps are dropped. */
  factor(config: SlowStartConfig | undefined, child: EndpointChild, now: number): number {
    const since = this.since.get(child);
    if (since === undefined) return 1;
    const factor = slowStartFactor(config, since, now);
    if (factor >= 1) this.since.delete(child);
    return factor;
  }

  /** When the last ramp in progress ends, or undefined when none is. */
  rampsUntil(config: SlowStartConfig | undefined, now: number): number | undefined {
    if (config === undefined) return undefined;
    let until: number | undefined;
    for (const since of this.since.values()) {
      const end = since + config.windowMs;
      if (end > now && (until === undefined || end > until)) until = end;
    }
    return until;
  }
}
