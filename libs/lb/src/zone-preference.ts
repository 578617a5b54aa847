import { connectivityState } from '@grpc/grpc-js';

/** Which endpoints take traffic: the caller's zone, or the others as a fallback. */
export type ZoneTier = 'local' | 'remote' | 'none';

export interface ZoneCandidate {
  readonly local: boolean;
  readonly connectivity: connectivityState;
}

/**
 * Returns the READY endpoints of the caller's zone. Fallback: when the
 * caller's zone has no READY endpoint (or the caller has no zone), returns
 * the READY endpoints of every other zone; when none is READY anywhere,
 * returns an empty list with tier `none`.
 */
export function preferLocalZone<T extends ZoneCandidate>(candidates: Iterable<T>): { tier: ZoneTier; ready: T[] } {
  const local: T[] = [];
  const remote: T[] = [];
  for (const candidate of candidates) {
    if (candidate.connectivity !== connectivityState.READY) continue;
    (candidate.local ? local : remote).push(candidate);
  }
  if (local.length > 0) return { tier: 'local', ready: local };
  if (remote.length > 0) return { tier: 'remote', ready: remote };
  return { tier: 'none', ready: [] };
}
