import type { EndpointChild } from '../policy/endpoint-child.js';
import type { InstanceListSupplier, ZonePlan } from './instance-list.supplier.js';

/**
 * Envoy's panic mode, the last link: when fewer than `panic_threshold` of the
 * endpoints are healthy, health checks, ejections and the failed-instance
 * cache are probably wrong (or the cluster is overloaded), so calls go to
 * every connected endpoint of every zone rather than crushing the few left.
 * Fallback: none below it — with no connected endpoint at all the plan is
 * empty and calls fail (or wait while connections are being made).
 */
export class PanicSupplier implements InstanceListSupplier<ZonePlan> {
  constructor(
    private readonly delegate: InstanceListSupplier<ZonePlan>,
    private readonly all: InstanceListSupplier,
    private readonly panicThreshold: number,
  ) {}

  get(): ZonePlan {
    const plan = this.delegate.get();
    if (plan.healthyShare >= this.panicThreshold || this.panicThreshold <= 0) return plan;
    const ready: EndpointChild[] = this.all.get().filter((e) => e.ready);
    return {
      tier: ready.length > 0 ? 'panic' : 'none',
      panic: true,
      // In panic, calls follow the endpoints: the share of connected endpoints outside the caller's zone.
      spillShare: ready.length > 0 && ready.some((e) => e.local) ? ready.filter((e) => !e.local).length / ready.length : plan.spillShare,
      healthyShare: plan.healthyShare,
      levels: ready.length > 0 ? [{ zone: undefined, load: 1, endpoints: ready }] : [],
    };
  }
}
