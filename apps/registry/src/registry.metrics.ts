import { Counter, Gauge, type Registry } from 'prom-client';
import type { ReplicationStats } from './replication/replication-fan-out.js';
import type { RegistryStore } from './registry.store.js';

/**
 * The registry's state as Prometheus sees it, read from the store at scrape
 * time (nothing on the request path). Instance zone is a label of its own,
 * `instance_zone`: `zone` is the registry's own zone (a default label).
 */
export function registerRegistryMetrics(registry: Registry, store: RegistryStore, replication: () => ReplicationStats): void {
  new Gauge({
    name: 'zonemesh_registry_instances',
    help: 'Registered instances by application, instance zone and status.',
    labelNames: ['app', 'instance_zone', 'status'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { app, zone, status, count } of store.instanceCounts()) this.set({ app, instance_zone: zone, status }, count);
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
