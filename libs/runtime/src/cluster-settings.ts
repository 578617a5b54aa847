import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConfigError } from '@zonemesh/config';
import { parseClusterList, type ClusterConfig } from '@zonemesh/lb';
import { parse as parseYaml } from 'yaml';

const cache = new Map<string, ReadonlyMap<string, ClusterConfig>>();

/**
 * The `clusters:` section of the file named by ZONEMESH_CLUSTERS_FILE
 * (mesh.yaml under `zonemesh up`), by cluster name — read and validated
 * once per process. No file means library defaults for every cluster.
 */
export function loadClusterSettings(path: string | undefined): ReadonlyMap<string, ClusterConfig> {
  if (!path) return new Map();
  const cached = cache.get(path);
  if (cached) return cached;
  const byName = readClusterSettings(path);
  cache.set(path, byName);
  return byName;
}

/**
 * Reads the file again (a reload), validated; only a valid file replaces
 * what loadClusterSettings returns, so after an error the old clusters stay.
 */
export function reloadClusterSettings(path: string): ReadonlyMap<string, ClusterConfig> {
  const byName = readClusterSettings(path);
  cache.set(path, byName);
  return byName;
}

/** The clusters of `path` by name, validated; throws one line naming the file and the path in it. */
export function readClusterSettings(path: string): ReadonlyMap<string, ClusterConfig> {
  let document: unknown;
  try {
    document = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`ZONEMESH_CLUSTERS_FILE: cannot read ${path}: ${(error as Error).message.split('\n')[0]}`);
  }
  const clusters = (document as { clusters?: unknown } | null)?.clusters;
  let list: ClusterConfig[];
  try {
    list = clusters === undefined ? [] : parseClusterList(clusters, 'clusters', { readFile: (file) => parseYaml(readFileSync(resolve(dirname(path), file), 'utf8')) });
  } catch (error) {
    if (error instanceof ConfigError) throw new Error(`${path}: ${error.message}`);
    throw error;
  }
  return new Map(list.map((cluster) => [cluster.name, cluster]));
}
