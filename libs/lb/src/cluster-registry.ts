import type { ZoneTier } from './zone-preference.js';

/** One endpoint of a live channel, as /admin/clusters prints it. */
export interface EndpointSnapshot {
  readonly id: string;
  readonly address: string;
  readonly zone: string | undefined;
  /** In the caller's zone. */
  readonly local: boolean;
  /** grpc-js connectivity state name: IDLE, CONNECTING, READY, TRANSIENT_FAILURE, SHUTDOWN. */
  readonly state: string;
  /** Picks that chose this endpoint (a pick grpc-js retries counts again). */
  readonly picks: number;
  readonly inFlight: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly metadata: Readonly<Record<string, string>>;
}

/** One live zonemesh channel (a channel's balancer, to be exact). */
export interface ClusterSnapshot {
  /** The LB config's `cluster`, else the channel target. */
  readonly cluster: string;
  /** The channel target, e.g. `eureka:///CATALOG`; undefined if the resolver is not ours. */
  readonly target: string | undefined;
  /** The caller's zone from the LB config. */
  readonly zone: string | undefined;
  readonly lbPolicy: string;
  /** The channel state the balancer reports. */
  readonly state: string;
  /** Which endpoints take traffic now. */
  readonly tier: ZoneTier;
  readonly endpoints: readonly EndpointSnapshot[];
}

export interface ClusterSnapshotSource {
  snapshot(): ClusterSnapshot;
}

const live = new Set<ClusterSnapshotSource>();

export function trackCluster(source: ClusterSnapshotSource): void {
  live.add(source);
}

export function untrackCluster(source: ClusterSnapshotSource): void {
  live.delete(source);
}

/** Every live zonemesh channel of the process with its endpoints, sorted by cluster name. */
export function clusterSnapshots(): ClusterSnapshot[] {
  return [...live].map((s) => s.snapshot()).sort((a, b) => a.cluster.localeCompare(b.cluster));
}
