import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { clusterSnapshots } from './cluster-registry.js';
import { addLbLifecycle } from './lb-lifecycle.js';
import { codeName } from './cluster/cluster-config.js';

/** What `registerLbMetrics` returns: the removal of its lifecycle hook (metrics stay registered). */
export interface LbMetrics {
  stop(): void;
}

/**
 * Registers the load-balancing metrics in `registry`, fed by the lifecycle
 * hooks (calls, events) and, for gauges, by `clusterSnapshots()` at scrape
 * time. Labels are bounded: cluster, zones, states, reasons and codes —
 * never endpoint ids.
 * - zonemesh_lb_endpoints{cluster,zone,state}: state is serving, ejected,
 *   unhealthy, failed_cached, connecting or down.
 * - zonemesh_lb_picks_total{cluster,source_zone,destination_zone}
 * - zonemesh_lb_ejections_total{cluster,reason}
 * - zonemesh_lb_retries_total{cluster}
 * - zonemesh_lb_panic{cluster} (1 while in panic)
 * - zonemesh_lb_spill_ratio{cluster} (share of calls leaving the caller's zone)
 * - zonemesh_grpc_client_requests_total{cluster,code}
 * - zonemesh_grpc_client_request_duration_seconds{cluster}
 */
export function registerLbMetrics(registry: Registry): LbMetrics {
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
          this.inc({ cluster: cluster.cluster, zone: e.zone ?? '', state });
        }
      }
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
  const picks = new Counter({
    name: 'zonemesh_lb_picks_total',
    help: 'Call attempts started, by source and destination zone.',
    labelNames: ['cluster', 'source_zone', 'destination_zone'],
    registers: [registry],
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
  const requests = new Counter({
    name: 'zonemesh_grpc_client_requests_total',
    help: 'gRPC client call attempts by status code.',
    labelNames: ['cluster', 'code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'zonemesh_grpc_client_request_duration_seconds',
    help: 'gRPC client call attempt duration.',
    labelNames: ['cluster'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const stop = addLbLifecycle({
    onStartRequest(request, target) {
      picks.inc({ cluster: request.cluster, source_zone: request.sourceZone ?? '', destination_zone: target.endpoint.zone ?? '' });
    },
    onComplete(completion) {
      requests.inc({ cluster: completion.request.cluster, code: completion.status.code === 0 ? 'OK' : codeName(completion.status.code) });
      duration.observe({ cluster: completion.request.cluster }, completion.durationMs / 1000);
    },
    onEvent(event) {
      if (event.type === 'ejected') ejections.inc({ cluster: event.cluster, reason: event.reason });
      if (event.type === 'retry') retries.inc({ cluster: event.cluster });
    },
  });
  return { stop };
}
