export * from './endpoint.js';
export * from './endpoint-source.js';
export * from './config/index.js';
export { parseStaticTarget } from './static-target.js';
export { STATIC_SCHEME, StaticEndpointSource } from './static.source.js';
export type { LbCallStatus, LbCallTarget, LbLifecycle } from './lb-lifecycle.js';
export { addLbLifecycle } from './lb-lifecycle.js';
export type { ClusterSnapshot, EndpointSnapshot } from './cluster-registry.js';
export { clusterSnapshots } from './cluster-registry.js';
export type { ZoneTier } from './zone-preference.js';
export { preferLocalZone } from './zone-preference.js';
export {
  ZONEMESH_PICK_POLICIES,
  ZONEMESH_POLICY,
  ZonemeshLoadBalancingConfig,
  zonemeshChannelOptions,
  type ZonemeshLbOptions,
  type ZonemeshPickPolicy,
} from './zonemesh.config.js';
export { ZonemeshLoadBalancer } from './zonemesh.balancer.js';
export { ZonemeshResolver } from './zonemesh.resolver.js';
export { setupZonemeshLb } from './setup.js';
