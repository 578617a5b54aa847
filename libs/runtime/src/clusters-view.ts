import { clusterSnapshots, type ClusterSnapshot } from '@zonemesh/lb';

/** Envoy's /clusters admin page in JSON, as every caller of the mesh serves it. */
export interface ClustersView {
  readonly instance: string;
  readonly zone: string;
  readonly generatedAt: string;
  readonly clusters: readonly ClusterSnapshot[];
}

/**
 * The document behind GET /admin/clusters: every zonemesh channel this
 * process balances, each endpoint with zone, health, outlier state,
 * failed-instance cache, in-flight and totals. The gateway serves it on its
 * HTTP port; gRPC services (catalog balances pricing and inventory) on their
 * metrics port.
 */
export function clustersView(identity: { readonly instance: string; readonly zone: string }): ClustersView {
  return { instance: identity.instance, zone: identity.zone, generatedAt: new Date().toISOString(), clusters: clusterSnapshots() };
}
