import { createHash } from 'node:crypto';
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { loadMeshConfig, type MeshConfig } from './mesh-config.js';

/** What a change of mesh.yaml asks of the running mesh. */
export interface MeshFileChange {
  readonly config: MeshConfig;
  /** `clusters` and/or `routes`: what every running process reloads (SIGHUP). */
  readonly reload: readonly ('clusters' | 'routes')[];
  /** Top-level keys of the topology that changed (zones, ports, instance counts...): applied only by a restart. */
  readonly needsRestart: readonly string[];
}

export interface MeshFileWatchOptions {
  /** Called for a valid change of clusters or routes. */
  onReload(change: MeshFileChange): void;
  /** One line per change seen: applied, refused (with the error), or needing a restart. */
  log(line: string): void;
  /** Editors write in several steps: wait this long after the last event (default 300 ms). */
  readonly debounceMs?: number;
}

const RELOADABLE = ['clusters', 'routes'] as const;

/**
 * Watches the mesh.yaml `zonemesh up` was started with. Each change (by
 * content hash: a touch or a save without changes is nothing) is validated
 * with the same loader as at start; an invalid file is refused with its
 * path-qualified error and the running config stays; a valid change of
 * `clusters`/`routes` goes to onReload; other changed keys are reported as
 * needing a restart and not applied. The directory is watched, as editors
 * often replace the file by a rename.
 */
export function watchMeshFile(path: string, initial: MeshConfig, options: MeshFileWatchOptions): { close(): void } {
  let current = initial;
  let hash = contentHash(path);
  let timer: NodeJS.Timeout | undefined;
  let checking = Promise.resolve();
  const name = basename(path);

  const check = async (): Promise<void> => {
    const next = contentHash(path);
    if (next === undefined || next === hash) return;
    hash = next;
    let config: MeshConfig;
    try {
      config = await loadMeshConfig(path);
    } catch (error) {
      options.log(`${name} not applied, the running config stays: ${(error as Error).message.split('\n')[0]}`);
      return;
    }
    const reload = RELOADABLE.filter((key) => JSON.stringify(config[key]) !== JSON.stringify(current[key]));
    const needsRestart = Object.keys({ ...current, ...config }).filter(
      (key) => key !== 'sourcePath' && !(RELOADABLE as readonly string[]).includes(key) && JSON.stringify(config[key as keyof MeshConfig]) !== JSON.stringify(current[key as keyof MeshConfig]),
    );
    if (needsRestart.length > 0) options.log(`${name}: ${needsRestart.join(', ')} changed: not applied, restart \`zonemesh up\` for that`);
    if (reload.length > 0) options.onReload({ config, reload, needsRestart });
    // What runs now: the reloaded parts; the topology stays as started until a restart.
    current = { ...current, clusters: config.clusters, ...(config.routes === undefined ? { routes: undefined } : { routes: config.routes }) };
  };

  const watcher: FSWatcher = watch(dirname(path), (_event, file) => {
    if (file !== null && file !== name) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      checking = checking.then(check).catch((error: unknown) => options.log(`${name}: ${(error as Error).message}`));
    }, options.debounceMs ?? 300);
  });
  return {
    close: () => {
      clearTimeout(timer);
      watcher.close();
    },
  };
}

function contentHash(path: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return undefined; // between an editor's unlink and rename: the next event sees the file
  }
}
