import type { EvaluationInput } from '../assertions/evaluation-input.js';
import type { StepRecord } from '../journal.js';
import type { RequestRecord } from '../load/request-record.js';

/** What the mesh did at time t in a synthetic run: the zone that answered (catalog, pricing, inventory alike) or an error. */
export type Behaviour = (t: number) => { zone: string; latencyMs: number } | { error: string; latencyMs: number };

/** Records at a fixed rate following `behaviour`, like the load generator would have journaled them. */
export function syntheticRecords(durationMs: number, rate: number, behaviour: Behaviour): RequestRecord[] {
  const records: RequestRecord[] = [];
  const interval = 1000 / rate;
  for (let i = 0; i * interval < durationMs; i++) {
    const t = Math.round(i * interval);
    const b = behaviour(t);
    if ('error' in b) records.push({ t, latencyMs: b.latencyMs, status: 0, error: b.error, shape: 0 });
    else {
      const n = (i % 2) + 1;
      records.push({
        t,
        latencyMs: b.latencyMs,
        status: 200,
        shape: 0,
        servedBy: { catalog: `catalog-${b.zone}-${n}`, pricing: `pricing-v1-${b.zone}-${n}`, inventory: `inventory-${b.zone}-${n}` },
      });
    }
  }
  return records;
}

export function syntheticInput(partial: Partial<EvaluationInput> & { records: RequestRecord[]; durationMs: number }): EvaluationInput {
  return {
    steps: [] as StepRecord[],
    clusterSamples: [],
    clustersAvailable: false,
    registrySamples: [],
    registryZones: [],
    bucketMs: 250,
    ...partial,
  };
}
