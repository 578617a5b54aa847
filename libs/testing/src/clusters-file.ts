import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One endpoint of a static cluster: an address, or an address with zone/id/metadata. */
export type StaticEndpoint = string | { readonly address: string; readonly zone?: string; readonly id?: string; readonly metadata?: Readonly<Record<string, string>> };

/**
 * Writes a clusters file (mesh.yaml's `clusters:`, and `routes:` when given)
 * with one `static` cluster per entry, and returns the ZONEMESH_CLUSTERS_FILE
 * variable naming it: the one place a mesh process takes its targets from.
 * `extra` adds keys to every cluster (health checks, retries...). JSON is
 * YAML, so no YAML writer is needed.
 */
export function staticClustersEnv(
  clusters: Readonly<Record<string, readonly StaticEndpoint[]>>,
  options: { readonly extra?: Readonly<Record<string, unknown>>; readonly routes?: readonly unknown[] } = {},
): { ZONEMESH_CLUSTERS_FILE: string } {
  const document = {
    clusters: Object.entries(clusters).map(([name, endpoints]) => ({
      name,
      type: 'static',
      endpoints: endpoints.map((e) => (typeof e === 'string' ? { address: e } : e)),
      ...options.extra,
    })),
    ...(options.routes ? { routes: options.routes } : {}),
  };
  const path = join(mkdtempSync(join(tmpdir(), 'zonemesh-clusters-')), 'mesh.yaml');
  writeFileSync(path, `${JSON.stringify(document, null, 2)}\n`);
  return { ZONEMESH_CLUSTERS_FILE: path };
}
