import { isError, type RequestRecord } from '../load/request-record.js';
import { zoneOfInstance } from '../targets/instance-name.js';
import { percentile } from './percentile.js';

/** Successful answers per hop (catalog, pricing, ...) per zone. */
export type ServedCounts = Record<string, Record<string, number>>;

/** What a set of requests looked like: the numbers every bucket and window is judged on. */
export interface WindowStats {
  readonly requests: number;
  readonly errors: number;
  /** errors / requests; 0 without requests. */
  readonly errorRate: number;
  readonly p50Ms?: number;
  readonly p99Ms?: number;
  readonly served: ServedCounts;
}

export function servedCounts(records: Iterable<RequestRecord>): ServedCounts {
  const served: ServedCounts = {};
  for (const r of records) {
    if (!r.servedBy || isError(r)) continue;
    for (const [hop, id] of Object.entries(r.servedBy)) {
      const zone = zoneOfInstance(id) ?? 'unknown';
      const perZone = (served[hop] ??= {});
      perZone[zone] = (perZone[zone] ?? 0) + 1;
    }
  }
  return served;
}

/**
 * Share of `zone` among the answers of `service` (every hop when undefined).
 * `failed` requests count in the denominator — a request that got no answer
 * was not served by the zone either — once per hop. Undefined without evidence.
 */
export function zoneShare(served: ServedCounts, zone: string, service?: string, failed = 0): number | undefined {
  let hit = 0;
  let total = failed * (service !== undefined ? 1 : Math.max(1, Object.keys(served).length));
  for (const [hop, zones] of Object.entries(served)) {
    if (service !== undefined && hop !== service) continue;
    for (const [z, n] of Object.entries(zones)) {
      total += n;
      if (z === zone) hit += n;
    }
  }
  return total === 0 ? undefined : hit / total;
}

export function windowStats(records: readonly RequestRecord[]): WindowStats {
  let errors = 0;
  const latencies: number[] = [];
  for (const r of records) {
    if (isError(r)) errors++;
    latencies.push(r.latencyMs);
  }
  const p50 = percentile(latencies, 50);
  const p99 = percentile(latencies, 99);
  return {
    requests: records.length,
    errors,
    errorRate: records.length === 0 ? 0 : errors / records.length,
    ...(p50 !== undefined ? { p50Ms: p50 } : {}),
    ...(p99 !== undefined ? { p99Ms: p99 } : {}),
    served: servedCounts(records),
  };
}

/** The records due in [fromMs, toMs). */
export function recordsBetween(records: readonly RequestRecord[], fromMs: number, toMs: number): RequestRecord[] {
  return records.filter((r) => r.t >= fromMs && r.t < toMs);
}
