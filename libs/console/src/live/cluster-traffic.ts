import { histogramDelta, quantileMs } from './latency-histogram.js';
import type { ClusterTraffic } from '../wire.js';
import type { MeshSample } from './mesh-sample.js';

interface Totals {
  picks: number;
  calls: number;
  failed: number;
  zone: string;
}

/** caller/cluster/endpoint -> counters, so a restarted caller's reset counters read as zero, not negative. */
function counters(sample: MeshSample): Map<string, Totals & { cluster: string; id: string }> {
  const out = new Map<string, Totals & { cluster: string; id: string }>();
  for (const view of sample.views) {
    for (const cluster of view.clusters) {
      for (const e of cluster.endpoints) {
        out.set(`${view.caller}\u0000${cluster.cluster}\u0000${e.id}`, {
          cluster: cluster.cluster,
          id: e.id,
          zone: e.zone ?? '-',
          picks: e.picks,
          calls: e.succeeded + e.failed,
          failed: e.failed,
        });
      }
    }
  }
  return out;
}

/**
 * Rates and shares of every cluster between two samples, from the per-endpoint
 * counters of /admin/clusters (picks, succeeded, failed) and the client
 * latency histograms. The first sample of a run has no predecessor: zero rates.
 */
export function clusterTraffic(now: MeshSample, before: MeshSample | undefined): ClusterTraffic[] {
  const seconds = before ? Math.max(0.001, (now.t - before.t) / 1000) : 1;
  const previous = before ? counters(before) : undefined;
  const byCluster = new Map<string, { picks: number; calls: number; failed: number; zones: Map<string, number>; endpoints: Map<string, number> }>();
  for (const [key, c] of counters(now)) {
    const last = previous?.get(key);
    const entry = byCluster.get(c.cluster) ?? { picks: 0, calls: 0, failed: 0, zones: new Map(), endpoints: new Map() };
    byCluster.set(c.cluster, entry);
    // No baseline (first sample, or a caller that did not answer last time): its counters hold its whole life, not this tick.
    if (!last) continue;
    const picks = Math.max(0, c.picks - last.picks);
    entry.picks += picks;
    entry.calls += Math.max(0, c.calls - last.calls);
    entry.failed += Math.max(0, c.failed - last.failed);
    entry.zones.set(c.zone, (entry.zones.get(c.zone) ?? 0) + picks);
    entry.endpoints.set(c.id, (entry.endpoints.get(c.id) ?? 0) + picks);
  }
  const share = (counts: Map<string, number>, total: number) =>
    total === 0 ? {} : Object.fromEntries([...counts].map(([k, v]) => [k, v / total]));
  return [...byCluster]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([cluster, e]) => {
      const latency = now.latency.get(cluster);
      const delta = latency ? histogramDelta(latency, before?.latency.get(cluster)) : undefined;
      const p50 = before && delta ? quantileMs(delta, 0.5) : undefined;
      const p99 = before && delta ? quantileMs(delta, 0.99) : undefined;
      return {
        cluster,
        callsPerSec: e.calls / seconds,
        errorsPerSec: e.failed / seconds,
        ...(p50 !== undefined ? { p50Ms: p50 } : {}),
        ...(p99 !== undefined ? { p99Ms: p99 } : {}),
        zoneShare: share(e.zones, e.picks),
        endpointShare: share(e.endpoints, e.picks),
      };
    });
}
