import type { ChannelOptions } from '@grpc/grpc-js';
import type { ClusterConfig } from './cluster-config.js';
import { zonemeshChannelOptions } from '../policy/zonemesh.config.js';

/**
 * The gRPC channel target of a cluster: `eureka:///<APP>` or
 * `static:///a:1,b:2?zones=...&ids=...&md.version=...` (the static scheme
 * carries zones, ids and metadata, so subsets and weights work without a
 * registry).
 */
export function clusterTarget(cluster: ClusterConfig): string {
  if (cluster.type === 'eureka') return `eureka:///${cluster.app}`;
  const eps = cluster.endpoints;
  const query = new URLSearchParams();
  if (eps.some((e) => e.zone)) query.set('zones', eps.map((e) => e.zone ?? '').join(','));
  if (eps.some((e) => e.id)) query.set('ids', eps.map((e) => e.id ?? e.address).join(','));
  const keys = [...new Set(eps.flatMap((e) => Object.keys(e.metadata)))].sort();
  for (const key of keys) query.set(`md.${key}`, eps.map((e) => e.metadata[key] ?? '').join(','));
  const text = query.toString();
  return `static:///${eps.map((e) => e.address).join(',')}${text ? `?${text}` : ''}`;
}

/** Target and channel options for one cluster, ready for `new Client(target, creds, options)` or NestJS `ClientGrpc`. */
export function clusterChannel(cluster: ClusterConfig, zone: string | undefined): { target: string; options: ChannelOptions } {
  return { target: clusterTarget(cluster), options: zonemeshChannelOptions({ zone, cluster }) };
}
