import type { EndpointChild } from '../policy/endpoint-child.js';
import type { EndpointBalancer } from './endpoint-balancer.js';

/**
 * Envoy's least_request with choice_count 2 (power of two choices): two
 * distinct endpoints at random, the one with fewer calls in flight wins.
 * P2C avoids the herd a full "least" scan causes among many callers.
 */
export class LeastRequestBalancer implements EndpointBalancer {
  constructor(
    private readonly endpoints: readonly EndpointChild[],
    private readonly random: () => number,
  ) {}

  choose(): number {
    const n = this.endpoints.length;
    if (n === 1) return 0;
    const a = (this.random() * n) | 0;
    let b = (this.random() * (n - 1)) | 0;
    if (b >= a) b += 1;
    return this.endpoints[b]!.counters.inFlight < this.endpoints[a]!.counters.inFlight ? b : a;
  }
}
