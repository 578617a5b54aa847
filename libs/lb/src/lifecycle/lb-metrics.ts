import { Counter, Gauge, Histogram, type MetricObjectWithValues, type MetricValueWithName, type Registry } from 'prom-client';
import type { LbCallTarget } from './lb-lifecycle.js';
import { clusterSnapshots } from '../admin/cluster-snapshots.js';
import { addLbLifecycle } from './lb-lifecycle.js';
import { codeName } from '../cluster/cluster-config.js';
import { ZoneLabels } from './zone-labels.js';
import { BREAKER_THRESHOLDS } from '../call/circuit-breaker.js';
import { endpointOverflows } from '../resolver/endpoint-cap.js';

export interface LbMetricsOptions {
  /** The mesh's zones (mesh.yaml): any other zone is labelled `other`. Without them, the first 16 zones seen keep their names. */
  readonly zones?: readonly string[];
}

/** What `registerLbMetrics` returns: the removal of its lifecycle hook (metrics stay registered). */
export interface LbMetrics {
  stop(): void;
}

/**
 * Registers the load-balancing metrics in `registry`, fed by the lifecycle
 * hooks (calls, events) and, for gauges, by `clusterSnapshots()` at scrape
 * time. Labels are bounded: cluster, zones (unknown ones as `other`),
 * states, reasons and codes — never endpoint ids.
 * - zonemesh_lb_endpoints{cluster,zone,state}: state is serving, ejected,
 *   unhealthy, failed_cached, connecting or down.
 * - zonemesh_lb_picks_total{cluster,source_zone,destination_zone}
 * - zonemesh_lb_ejections_total{cluster,reason}
 * - zonemesh_lb_retries_total{cluster}
 * - zonemesh_lb_panic{cluster} (1 while in panic)
 * - zonemesh_lb_spill_ratio{cluster} (share of calls leaving the caller's zone)
 * - zonemesh_lb_circuit_breaker_overflow_total{cluster,threshold}: calls (or
 *   retries, connections) refused by max_requests, max_pending_requests,
 *   max_retries (counted for max_connections); Envoy's
 *   upstream_rq_pending_overflow, upstream_rq_retry_overflow, upstream_cx_overflow
 * - zonemesh_lb_requests_active{cluster}: call attempts in flight (Envoy's upstream_rq_active)
 * - zonemesh_lb_circuit_breaker_limit{cluster,threshold}
 * - zonemesh_lb_endpoints_dropped{cluster}: endpoints the latest resolver
 *   update had beyond the per-cluster cap (cluster = the channel target or
 *   HTTP balancer name; only clusters that ever overflowed)
 * - zonemesh_lb_endpoint_updates_truncated_total{cluster}
 * - zonemesh_grpc_client_requests_total{cluster,code}
 * - zonemesh_grpc_client_request_duration_seconds{cluster}
 */
