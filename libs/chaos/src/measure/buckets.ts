import type { RequestRecord } from '../load/request-record.js';
import { windowStats, type WindowStats } from './window-stats.js';

export const BUCKET_MS = 250;

/** One time slice of the run (by due time): the rows of the charts and the progress line. */
export interface Bucket extends WindowStats {
  /** Start of the slice in ms since the load started. */
  readonly t: number;
  /** Requests per second due in this slice. */
  readonly rps: number;
}

/**
 * Slices the records into fixed buckets covering [0, durationMs). Records
 * are placed by due time, so a request that timed out after 2 s still counts
 * where the fault hit it.
 */
export function bucketize(records: readonly RequestRecord[], durationMs: number, bucketMs = BUCKET_MS): Bucket[] {
  const count = Math.max(1, Math.ceil(durationMs / bucketMs));
  const slices: RequestRecord[][] = Array.from({ length: count }, () => []);
  for (const r of records) {
    const i = Math.floor(r.t / bucketMs);
    if (i >= 0 && i < count) slices[i]!.push(r);
  }
  return slices.map((slice, i) => ({ t: i * bucketMs, rps: (slice.length * 1000) / bucketMs, ...windowStats(slice) }));
}
