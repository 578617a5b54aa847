export * from './endpoint.js';
export * from './endpoint-source.js';
export * from './endpoint-health.js';
export * from './config/index.js';
export { parseStaticTarget } from './static-target.js';
export { STATIC_SCHEME, StaticEndpointSource } from './static.source.js';
export type { LbCallStatus, LbCallTarget, LbCompletion, LbEvent, LbLifecycle, LbRequest } from './lb-lifecycle.js';
export { addLbLifecycle } from './lb-lifecycle.js';
export type { ClusterSnapshot, EndpointSnapshot, OutlierSnapshot, PlanSnapshot } from './cluster-registry.js';
export { clusterSnapshots } from './cluster-registry.js';
export type { ZoneTier } from './supplier/instance-list.supplier.js';
export { preferLocalZone } from './zone-preference.js';
export {
  ZONEMESH_PICK_POLICIES,
  ZONEMESH_POLICY,
  ZonemeshLoadBalancingConfig,
  zonemeshChannelOptions,
  type ZonemeshLbOptions,
  type ZonemeshPickPolicy,
} from './zonemesh.config.js';
export * from './cluster/cluster-config.js';
export { parseClusterConfig, parseClusterList, parseClustersConfig, parsePolicySettings } from './cluster/cluster-config.parse.js';
export { policySettingsToJson } from './cluster/cluster-config.json.js';
export { clusterChannel, clusterTarget } from './cluster/cluster-target.js';
export { ManualLbClock, systemLbClock, useLbClock, type LbClock, type LbTimer } from './lb-clock.js';
export { registerEndpointHealthView } from './health-view.registry.js';
export type { EjectionReason } from './outlier/outlier-state.js';
export { registerLbMetrics } from './lb-metrics.js';
export { ZonemeshLoadBalancer } from './zonemesh.balancer.js';
export { ZonemeshResolver } from './zonemesh.resolver.js';
export { setupZonemeshLb } from './setup.js';
export * from './health/index.js';
export * from './http/index.js';
export { runLbBench } from './bench/index.js';