export function registerLbMetrics(registry: Registry, options: LbMetricsOptions = {}): LbMetrics {
  const zones = new ZoneLabels(options.zones);
  new Gauge({
    name: 'zonemesh_lb_endpoints',
    help: 'Endpoints of each zonemesh cluster by zone and state.',
    labelNames: ['cluster', 'zone', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      for (const cluster of clusterSnapshots()) {
        for (const e of cluster.endpoints) {
          const state = e.serving
            ? 'serving'
            : e.outlier.ejected
              ? 'ejected'
              : e.health === 'unhealthy'
                ? 'unhealthy'
                : e.failedInstanceUntil
                  ? 'failed_cached'
                  : e.state === 'READY'
                    ? 'standby'
                    : e.state === 'TRANSIENT_FAILURE'
                      ? 'down'
                      : 'connecting';
          this.inc({ cluster: cluster.cluster, zone: zones.label(e.zone), state });
        }
      }
    },
  });
  new Gauge({
    name: 'zonemesh_lb_endpoints_dropped',
    help: 'Endpoints of the latest resolver update left out by the per-cluster cap.',
    labelNames: ['cluster'],
    registers: [registry],
    collect() {
      this.reset();
      for (const o of endpointOverflows()) this.set({ cluster: o.cluster }, o.dropped);
    },
  });
  new Counter({
    name: 'zonemesh_lb_endpoint_updates_truncated_total',
    help: 'Resolver updates cut to the per-cluster endpoint cap.',
    labelNames: ['cluster'],
    registers: [registry],
    collect() {
      this.reset();
      for (const o of endpointOverflows()) this.inc({ cluster: o.cluster }, o.truncatedUpdates);
    },
  });
  new Gauge({
    name: 'zonemesh_lb_panic',
    help: '1 while the cluster balances in panic mode (too few healthy endpoints).',
    labelNames: ['cluster'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of clusterSnapshots()) this.set({ cluster: c.cluster }, c.panic ? 1 : 0);
    },
  });
  new Gauge({
    name: 'zonemesh_lb_spill_ratio',
    help: "Share of calls sent outside the caller's zone (0..1).",
    labelNames: ['cluster'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of clusterSnapshots()) this.set({ cluster: c.cluster }, c.spillShare);
    },
  });
  new Counter({
    name: 'zonemesh_lb_circuit_breaker_overflow_total',
    help: 'Calls refused by a circuit breaker threshold (max_requests, max_pending_requests, max_retries; max_connections counted only).',
    labelNames: ['cluster', 'threshold'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of clusterSnapshots()) {
        const overflow = c.circuitBreakers?.overflow;
        if (!overflow) continue;
        for (const threshold of BREAKER_THRESHOLDS) this.inc({ cluster: c.cluster, threshold }, overflow[threshold]);
      }
    },
  });
  new Gauge({
    name: 'zonemesh_lb_circuit_breaker_limit',
    help: 'Circuit breaker thresholds of each cluster.',
    labelNames: ['cluster', 'threshold'],
    registers: [registry],
    collect() {
      this.reset();
      const seen = new Set<string>();
      for (const c of clusterSnapshots()) {
        const limits = c.circuitBreakers?.thresholds;
        if (!limits || seen.has(c.cluster)) continue;
        seen.add(c.cluster);
        for (const threshold of BREAKER_THRESHOLDS) this.set({ cluster: c.cluster, threshold }, limits[threshold]);
      }
    },
  });
  new Gauge({
    name: 'zonemesh_lb_requests_active',
    help: 'Call attempts in flight per cluster (what max_requests limits).',
    labelNames: ['cluster'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of clusterSnapshots()) {
        const active = c.circuitBreakers?.active.max_requests ?? c.endpoints.reduce((sum, e) => sum + e.inFlight, 0);
        this.inc({ cluster: c.cluster }, active);
      }
    },
  });
  // The call path only bumps plain numbers; prom-client sees them at scrape
  // time (collect), because a labelled prom-client update costs ~300 ns per call.
  const tally = new CallTally(zones);
  new Counter({
    name: 'zonemesh_lb_picks_total',
    help: 'Call attempts started, by source and destination zone.',
    labelNames: ['cluster', 'source_zone', 'destination_zone'],
    registers: [registry],
    collect() {
      this.reset();
      for (const p of tally.picks.values()) this.inc({ cluster: p.cluster, source_zone: p.source, destination_zone: p.destination }, p.count);
    },
  });
  const ejections = new Counter({
    name: 'zonemesh_lb_ejections_total',
    help: 'Outlier ejections by reason.',
    labelNames: ['cluster', 'reason'],
    registers: [registry],
  });
  const retries = new Counter({
    name: 'zonemesh_lb_retries_total',
    help: 'Retry attempts steered to another endpoint.',
    labelNames: ['cluster'],
    registers: [registry],
  });
  new Counter({
    name: 'zonemesh_grpc_client_requests_total',
    help: 'gRPC client call attempts by status code.',
    labelNames: ['cluster', 'code'],
    registers: [registry],
    collect() {
      this.reset();
      for (const [cluster, calls] of tally.calls) {
        calls.codes.forEach((count, code) => {
          if (count > 0) this.inc({ cluster, code: code === 0 ? 'OK' : codeName(code) }, count);
        });
      }
    },
  });
  registry.registerMetric(new TalliedHistogram(tally));
  const stop = addLbLifecycle({
    onStartRequest(request, target) {
      tally.pick(request.cluster, request.sourceZone, target);
    },
    onComplete(completion) {
      tally.complete(completion.request.cluster, completion.status.code, completion.durationMs / 1000);
    },
    onEvent(event) {
      if (event.type === 'ejected') ejections.inc({ cluster: event.cluster, reason: event.reason });
      if (event.type === 'retry') retries.inc({ cluster: event.cluster });
    },
  });
  return { stop };
}

