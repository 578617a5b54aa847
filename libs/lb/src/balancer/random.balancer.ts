import type { EndpointBalancer } from './endpoint-balancer.js';

/** Uniform random choice: no shared cursor, so no coordination between callers at all. */
export class RandomBalancer implements EndpointBalancer {
  constructor(
    private readonly size: number,
    private readonly random: () => number,
  ) {}

  choose(): number {
    return (this.random() * this.size) | 0;
  }
}
