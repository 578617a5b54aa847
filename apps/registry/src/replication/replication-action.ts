import { encodeInstance } from '../instance.codec.js';
import type { InstanceInfo, InstanceStatus } from '../instance-info.js';

/** Eureka's PeerEurekaNode actions, spelled as on the wire. */
export const REPLICATION_ACTIONS = ['Register', 'Heartbeat', 'Cancel', 'StatusUpdate', 'DeleteStatusOverride'] as const;
export type ReplicationAction = (typeof REPLICATION_ACTIONS)[number];

/** The header that marks a call from a peer registry: such calls are never replicated again. */
export const REPLICATION_HEADER = 'x-netflix-discovery-replication';

/** One entry of `{"replicationList":[...]}` (Eureka's ReplicationInstance). */
export interface ReplicationItem {
  readonly appName: string;
  readonly id: string;
  readonly lastDirtyTimestamp?: number;
  readonly overriddenStatus?: InstanceStatus;
  readonly status?: InstanceStatus;
  /** Only Register carries the whole instance (Jackson shape, no `instance` wrapper). */
  readonly instanceInfo?: Record<string, unknown>;
  readonly action: ReplicationAction;
}

/** One entry of `{"responseList":[...]}`: `responseEntity` is the peer's instance on a 409. */
export interface ReplicationItemResponse {
  readonly statusCode: number;
  readonly responseEntity?: Record<string, unknown>;
}

/**
 * Builds the wire item for an action on `instance` (its state after the
 * action), like PeerReplicationResource expects it: status and
 * lastDirtyTimestamp always, the full instance only for Register.
 */
export function replicationItem(
  action: ReplicationAction,
  instance: InstanceInfo,
  overriddenStatus: InstanceStatus | undefined,
): ReplicationItem {
  return {
    appName: instance.app,
    id: instance.instanceId,
    lastDirtyTimestamp: instance.lastDirtyTimestamp,
    overriddenStatus: overriddenStatus ?? instance.overriddenStatus,
    status: instance.status,
    ...(action === 'Register' ? { instanceInfo: encodeInstance(instance) } : {}),
    action,
  };
}

/** Eureka collapses pending tasks by this id: a newer heartbeat replaces an unsent one. */
export function replicationTaskKey(item: ReplicationItem): string {
  return `${item.action}#${item.appName}/${item.id}`;
}
