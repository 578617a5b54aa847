import type { RequestRecord } from '../load/request-record.js';

/**
 * One second's reading of one mesh process. Processes are followed by name:
 * a restart (an instance-crash scenario) shows up as a new pid under the
 * same name. The metrics fields are absent when the process's /metrics did
 * not answer in time (or it has none).
 */
export interface ProcessSample {
  /** Ms since the soak started. */
  readonly t: number;
  readonly name: string;
  readonly pid: number;
  /** VmRSS from /proc/<pid>/status. */
  readonly rssBytes: number;
  /** Entries of /proc/<pid>/fd. */
  readonly fds: number;
  /** prom-client's nodejs_heap_size_used_bytes. */
  readonly heapUsedBytes?: number;
  /** prom-client's nodejs_eventloop_lag_p99_seconds, in ms. */
  readonly eventLoopP99Ms?: number;
  /** prom-client's nodejs_active_handles_total. */
  readonly activeHandles?: number;
}

/** A scenario's fault window on the soak's clock, recovery allowance included: errors inside are expected. */
export interface FaultWindow {
  readonly from: number;
  readonly to: number;
  readonly label: string;
}

/** How one looped scenario ended, by its own assertions. */
export interface SoakScenarioRun {
  readonly name: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly passed: boolean;
  /** The failed assertions (or why it could not run), empty when it passed. */
  readonly failures: readonly string[];
  /**
   * Why it proved nothing either way, when it did not pass: the runner
   * aborted it before its first fault because the mesh was not steady (a
   * starved machine). Reported, not failed: no fault was injected.
   */
  readonly inconclusive?: string;
  readonly report?: string;
}

export interface SoakInput {
  readonly durationMs: number;
  /** Samples before this are not judged (start-up, JIT, caches filling). */
  readonly warmupMs: number;
  /** Samples of a pid younger than this are not judged either (a restarted process warms up again). */
  readonly restartWarmupMs: number;
  readonly samples: readonly ProcessSample[];
  readonly windows: readonly FaultWindow[];
  /** The background load's requests (t = due time on the soak's clock). */
  readonly records: readonly RequestRecord[];
  readonly scenarios: readonly SoakScenarioRun[];
  /** Fail above these growths (0.2 = +20 %). */
  readonly maxRssGrowth: number;
  readonly maxFdGrowth: number;
}
