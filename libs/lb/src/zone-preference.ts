import { connectivityState } from '@grpc/grpc-js';

/** The zone tier of a plan: see `ZoneTier` in supplier/instance-list.supplier.ts. */
export type { ZoneTier } from './supplier/instance-list.supplier.js';

export interface ZoneCandidate {
  readonly local: boolean;
  readonly connectivity: connectivityState;
}

/**
 * The first cut's all-or-nothing zone preference, kept for callers that
 * filter their own lists: the READY endpoints of the caller's zone, else the
 * READY endpoints of every other zone, else none. The `zonemesh` policy
 * itself uses ZoneFailoverSupplier (gradual spill, failed-instance cache).
 */
export function preferLocalZone<T extends ZoneCandidate>(candidates: Iterable<T>): { tier: 'local' | 'remote' | 'none'; ready: T[] } {
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
