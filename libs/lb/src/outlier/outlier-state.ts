/** Why an endpoint was ejected (the `reason` label of `zonemesh_lb_ejections_total`). */
export type EjectionReason = 'consecutive_errors' | 'consecutive_local_origin_failure' | 'success_rate' | 'failure_percentage';

/** Passive health of one endpoint, owned by the OutlierDetector. */
export interface OutlierHostState {
  consecutiveErrors: number;
  consecutiveLocalOriginFailures: number;
  /** Ejections in a row, the multiplier of base_ejection_time; decays by one per healthy interval. */
  ejectionCount: number;
  /** Ejected until this time (clock ms); undefined when not ejected. */
  ejectedUntil: number | undefined;
  ejectedAt: number | undefined;
  /** When the last ejection ended: a whole healthy interval must pass before the multiplier decays. */
  unejectedAt: number | undefined;
  reason: EjectionReason | undefined;
  /** Calls of the current interval (success-rate and failure-percentage inputs). */
  successes: number;
  failures: number;
  /** The same counts for the interval that just ended, for /admin/clusters. */
  lastSuccesses: number;
  lastFailures: number;
}

export function newOutlierState(): OutlierHostState {
  return {
    consecutiveErrors: 0,
    consecutiveLocalOriginFailures: 0,
    ejectionCount: 0,
    ejectedUntil: undefined,
    ejectedAt: undefined,
    unejectedAt: undefined,
    reason: undefined,
    successes: 0,
    failures: 0,
    lastSuccesses: 0,
    lastFailures: 0,
  };
}
