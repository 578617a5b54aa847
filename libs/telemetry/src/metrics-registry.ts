import { collectDefaultMetrics, Registry } from 'prom-client';

export interface ProcessIdentity {
  /** Logical service: gateway, catalog, registry... */
  readonly service: string;
  readonly zone: string;
  /** Instance id; bounded by the topology, so safe as a label. */
  readonly instance: string;
  /** Deployed version (v1, v2) where a service runs several; becomes a `version` label. */
  readonly version?: string;
}

/**
 * One prom-client Registry per process (never the global one, so libraries
 * and tests cannot collide), with Node runtime defaults and identity labels
 * on every series: dashboards group by zone without relabelling.
 */
export function createMetricsRegistry(identity: ProcessIdentity): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({
    service: identity.service,
    zone: identity.zone,
    instance: identity.instance,
    ...(identity.version !== undefined ? { version: identity.version } : {}),
  });
  collectDefaultMetrics({ register: registry });
  return registry;
}
