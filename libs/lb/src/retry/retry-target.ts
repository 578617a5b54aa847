import type { EndpointChild } from '../policy/endpoint-child.js';
import type { SubsetPick } from '../policy/zonemesh.picker.js';

/** The first endpoint the call has not tried, in zone order: a retry stays as close as it can. */
export function untried(target: SubsetPick, tried: readonly EndpointChild[]): EndpointChild | undefined {
  for (const level of target.levels) {
    for (const endpoint of level.endpoints) if (!tried.includes(endpoint)) return endpoint;
  }
  for (const endpoint of target.retryTargets) if (!tried.includes(endpoint)) return endpoint;
  return undefined;
}
