import type { EndpointChild } from '../policy/endpoint-child.js';
import type { EndpointBalancer } from './endpoint-balancer.js';

/**
 * Power of two choices (P2C): two distinct endpoints at random, the better
 * of the two wins (the first drawn on a tie). Subclasses say what "better"
 * means. P2C avoids the herd a full "least" scan causes among many callers.
 */
export abstract class PowerOfTwoChoices implements EndpointBalancer {
  constructor(
    protected readonly endpoints: readonly EndpointChild[],
    private readonly random: () => number,
  ) {}

  /** Whether `challenger` (the second drawn) beats `first`. */
  protected abstract beats(challenger: EndpointChild, first: EndpointChild): boolean;

  choose(): number {
    const n = this.endpoints.length;
    if (n === 1) return 0;
    const a = (this.random() * n) | 0;
    let b = (this.random() * (n - 1)) | 0;
    if (b >= a) b += 1;
    return this.beats(this.endpoints[b]!, this.endpoints[a]!) ? b : a;
  }
}
