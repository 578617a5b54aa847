import type { ResolvedEndpoint } from '../endpoint.js';
import type { EndpointListener, EndpointSource, EndpointSourceTarget } from './endpoint-source.js';
import { parseStaticTarget } from './static-target.js';

/** The scheme of fixed endpoint lists written in the target itself. */
export const STATIC_SCHEME = 'static';

/**
 * A fixed list parsed from the target. The list is parsed when the source is
 * created, so a malformed target fails the channel's construction instead of
 * every call later on.
 */
export class StaticEndpointSource implements EndpointSource {
  private readonly endpoints: readonly ResolvedEndpoint[];

  constructor(target: EndpointSourceTarget) {
    this.endpoints = parseStaticTarget(target);
  }

  start(listener: EndpointListener): void {
    listener({ endpoints: this.endpoints });
  }

  refresh(): void {
    // A static list has nothing fresher to offer.
  }

  stop(): void {
    // Nothing runs between start() and stop().
  }
}
