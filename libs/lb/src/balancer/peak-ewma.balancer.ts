import type { EndpointChild } from '../policy/endpoint-child.js';
import type { EndpointBalancer } from './endpoint-balancer.js';

/**
 * Latency-aware P2C as Linkerd does it (tower's PeakEwma): two distinct
 * endpoints at random, the cheaper wins, cost = peak-EWMA round-trip time x
 * (calls in flight + 1). Peaks count at once, improvements decay in, so a
 * slow endpoint is avoided quickly and trusted again gradually.
 */
export class PeakEwmaBalancer implements EndpointBalancer {
  constructor(
    private readonly endpoints: readonly EndpointChild[],
    private readonly random: () => number,
    private readonly now: () => number,
  ) {}

  choose(): number {
    const n = this.endpoints.length;
    if (n === 1) return 0;
    const a = (this.random() * n) | 0;
    let b = (this.random() * (n - 1)) | 0;
    if (b >= a) b += 1;
    const now = this.now();
    return this.endpoints[b]!.cost(now) < this.endpoints[a]!.cost(now) ? b : a;
  }
}