const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface PickCount {
  readonly cluster: string;
  readonly source: string;
  readonly destination: string;
  count: number;
}

interface ClusterCalls {
  /** Attempts by gRPC status code (index = code). */
  readonly codes: number[];
  /** Attempts per duration bucket (not cumulative); the last slot is +Inf. */
  readonly buckets: number[];
  sum: number;
  count: number;
}

/** Plain counters fed by the lifecycle hooks; read by the metrics' collect at scrape time. */
class CallTally {
  readonly picks = new Map<string, PickCount>();
  readonly calls = new Map<string, ClusterCalls>();
  /** Targets are one stable object per endpoint and channel: the label lookup is done once per target. */
  private readonly byTarget = new WeakMap<LbCallTarget, PickCount>();

  constructor(private readonly zones: ZoneLabels) {}

  pick(cluster: string, sourceZone: string | undefined, target: LbCallTarget): void {
    const source = this.zones.label(sourceZone);
    let entry = this.byTarget.get(target);
    if (entry === undefined || entry.cluster !== cluster || entry.source !== source) {
      const destination = this.zones.label(target.endpoint.zone);
      const key = `${cluster}\u0000${source}\u0000${destination}`;
      entry = this.picks.get(key);
      if (entry === undefined) {
        entry = { cluster, source, destination, count: 0 };
        this.picks.set(key, entry);
      }
      this.byTarget.set(target, entry);
    }
    entry.count += 1;
  }

  complete(cluster: string, code: number, seconds: number): void {
    let calls = this.calls.get(cluster);
    if (calls === undefined) {
      calls = { codes: new Array<number>(17).fill(0), buckets: new Array<number>(DURATION_BUCKETS.length + 1).fill(0), sum: 0, count: 0 };
      this.calls.set(cluster, calls);
    }
    calls.codes[code] = (calls.codes[code] ?? 0) + 1;
    let i = 0;
    while (i < DURATION_BUCKETS.length && seconds > DURATION_BUCKETS[i]!) i += 1;
    calls.buckets[i]! += 1;
    calls.sum += seconds;
    calls.count += 1;
  }
}

/**
 * zonemesh_grpc_client_request_duration_seconds{cluster}, exported from the
 * tally in prom-client's histogram format (prom-client has no way to set a
 * histogram's buckets, only to observe one value at a time).
 */
class TalliedHistogram extends Histogram<'cluster'> {
  constructor(private readonly tally: CallTally) {
    super({
      name: 'zonemesh_grpc_client_request_duration_seconds',
      help: 'gRPC client call attempt duration.',
      labelNames: ['cluster'],
      buckets: DURATION_BUCKETS,
      registers: [],
    });
  }

  override async get(): Promise<MetricObjectWithValues<MetricValueWithName<'cluster'>>> {
    return this.getForPromString();
  }

  /** What prom-client's Registry formats (it prefers this over `get()`). */
  async getForPromString(): Promise<MetricObjectWithValues<MetricValueWithName<'cluster'>>> {
    const name = 'zonemesh_grpc_client_request_duration_seconds';
    const values: MetricValueWithName<'cluster'>[] = [];
    for (const [cluster, calls] of this.tally.calls) {
      let cumulative = 0;
      DURATION_BUCKETS.forEach((le, i) => {
        cumulative += calls.buckets[i]!;
        values.push({ labels: { cluster, le } as never, value: cumulative, metricName: `${name}_bucket` });
      });
      values.push({ labels: { cluster, le: '+Inf' } as never, value: calls.count, metricName: `${name}_bucket` });
      values.push({ labels: { cluster }, value: calls.sum, metricName: `${name}_sum` });
      values.push({ labels: { cluster }, value: calls.count, metricName: `${name}_count` });
    }
    return { name, help: 'gRPC client call attempt duration.', type: 'histogram' as never, values, aggregator: 'sum' } as unknown as MetricObjectWithValues<MetricValueWithName<'cluster'>>;
  }
}
