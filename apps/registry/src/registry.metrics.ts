import { Counter, Gauge, type Registry } from 'prom-client';
import type { ReplicationStats } from './replication/replication-fan-out.js';
import type { RegistryStore } from './registry.store.js';
import { BoundedLabels } from './bounded-labels.js';

/** Distinct app and instance-zone label values kept by name; the rest are `other`. */
export const METRIC_LABEL_BOUNDS = { apps: 256, zones: 32 };

/**
 * The registry's state as Prometheus sees it, read from the store at scrape
 * time (nothing on the request path). Instance zone is a label of its own,
 * `instance_zone`: `zone` is the registry's own zone (a default label).
 */
export function registerRegistryMetrics(registry: Registry, store: RegistryStore, replication: () => ReplicationStats): void {
  const apps = new BoundedLabels(METRIC_LABEL_BOUNDS.apps);
  const zones = new BoundedLabels(METRIC_LABEL_BOUNDS.zones);
  new Gauge({
    name: 'zonemesh_registry_instances',
    help: 'Registered instances by application, instance zone and status.',
    labelNames: ['app', 'instance_zone', 'status'],
    registers: [registry],
    collect() {
      this.reset();
      // Apps and zones are whatever clients register: bounded, and summed under `other` beyond the bound.
      for (const { app, zone, status, count } of store.instanceCounts()) this.inc({ app: apps.label(app), instance_zone: zones.label(zone), status }, count);
    },
  });
  let renewalsSeen = 0;
  new Counter({
    name: 'zonemesh_registry_renewals_total',
    help: 'Lease renewals (heartbeats) accepted, from clients and peers.',
    registers: [registry],
    collect() {
      this.inc(store.renewalsTotal - renewalsSeen);
      renewalsSeen = store.renewalsTotal;
    },
  });
  let evictionsSeen = 0;
  new Counter({
    name: 'zonemesh_registry_evictions_total',
    help: 'Instances evicted because their lease expired.',
    registers: [registry],
    collect() {
      this.inc(store.evictionsTotal - evictionsSeen);
      evictionsSeen = store.evictionsTotal;
    },
  });
  new Gauge({
    name: 'zonemesh_registry_self_preservation',
    help: '1 while self-preservation blocks eviction (renewals of the last minute at or below the threshold).',
    registers: [registry],
    collect() {
      this.set(store.isLeaseExpirationEnabled() ? 0 : 1);
    },
  });
  new Gauge({
    name: 'zonemesh_registry_replication_queue',
    help: 'Replication actions not yet acknowledged, by peer.',
    labelNames: ['peer'],
    registers: [registry],
    collect() {
      this.reset();
      for (const peer of replication().peers) this.set({ peer: peer.peer }, peer.queueLength);
    },
  });
  new Gauge({
    name: 'zonemesh_registry_replication_lag_seconds',
    help: 'Age of the oldest unacknowledged replication action, by peer (0 when caught up).',
    labelNames: ['peer'],
    registers: [registry],
    collect() {
      this.reset();
      for (const peer of replication().peers) this.set({ peer: peer.peer }, peer.lagMs / 1000);
    },
  });
}
