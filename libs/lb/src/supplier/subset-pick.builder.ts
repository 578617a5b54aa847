import type { experimental } from '@grpc/grpc-js';
import type { EndpointChild } from '../policy/endpoint-child.js';
import type { LbPolicySettings } from '../cluster/cluster-config.js';
import { createBalancer, type EndpointBalancer } from '../balancer/endpoint-balancer.js';
import { SlowStartLeastRequestBalancer, SlowStartRoundRobinBalancer } from '../balancer/slow-start.balancer.js';
import { DiscoverySupplier } from './discovery.supplier.js';
import { HealthCheckSupplier } from '../health/health-check.supplier.js';
import type { InstanceListSupplier } from './instance-list.supplier.js';
import { OutlierSupplier } from '../outlier/outlier.supplier.js';
import { PanicSupplier } from './panic.supplier.js';
import { SubsetSupplier } from './subset.supplier.js';
import { ZoneFailoverSupplier } from '../zone/zone-failover.supplier.js';
import type { PickLevel, SubsetPick } from '../policy/zonemesh.picker.js';

export interface SubsetPickInput {
  readonly all: readonly EndpointChild[];
  readonly subset: { readonly key: string; readonly value: string } | undefined;
  readonly settings: LbPolicySettings;
  readonly callerZone: string | undefined;
  readonly isFailedInstance: (endpoint: EndpointChild) => boolean;
  readonly random: () => number;
  readonly now: () => number;
  /** The balancer each level had at the previous rebuild (round robin continues where it was). */
  readonly previousBalancers: Map<string, EndpointBalancer>;
  readonly empty: (members: readonly EndpointChild[]) => experimental.PickResult;
  /** Slow-start weight factor of an endpoint now (1 outside a ramp); absent without slow start. */
  readonly slowStart?: (endpoint: EndpointChild) => number;
}

/**
 * Composes the supplier chain for one subset (Spring's builder:
 * withDiscovery().withSubset().withHealthChecks().withOutlierDetection()
 * .withZoneFailover().withPanic()) and turns its plan into pick levels with
 * one balancer each.
 */
export function buildSubsetPick(input: SubsetPickInput): SubsetPick {
  const { settings } = input;
  const discovery = new DiscoverySupplier(input.all);
  const members: InstanceListSupplier = input.subset ? new SubsetSupplier(discovery, input.subset.key, input.subset.value) : discovery;
  const memberList = members.get();
  const fixedMembers: InstanceListSupplier = { get: () => memberList };
  const healthy = new OutlierSupplier(new HealthCheckSupplier(fixedMembers));
  const healthyList = healthy.get();
  const zones = new ZoneFailoverSupplier(healthy, fixedMembers, input.isFailedInstance, settings.zoneFailover, input.callerZone, input.slowStart);
  const plan = new PanicSupplier(zones, fixedMembers, settings.zoneFailover.panicThreshold).get();

  let upTo = 0;
  const levels: PickLevel[] = plan.levels.map((level, index) => {
    upTo = index === plan.levels.length - 1 ? 1 : upTo + level.load;
    const levelId = `${input.subset?.value ?? ''}|${plan.panic ? '*' : (level.zone ?? '-')}`;
    const factors = input.slowStart && !plan.panic ? level.endpoints.map(input.slowStart) : undefined;
    const ramping = factors !== undefined && factors.some((f) => f < 1);
    const balancer: EndpointBalancer = !ramping
      ? createBalancer(settings.lbPolicy, level.endpoints, {
          random: input.random,
          now: input.now,
          continueAt: input.previousBalancers.get(levelId)?.nextKey?.(),
        })
      : settings.lbPolicy === 'least_request'
        ? new SlowStartLeastRequestBalancer(level.endpoints, factors, input.random)
        : new SlowStartRoundRobinBalancer(factors, input.random);
    input.previousBalancers.set(levelId, balancer);
    return { endpoints: level.endpoints, balancer, upTo };
  });
  const inLevels = new Set(levels.flatMap((l) => l.endpoints));
  // A retry whose plan endpoints were all tried goes to another healthy, connected one (the caller's zone first).
  const retryTargets = healthyList
    .filter((e) => !inLevels.has(e) && e.ready && !input.isFailedInstance(e))
    .sort((a, b) => Number(b.local) - Number(a.local));
  return { value: input.subset?.value, plan, levels, retryTargets, empty: input.empty(memberList) };
}
