import { collectDefaultMetrics, Registry } from 'prom-client';

export interface ProcessIdentity {
  /** Logical service: gateway, catalog, registry... */
  readonly service: string;
  readonly zone: string;
  /** Instance id; bounded by the topology, so safe as a label. */
  readonly instance: string;
}

/**
 * One prom-client Registry per process (never the global one, so libraries
 * and tests cannot collide), with Node runtime defaults and identity labels
 * on every series: dashboards group by zone without relabelling.
 */
export function createMetricsRegistry(identity: ProcessIdentity): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service: identity.service, zone: identity.zone, instance: identity.instance });
  collectDefaultMetrics({ register: registry });
  return registry;
}
