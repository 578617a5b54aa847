import { createHttpBalancer, type HttpBalancer } from '@zonemesh/lb/http';
import type { LbClock } from '@zonemesh/lb';
import { EurekaRegistrar } from './eureka/eureka-registrar.js';
import type { InstanceSource } from './sources/instance-source.js';
import { createInstanceSource } from './sources/source.factory.js';
import type { SyncConfig } from './sync-config.js';
import type { SyncLog } from './sync-log.js';
import { RegistrySyncer } from './sync/registry-syncer.js';

export interface SyncAppOptions {
  readonly log: SyncLog;
  /** Drives the failed-instance TTL of the registry balancer (tests). */
  readonly clock?: LbClock;
  /** Replaces the configured source (tests). */
  readonly source?: InstanceSource;
}

/** A started syncer and the balancer it talks to the registries through. */
export interface RunningSync {
  readonly syncer: RegistrySyncer;
  readonly registries: HttpBalancer;
  stop(): Promise<void>;
}

/** Wires source -> syncer -> registrar -> zone-aware HTTP balancer over every zone's registry, and starts it. */
export function startSync(config: SyncConfig, options: SyncAppOptions): RunningSync {
  const registries = createHttpBalancer({
    name: 'eureka',
    zone: config.zone,
    endpoints: config.eureka.servers.map((s) => ({ id: `${s.zone}/${s.host}:${s.port}`, host: s.host, port: s.port, zone: s.zone, metadata: { zone: s.zone } })),
    settings: config.eureka.policy,
    clock: options.clock,
    onEvent: (event) =>
      event.type === 'retry'
        ? options.log('registry-retry', { attempt: event.attempt, failed: event.failure.endpoint, reason: event.failure.detail })
        : options.log('registry-failed', { registry: event.endpoint.id, reason: event.failure.detail, avoidUntil: new Date(event.until).toISOString() }),
  });
  const registrar = new EurekaRegistrar(registries, config.eureka.basePath, config.id, config.lease, config.eureka.authorization);
  const source = options.source ?? createInstanceSource(config.source, config.zone, options.log);
  const syncer = new RegistrySyncer({ source, registrar, renewalIntervalMs: config.lease.renewalIntervalMs, log: options.log });
  syncer.start();
  return {
    syncer,
    registries,
    async stop() {
      await syncer.stop();
      await registries.close();
    },
  };
}
