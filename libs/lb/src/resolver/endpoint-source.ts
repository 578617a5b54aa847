import type { ResolvedEndpoint } from '../endpoint.js';

/** What a source reports: the full current list, or why it has none. */
export type EndpointUpdate =
  | { readonly endpoints: readonly ResolvedEndpoint[] }
  | { readonly error: Error };

export type EndpointListener = (update: EndpointUpdate) => void;

/**
 * A discovery mechanism feeding the load balancer (static list, Eureka, ...).
 * Sources push full lists, never diffs, so a missed update heals itself on
 * the next one. After a list was delivered, a source must keep reporting the
 * last good list rather than an error when its backend fails transiently
 * (the balancer keeps serving the instances it knows).
 */
export interface EndpointSource {
  start(listener: EndpointListener): void;
  /** A hint that the caller wants fresher data (e.g. after failures). */
  refresh(): void;
  stop(): void;
}

export interface EndpointSourceTarget {
  /** The path of the target URI without its leading slash: `CATALOG` in `eureka:///CATALOG`. */
  readonly path: string;
  readonly query: URLSearchParams;
}

export type EndpointSourceFactory = (target: EndpointSourceTarget) => EndpointSource;

const factories = new Map<string, EndpointSourceFactory>();
const schemeObservers: Array<(scheme: string) => void> = [];

/**
 * Makes `<scheme>:///<path>` usable as a gRPC channel target. The grpc-js
 * resolver for the scheme is installed by `setupZonemeshLb()`; registering a
 * scheme again replaces its factory (tests point it at fresh registries).
 */
export function registerEndpointScheme(scheme: string, factory: EndpointSourceFactory): void {
  const isNew = !factories.has(scheme);
  factories.set(scheme, factory);
  if (isNew) for (const observer of schemeObservers) observer(scheme);
}

export function endpointSourceFactory(scheme: string): EndpointSourceFactory | undefined {
  return factories.get(scheme);
}

export function registeredEndpointSchemes(): string[] {
  return [...factories.keys()];
}

/**
 * Calls `observer` for every scheme registered so far and for each scheme
 * registered later, so a transport (the grpc-js resolver) can install itself
 * whatever the order of `setupZonemeshLb()` and `registerEndpointScheme()`.
 */
export function observeEndpointSchemes(observer: (scheme: string) => void): void {
  schemeObservers.push(observer);
  for (const scheme of factories.keys()) observer(scheme);
}
