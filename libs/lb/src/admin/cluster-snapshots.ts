import type { CircuitBreakerSnapshot } from '../call/circuit-breaker.js';
import type { ZoneTier } from '../supplier/instance-list.supplier.js';
import type { EjectionReason } from '../outlier/outlier-state.js';

/** Passive health of one endpoint. */
export interface OutlierSnapshot {
  readonly ejected: boolean;
  /** ISO time the ejection ends, when ejected. */
  readonly ejectedUntil: string | undefined;
  readonly reason: EjectionReason | undefined;
  /** Consecutive ejections (the ejection-time multiplier). */
  readonly ejectionCount: number;
  readonly consecutiveErrors: number;
  readonly consecutiveLocalOriginFailures: number;
  /** Calls of the last completed outlier interval. */
  readonly lastIntervalSuccesses: number;
  readonly lastIntervalFailures: number;
}

/** One endpoint of a live channel, as /admin/clusters prints it (Envoy's /clusters, in JSON). */
export interface EndpointSnapshot {
  readonly id: string;
  readonly address: string;
  readonly zone: string | undefined;
  /** In the caller's zone. */
  readonly local: boolean;
  /** grpc-js connectivity state name: IDLE, CONNECTING, READY, TRANSIENT_FAILURE, SHUTDOWN. */
  readonly state: string;
  /** Active health: unknown until a health check answered (and without health checks). */
  readonly health: 'healthy' | 'unhealthy' | 'unknown';
  readonly outlier: OutlierSnapshot;
  /** ISO time until which the endpoint is in the failed-instance cache (not preferred), if it is. */
  readonly failedInstanceUntil: string | undefined;
  /** EWMA round trip of its passing health checks, ms (with health checks). */
  readonly checkLatencyMs?: number;
  /** zone_failover.latency counts it as slow (its zone, or itself): failing, like a failed check. */
  readonly slow?: boolean;
  /** Takes calls in the current plan. */
  readonly serving: boolean;
  /** The subset value it belongs to (metadata of the subset key), if the cluster routes by subset. */
  readonly subset: string | undefined;
  readonly weight: number;
  /** With slow_start_config: the weight factor now, min_weight_percent/100 .. 1 (1 outside a ramp). */
  readonly slowStartWeight?: number;
  /** Peak-EWMA round-trip estimate, milliseconds. */
  readonly rttMs: number;
  /** Picks that chose this endpoint. */
  readonly picks: number;
  readonly inFlight: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly metadata: Readonly<Record<string, string>>;
}

/** Where the calls of one subset (or of the whole cluster) go now. */
export interface PlanSnapshot {
  /** The subset value, undefined without subset routing. */
  readonly subset: string | undefined;
  readonly tier: ZoneTier;
  /** Share of calls sent outside the caller's zone (0..1). */
  readonly spillShare: number;
  readonly panic: boolean;
  /** Healthy endpoints / all endpoints (0..1). */
  readonly healthyShare: number;
  /** Share of calls per zone (`*` for a panic pool, `-` for endpoints without zone). */
  readonly zoneLoads: Readonly<Record<string, number>>;
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
  /** zone_failover.failed_instance_ttl in effect (a reload of mesh.yaml may change it). */
  readonly failedInstanceTtlMs: number;
  /** The channel state the balancer reports. */
  readonly state: string;
  /** The plan of the whole cluster, or of the default subset with subset routing. */
  readonly tier: ZoneTier;
  readonly spillShare: number;
  readonly panic: boolean;
  readonly plans: readonly PlanSnapshot[];
  /** Retry attempts steered by the picker since the channel started. */
  readonly retries: number;
  /** With circuit_breakers: the thresholds, what each counts now, and the calls each refused. */
  readonly circuitBreakers?: CircuitBreakerSnapshot;
  /** Present (true) while zone_failover.latency's zone rule is held off because a spilled zone's slowness followed its traffic. */
  readonly latencySpillHeld?: boolean;
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
