import type { EndpointChild } from '../policy/endpoint-child.js';
import type { InstanceListSupplier } from './instance-list.supplier.js';

/**
 * The head of the chain: every endpoint discovery (resolver) currently
 * lists, whatever its connection or health state.
 * Fallback: none needed — an empty list makes the channel fail calls with
 * UNAVAILABLE naming the cluster.
 */
export class DiscoverySupplier implements InstanceListSupplier {
  constructor(private readonly endpoints: readonly EndpointChild[]) {}

  get(): readonly EndpointChild[] {
    return this.endpoints;
  }
}
