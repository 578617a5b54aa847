import { reloadClusterSettings } from './cluster-settings.js';
import { applyClusterReload } from './mesh-bindings.js';
import type { ServiceEnv } from './service-env.js';

/**
 * A part of the process that reloads with mesh.yaml (the gateway's routes):
 * `prepare` validates the file and throws on a mistake, before anything is
 * applied; the function it returns applies what it prepared.
 */
export type ReloadPart = (file: string) => () => void;

const parts: ReloadPart[] = [];

/** Adds a part to every later reload of ZONEMESH_CLUSTERS_FILE. */
export function onMeshReload(part: ReloadPart): void {
  parts.push(part);
}

/**
 * Re-reads ZONEMESH_CLUSTERS_FILE and applies it: every part validates
 * first, then the clusters' settings go to the running channels and each
 * part applies. One invalid part rejects the whole reload and the running
 * config stays. Returns the JSON line to print, or throws the error.
 */
export function reloadMeshConfig(env: ServiceEnv): Record<string, unknown> {
  const file = env.clustersFile;
  if (!file) throw new Error('ZONEMESH_CLUSTERS_FILE is not set: nothing to reload');
  const commits = parts.map((prepare) => prepare(file));
  const clusters = reloadClusterSettings(file);
  const { applied, needsRestart } = applyClusterReload(env, clusters);
  for (const commit of commits) commit();
  return { event: 'reloaded', instanceId: env.instanceId, file, clusters: applied, ...(needsRestart.length > 0 ? { needsRestart } : {}) };
}

/**
 * SIGHUP reloads ZONEMESH_CLUSTERS_FILE (what `zonemesh up` sends when
 * mesh.yaml changes; `docker kill -s HUP`, `kill -HUP` elsewhere): one JSON
 * line `reloaded` on stdout, or the error on stderr with the old config
 * kept. Installed before anything slow starts, as SIGHUP would otherwise
 * end the process.
 */
export function reloadOnSighup(env: ServiceEnv): void {
  process.on('SIGHUP', () => {
    try {
      process.stdout.write(`${JSON.stringify(reloadMeshConfig(env))}\n`);
    } catch (error) {
      process.stderr.write(`${env.instanceId}: reload rejected, keeping the running config: ${(error as Error).message}\n`);
    }
  });
}
