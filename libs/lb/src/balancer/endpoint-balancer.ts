import type { EndpointChild } from '../policy/endpoint-child.js';
import type { LbPolicyName } from '../cluster/cluster-config.js';
import { LeastRequestBalancer } from './least-request.balancer.js';
import { PeakEwmaBalancer } from './peak-ewma.balancer.js';
import { RandomBalancer } from './random.balancer.js';
import { RoundRobinBalancer } from './round-robin.balancer.js';
import { WeightedBalancer } from './weighted.balancer.js';

/**
 * Chooses among the endpoints of one zone level. Built when the picker is
 * rebuilt; `choose()` runs on every call: synchronous, no allocation.
 */
export interface EndpointBalancer {
  /** Index into the level's endpoints. */
  choose(): number;
  /** The endpoint the next call would go to, for a successor balancer to continue from (round robin). */
  nextKey?(): string | undefined;
}

export interface BalancerContext {
  readonly random: () => number;
  readonly now: () => number;
  /** The key the previous balancer of this level would have used next (keeps round robin's position). */
  readonly continueAt: string | undefined;
}

export function createBalancer(policy: LbPolicyName, endpoints: readonly EndpointChild[], context: BalancerContext): EndpointBalancer {
  switch (policy) {
    case 'random':
      return new RandomBalancer(endpoints.length, context.random);
    case 'least_request':
      return new LeastRequestBalancer(endpoints, context.random);
    case 'weighted':
      return new WeightedBalancer(endpoints, context.random);
    case 'peak_ewma':
      return new PeakEwmaBalancer(endpoints, context.random, context.now);
    case 'round_robin':
      return new RoundRobinBalancer(endpoints, context.random, context.continueAt);
  }
}
