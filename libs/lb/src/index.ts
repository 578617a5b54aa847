export * from './endpoint.js';
export * from './resolver/endpoint-source.js';
export * from './health/endpoint-health.view.js';
export { parseStaticTarget } from './resolver/static-target.js';
export { STATIC_SCHEME, StaticEndpointSource } from './resolver/static.source.js';
export type { LbCallStatus, LbCallTarget, LbCompletion, LbEvent, LbLifecycle, LbRequest } from './lifecycle/lb-lifecycle.js';
export { addLbLifecycle } from './lifecycle/lb-lifecycle.js';
export type { ClusterSnapshot, EndpointSnapshot, OutlierSnapshot, PlanSnapshot } from './admin/cluster-snapshots.js';
export { clusterSnapshots } from './admin/cluster-snapshots.js';
export type { ZoneTier } from './supplier/instance-list.supplier.js';
export {
  ZONEMESH_PICK_POLICIES,
  ZONEMESH_POLICY,
  ZonemeshLoadBalancingConfig,
  zonemeshChannelOptions,
  type ZonemeshLbOptions,
  type ZonemeshPickPolicy,
} from './policy/zonemesh.config.js';
export * from './cluster/cluster-config.js';
export { parseClusterConfig, parseClusterList, parseClustersConfig, parsePolicySettings, type ClusterListOptions } from './cluster/cluster-config.parse.js';
export { policySettingsToJson } from './cluster/cluster-config.json.js';
export { clusterChannel, clusterTarget } from './cluster/cluster-target.js';
export { ManualLbClock, systemLbClock, useLbClock, type LbClock, type LbTimer } from './lb-clock.js';
export { registerEndpointHealthView } from './health/health-view.registry.js';
export type { EjectionReason } from './outlier/outlier-state.js';
export { registerLbMetrics, type LbMetricsOptions } from './lifecycle/lb-metrics.js';
export { ZoneLabels, OTHER_ZONE } from './lifecycle/zone-labels.js';
export { ZonemeshLoadBalancer } from './policy/zonemesh.balancer.js';
export { ZonemeshResolver } from './resolver/zonemesh.resolver.js';
export { DEFAULT_MAX_ENDPOINTS, setMaxEndpointsPerCluster, maxEndpointsPerCluster, capEndpoints, endpointOverflows, type EndpointOverflow } from './resolver/endpoint-cap.js';
export { LIVE_CONFIG_KEY, publishServiceConfig } from './resolver/live-service-config.js';
export { setupZonemeshLb } from './setup.js';
export { lostTrailersInterceptor } from './call/lost-trailers.interceptor.js';
export { perTryInterceptor, PER_TRY_OVERRIDE, type PerTryOverride } from './call/per-try.interceptor.js';
export * from './health/index.js';
/** The channel-option keys the resolver hands to the policy (for driving a balancer directly, as the bench does). */
export { ENDPOINTS_ATTRIBUTE, TARGET_ATTRIBUTE } from './resolver/resolver-attributes.js';
export * from './cluster/explain/index.js';
