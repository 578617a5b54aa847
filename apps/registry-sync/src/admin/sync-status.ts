import type { HttpBalancerSnapshot } from '@zonemesh/lb/http';
import type { SyncerState } from '../sync/registry-syncer.js';

/** What `GET /status` answers: the syncer's lists and which registry it talks to. */
export interface SyncStatus {
  readonly id: string;
  /** Every source instance is registered and the previous run's leftovers are gone. */
  readonly inSync: boolean;
  readonly syncer: SyncerState;
  /**
   * libs/lb's view of the registries: `tier` is `local` while the preferred
   * zone's registry is used, `remote` after a failover; `failedUntil` says
   * when a failed registry is tried again (failback after failed_instance_ttl).
   */
  readonly registries: HttpBalancerSnapshot;
}

export function syncStatus(id: string, state: SyncerState, registries: HttpBalancerSnapshot): SyncStatus {
  const inSync =
    state.sourceReady && state.startupCleanupDone && state.pending.length === 0 && state.desired.every((key) => state.registered.includes(key));
  return { id, inSync, syncer: state, registries };
}

const label = (value: string): string => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

/**
 * The status in Prometheus' text format. Labels are bounded: one series per
 * configured registry, never per instance.
 */
export function statusMetrics(status: SyncStatus): string {
  const lines: string[] = [];
  const gauge = (name: string, help: string, value: number): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name} ${value}`);
  };
  gauge('zonemesh_sync_desired_instances', 'Instances the source lists.', status.syncer.desired.length);
  gauge('zonemesh_sync_registered_instances', 'Instances registered (in intent) by this syncer.', status.syncer.registered.length);
  gauge('zonemesh_sync_pending_instances', 'Instances whose last register call failed.', status.syncer.pending.length);
  gauge('zonemesh_sync_in_sync', '1 when every source instance is registered.', status.inSync ? 1 : 0);
  const perRegistry = (name: string, type: 'counter' | 'gauge', help: string, value: (e: HttpBalancerSnapshot['endpoints'][number]) => number): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const e of status.registries.endpoints) lines.push(`${name}{registry="${label(e.id)}",registry_zone="${label(e.zone ?? '')}"} ${value(e)}`);
  };
  perRegistry('zonemesh_sync_registry_requests_total', 'counter', 'Registry calls sent to each registry.', (e) => e.requests);
  perRegistry('zonemesh_sync_registry_failures_total', 'counter', 'Registry calls that failed on each registry.', (e) => e.failed);
  perRegistry('zonemesh_sync_registry_avoided', 'gauge', '1 while a failed registry is avoided (failed_instance_ttl).', (e) => (e.failedUntil !== undefined ? 1 : 0));
  return `${lines.join('\n')}\n`;
}
