import type { StepRecord } from '../journal.js';
import type { RequestRecord } from '../load/request-record.js';
import type { ClusterSample } from '../observe/cluster-sample.js';
import type { RegistrySample } from '../observe/registry-sample.js';
import type { Window } from '../scenario/scenario.js';

/** The part of the journal assertions are judged on (all times in ms since the load started). */
export interface EvaluationInput {
  readonly durationMs: number;
  readonly records: readonly RequestRecord[];
  readonly steps: readonly StepRecord[];
  readonly clusterSamples: readonly ClusterSample[];
  readonly clustersAvailable: boolean;
  readonly registrySamples: readonly RegistrySample[];
  /** Zones whose registry was polled. */
  readonly registryZones: readonly string[];
  /** Time slice for "reached within" searches. */
  readonly bucketMs: number;
}

export function stepTimes(input: EvaluationInput, name: string): { start: number; end: number } {
  const step = input.steps.find((s) => s.name === name);
  if (!step) throw new Error(`step "${name}" never ran`);
  return { start: step.startMs, end: step.endMs ?? input.durationMs };
}

/** [from, to) of a window, after its skip. */
export function resolveWindow(input: EvaluationInput, window: Window): { from: number; to: number } {
  let from = 0;
  let to = input.durationMs;
  if (window.during) ({ start: from, end: to } = stepTimes(input, window.during));
  if (window.after) from = stepTimes(input, window.after).end;
  return { from: Math.min(to, from + window.skipMs), to };
}
