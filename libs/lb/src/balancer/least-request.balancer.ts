import type { EndpointChild } from '../policy/endpoint-child.js';
import { PowerOfTwoChoices } from './power-of-two-choices.js';

/**
 * Envoy's least_request with choice_count 2 (power of two choices): two
 * distinct endpoints at random, the one with fewer calls in flight wins.
 */
export class LeastRequestBalancer extends PowerOfTwoChoices {
  protected beats(challenger: EndpointChild, first: EndpointChild): boolean {
    return challenger.counters.inFlight < first.counters.inFlight;
  }
}
