import type { EndpointChild } from '../policy/endpoint-child.js';
import { PowerOfTwoChoices } from './power-of-two-choices.js';

/**
 * Latency-aware P2C as Linkerd does it (tower's PeakEwma): two distinct
 * endpoints at random, the cheaper wins, cost = peak-EWMA round-trip time x
 * (calls in flight + 1). Peaks count at once, improvements decay in, so a
 * slow endpoint is avoided quickly and trusted again gradually.
 */
export class PeakEwmaBalancer extends PowerOfTwoChoices {
  constructor(
    endpoints: readonly EndpointChild[],
    random: () => number,
    private readonly now: () => number,
  ) {
    super(endpoints, random);
  }

  protected beats(challenger: EndpointChild, first: EndpointChild): boolean {
    const now = this.now();
    return challenger.cost(now) < first.cost(now);
  }
}
