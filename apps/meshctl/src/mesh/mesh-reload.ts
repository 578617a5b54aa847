import type { MeshConfig } from './mesh-config.js';
import type { RunningMesh } from './mesh-launcher.js';
import { watchMeshFile } from './mesh-watch.js';

/**
 * What `zonemesh up` does with a running mesh: watches the mesh.yaml it
 * was started with and, for a valid change of clusters or routes, sends
 * SIGHUP to every ready process that reads the file (libs/runtime
 * mesh-reload: each re-reads, validates and applies it). Returns the stop.
 */
export function reloadMeshOnChange(mesh: RunningMesh, configPath: string, config: MeshConfig, log: (line: string) => void, debounceMs?: number): { close(): void } {
  return watchMeshFile(configPath, config, {
    log,
    ...(debounceMs === undefined ? {} : { debounceMs }),
    onReload: (change) => {
      const readers = mesh.processes.filter((p) => p.spec.env.ZONEMESH_CLUSTERS_FILE !== undefined && p.pid !== undefined && p.state === 'ready');
      for (const proc of readers) {
        try {
          process.kill(proc.pid!, 'SIGHUP');
        } catch {
          // Exited meanwhile: reported by its own exit line.
        }
      }
      log(`${change.reload.join(' and ')} reloaded in ${readers.length} processes (${readers.map((p) => p.spec.name).join(', ')}); each logs "reloaded" or why it refused`);
    },
  });
}
