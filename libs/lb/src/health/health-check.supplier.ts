import type { EndpointChild } from '../policy/endpoint-child.js';
import type { InstanceListSupplier } from '../supplier/instance-list.supplier.js';

/**
 * Drops endpoints that active health checks found unhealthy; an endpoint
 * never checked (unknown) counts as healthy, so a cluster without health
 * checks keeps serving.
 * Fallback: when every endpoint is unhealthy the list is empty — unlike
 * Spring's HealthCheckServiceInstanceListSupplier, which then returns all of
 * them, we leave that decision to the panic supplier at the end of the
 * chain, which applies Envoy's panic threshold.
 */
export class HealthCheckSupplier implements InstanceListSupplier {
  constructor(private readonly delegate: InstanceListSupplier) {}

  get(): readonly EndpointChild[] {
    return this.delegate.get().filter((e) => e.health !== false);
  }
}
