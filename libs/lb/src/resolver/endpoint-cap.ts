import { endpointAddress, type ResolvedEndpoint } from '../endpoint.js';

/**
 * Endpoints one cluster balances over at most. Generous: the 50k-instance
 * registry bench holds 50k instances across apps, and no cluster of the mesh
 * comes near. It bounds what a registry anyone can register into may make a
 * caller hold (a subchannel, health checks and outlier state per endpoint).
 */
export const DEFAULT_MAX_ENDPOINTS = 10_000;

let maxEndpoints = DEFAULT_MAX_ENDPOINTS;

/** Changes the cap for every cluster of this process (returns the previous one); a path-qualified error for a bad value. */
export function setMaxEndpointsPerCluster(max: number): number {
  if (!Number.isInteger(max) || max < 1) throw new Error(`max_endpoints: expected a whole number >= 1, got ${max}`);
  const previous = maxEndpoints;
  maxEndpoints = max;
  return previous;
}

export function maxEndpointsPerCluster(): number {
  return maxEndpoints;
}

/** What the cap did to one cluster's updates. */
export interface EndpointOverflow {
  /** The channel target (`eureka:///CATALOG`) or HTTP balancer name. */
  readonly cluster: string;
  /** Endpoints left out of the latest update (0 once an update fits again). */
  dropped: number;
  /** Updates that were cut, since the process started. */
  truncatedUpdates: number;
  logged: boolean;
}

const overflows = new Map<string, EndpointOverflow>();

/** Every cluster an update was ever cut for (scraped by registerLbMetrics). */
export function endpointOverflows(): readonly EndpointOverflow[] {
  return [...overflows.values()];
}

const byIdThenAddress = (a: ResolvedEndpoint, b: ResolvedEndpoint) => (a.id < b.id ? -1 : a.id > b.id ? 1 : endpointAddress(a) < endpointAddress(b) ? -1 : endpointAddress(a) > endpointAddress(b) ? 1 : 0);

/**
 * A resolver update within the cap: unchanged when it fits; otherwise the
 * first `max` endpoints by id (then address) — deterministic, so every
 * update and every caller keep the same ones whatever order the registry
 * listed them in. The overflow is counted on each update and logged once
 * per cluster.
 */
export function capEndpoints<T extends ResolvedEndpoint>(endpoints: readonly T[], cluster: string, max = maxEndpoints, log: (line: string) => void = (line) => console.warn(line)): readonly T[] {
  const entry = overflows.get(cluster);
  if (endpoints.length <= max) {
    if (entry) entry.dropped = 0;
    return endpoints;
  }
  const dropped = endpoints.length - max;
  const overflow = entry ?? { cluster, dropped: 0, truncatedUpdates: 0, logged: false };
  overflows.set(cluster, overflow);
  overflow.dropped = dropped;
  overflow.truncatedUpdates++;
  if (!overflow.logged) {
    overflow.logged = true;
    log(`zonemesh lb: ${cluster} resolved ${endpoints.length} endpoints, over the cap of ${max} per cluster: keeping the first ${max} by id, leaving out ${dropped} (logged once; counted in zonemesh_lb_endpoints_dropped)`);
  }
  return [...endpoints].sort(byIdThenAddress).slice(0, max);
}

/** Forgets every overflow (tests). */
export function resetEndpointOverflows(): void {
  overflows.clear();
}
