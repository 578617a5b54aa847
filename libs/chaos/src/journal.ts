import type { RequestRecord } from './load/request-record.js';
import type { Bucket } from './measure/buckets.js';
import type { ClusterSample } from './observe/cluster-sample.js';
import type { RegistrySample } from './observe/registry-sample.js';
import type { FaultType, Scenario } from './scenario/scenario.js';

/** When a step's fault was really applied and healed (ms since the load started). */
export interface StepRecord {
  readonly name: string;
  readonly type: FaultType;
  readonly targets: readonly string[];
  startMs: number;
  endMs?: number;
  error?: string;
  healErrors?: string[];
}

export interface JournalEvent {
  readonly t: number;
  readonly kind: 'phase' | 'fault' | 'heal' | 'rollback' | 'error';
  readonly message: string;
}

/** One judged hypothesis, with the number it was judged on. */
export interface AssertionResult {
  readonly name: string;
  readonly kind: string;
  /** `before`/`after` for the steady-state hypothesis, `run` for the scenario's assertions. */
  readonly phase: 'before' | 'after' | 'run';
  readonly passed: boolean;
  /** The measured value (time to reach for `within` assertions); null when it never happened. */
  readonly value: number | null;
  readonly unit: 'ms' | 'ratio' | 'count';
  /** The bound it was compared with, as text: `<= 3000 ms`, `>= 0.95`. */
  readonly threshold: string;
  /** Ms since the load started when the condition first held. */
  readonly reachedAtMs?: number;
  /** Where the evidence came from: the gateway's /admin/clusters, the traffic, or the registries. */
  readonly source?: 'admin' | 'traffic' | 'registry';
  readonly detail: string;
}

/** Everything a run saw; the JSON report is this object. */
export interface Journal {
  readonly version: 1;
  readonly scenario: Scenario;
  /** `zonemesh` (libs/lb) or `grpc-rr` (the baseline). */
  readonly mode: string;
  readonly target: { readonly gatewayUrl: string; readonly toxiproxyUrl: string; readonly registryUrls: Readonly<Record<string, string>> };
  readonly startedAt: string;
  durationMs: number;
  readonly bucketMs: number;
  readonly steps: StepRecord[];
  readonly events: JournalEvent[];
  records: RequestRecord[];
  buckets: Bucket[];
  clusterSamples: ClusterSample[];
  clustersAvailable: boolean;
  registrySamples: RegistrySample[];
  steadyState: AssertionResult[];
  assertions: AssertionResult[];
  passed: boolean;
  aborted?: string;
}
