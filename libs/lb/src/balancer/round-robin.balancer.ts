import type { EndpointChild } from '../policy/endpoint-child.js';
import type { EndpointBalancer } from './endpoint-balancer.js';

/**
 * Round robin from a random start (so a fleet of callers does not hit the
 * same endpoint first), continuing across rebuilds at the endpoint that was
 * next, or at the same position if that one left.
 */
export class RoundRobinBalancer implements EndpointBalancer {
  private next: number;

  constructor(
    private readonly endpoints: readonly EndpointChild[],
    random: () => number,
    continueAt: string | undefined,
  ) {
    const found = continueAt === undefined ? -1 : endpoints.findIndex((e) => e.key === continueAt);
    this.next = found >= 0 ? found : (random() * endpoints.length) | 0;
  }

  choose(): number {
    const index = this.next;
    this.next = index + 1 >= this.endpoints.length ? 0 : index + 1;
    return index;
  }

  nextKey(): string | undefined {
    return this.endpoints[this.next]?.key;
  }
}
