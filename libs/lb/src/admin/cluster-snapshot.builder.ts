import { connectivityState } from '@grpc/grpc-js';
import type { EndpointChild } from '../policy/endpoint-child.js';
import type { SubsetPick } from '../policy/zonemesh.picker.js';
import type { FailedInstanceCache } from '../zone/failed-instance.cache.js';
import type { ClusterSnapshot, EndpointSnapshot, PlanSnapshot } from './cluster-snapshots.js';
import type { CircuitBreakerSnapshot } from '../call/circuit-breaker.js';

/** What a zonemesh balancer knows that /admin/clusters shows. */
export interface ClusterSnapshotInput {
  readonly cluster: string;
  readonly target: string | undefined;
  readonly zone: string | undefined;
  readonly lbPolicy: string;
  readonly state: connectivityState;
  readonly subsetKey: string | undefined;
  readonly plans: Iterable<SubsetPick>;
  /** The plan of the whole cluster, or of the default subset. */
  readonly mainPlan: SubsetPick | undefined;
  readonly retries: number;
  readonly circuitBreakers: CircuitBreakerSnapshot | undefined;
  readonly children: Iterable<EndpointChild>;
  readonly cache: FailedInstanceCache;
  readonly now: number;
  /** Slow start: the endpoint's weight factor now (1 outside a ramp); absent without slow start. */
  readonly slowStart?: (child: EndpointChild) => number;
  /** Health-check round trip EWMA per endpoint id (zone_failover.latency's signal). */
  readonly checkLatencyMs: (endpointId: string) => number | undefined;
  /** Endpoints zone_failover.latency counts as slow right now. */
  readonly slow: ReadonlySet<string>;
  /** zone_failover.latency's zone rule is held off: slowness followed the traffic it spilled. */
  readonly latencySpillHeld?: boolean;
}

/** One balancer's state as plain JSON-ready data (Envoy's /clusters, in JSON). */
export function buildClusterSnapshot(input: ClusterSnapshotInput): ClusterSnapshot {
  const serving = new Set<EndpointChild>();
  const plans: PlanSnapshot[] = [];
  for (const pick of input.plans) {
    for (const level of pick.levels) for (const e of level.endpoints) serving.add(e);
    plans.push(planSnapshot(pick));
  }
  const main = input.mainPlan;
  return {
    cluster: input.cluster,
    target: input.target,
    zone: input.zone,
    lbPolicy: input.lbPolicy,
    failedInstanceTtlMs: input.cache.ttl,
    state: connectivityState[input.state],
    tier: main?.plan.tier ?? 'none',
    spillShare: main?.plan.spillShare ?? 0,
    panic: main?.plan.panic ?? false,
    plans,
    retries: input.retries,
    ...(input.circuitBreakers ? { circuitBreakers: input.circuitBreakers } : {}),
    ...(input.latencySpillHeld ? { latencySpillHeld: true } : {}),
    endpoints: [...input.children].map((child) => endpointSnapshot(child, input, serving.has(child))),
  };
}

function endpointSnapshot(child: EndpointChild, input: ClusterSnapshotInput, serving: boolean): EndpointSnapshot {
  const o = child.outlier;
  const cachedUntil = input.cache.until(child.key, input.now);
  return {
    id: child.info.id,
    address: child.key,
    zone: child.info.zone,
    local: child.local,
    state: connectivityState[child.connectivity],
    health: child.health === undefined ? 'unknown' : child.health ? 'healthy' : 'unhealthy',
    outlier: {
      ejected: child.ejected,
      ejectedUntil: o.ejectedUntil === undefined ? undefined : new Date(o.ejectedUntil).toISOString(),
      reason: child.ejected ? o.reason : undefined,
      ejectionCount: o.ejectionCount,
      consecutiveErrors: o.consecutiveErrors,
      consecutiveLocalOriginFailures: o.consecutiveLocalOriginFailures,
      lastIntervalSuccesses: o.lastSuccesses,
      lastIntervalFailures: o.lastFailures,
    },
    failedInstanceUntil: cachedUntil === undefined ? undefined : new Date(cachedUntil).toISOString(),
    ...latencyFields(input.checkLatencyMs(child.info.id), input.slow.has(child.key)),
    serving,
    subset: input.subsetKey === undefined ? undefined : child.info.metadata[input.subsetKey],
    weight: child.weight,
    ...(input.slowStart ? { slowStartWeight: Math.round(input.slowStart(child) * 1000) / 1000 } : {}),
    rttMs: Math.round(child.rttMs * 1000) / 1000,
    ...child.counters,
    metadata: child.info.metadata,
  };
}

/** Where the calls of one subset go: tier, spill share, panic and each zone's share, rounded for display. */
export function planSnapshot(pick: SubsetPick): PlanSnapshot {
  const zoneLoads: Record<string, number> = {};
  for (const level of pick.plan.levels) {
    const name = level.zone ?? (pick.plan.panic ? '*' : '-');
    zoneLoads[name] = Math.round(level.load * 1000) / 1000;
  }
  return {
    subset: pick.value,
    tier: pick.plan.tier,
    spillShare: Math.round(pick.plan.spillShare * 1000) / 1000,
    panic: pick.plan.panic,
    healthyShare: Math.round(pick.plan.healthyShare * 1000) / 1000,
    zoneLoads,
  };
}

/** Only with health checks that measured something: the check latency, and whether zone_failover.latency finds it slow. */
function latencyFields(checkLatencyMs: number | undefined, slow: boolean): { checkLatencyMs?: number; slow?: boolean } {
  if (checkLatencyMs === undefined) return slow ? { slow } : {};
  return { checkLatencyMs: Math.round(checkLatencyMs * 10) / 10, ...(slow ? { slow } : {}) };
}
