import { ConfigError, type YamlSource } from '@zonemesh/config';
import { keySegments, type ClusterFileRead, type ClusterFormat, type ClusterSource } from '../cluster-draft.js';
import type { ClusterConfig } from '../cluster-config.js';
import { readEnvoyClusters } from '../envoy/envoy-cluster.parse.js';
import { readSpringClusters } from '../spring/spring-cluster.parse.js';
import { clusterSettings } from './cluster-settings.js';

const ENVOY_CLUSTER_HINTS = ['load_assignment', '@type', 'outlier_detection', 'health_checks', 'connect_timeout'];

/**
 * Which dialect a configuration document is written in: an Envoy bootstrap,
 * cluster list or cluster; Spring/eurekube properties; or zonemesh's own
 * (mesh.yaml, or a `clusters:` list whose entries have `endpoints`/`app`).
 */
export function detectClusterFormat(document: unknown): ClusterFormat {
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new ConfigError('', 'expected a map: mesh.yaml, an Envoy Cluster (or static_resources / clusters), or Spring properties (eurekube, spring.cloud)');
  }
  const root = document as Record<string, unknown>;
  const keys = Object.keys(root);
  if ('static_resources' in root) return 'envoy';
  if (keys.some((k) => k === 'eurekube' || k === 'spring' || k.startsWith('eurekube.') || k.startsWith('spring.'))) return 'spring';
  // mesh.yaml: its own top-level keys.
  if ('zones' in root || 'services' in root) return 'zonemesh';
  if (Array.isArray(root.clusters)) {
    const items = root.clusters.filter((c): c is Record<string, unknown> => c !== null && typeof c === 'object');
    const ours = items.some((c) => 'endpoints' in c || 'app' in c || 'zone_failover' in c || 'retry_policy' in c);
    return !ours && items.some((c) => 'load_assignment' in c || '@type' in c) ? 'envoy' : 'zonemesh';
  }
  if ('name' in root && ENVOY_CLUSTER_HINTS.some((k) => k in root)) return 'envoy';
  throw new ConfigError('', 'cannot tell the format: expected mesh.yaml (clusters), an Envoy Cluster (or static_resources / clusters), or Spring properties (eurekube, spring.cloud)');
}

/** Clusters read from zonemesh's own format: each key's origin is the same key in the file (it took its default if the file lacks it). */
export function zonemeshClusterSources(clusters: readonly ClusterConfig[], listPath: readonly (string | number)[] = ['clusters']): ClusterSource[] {
  return clusters.map((config, i) => ({
    config,
    callerZone: undefined,
    origins: Object.fromEntries(clusterSettings(config).map(({ key }) => [key, [...listPath, i, ...keySegments(key)]])),
  }));
}

/** Reads an Envoy or Spring document; zonemesh's own format is read by its owner (mesh.yaml: the CLI) and passed in. */
export function readForeignClusterFile(source: YamlSource, format: Exclude<ClusterFormat, 'zonemesh'>): ClusterFileRead {
  return format === 'envoy' ? readEnvoyClusters(source.value) : readSpringClusters(source.value);
}
