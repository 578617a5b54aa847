import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@zonemesh/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from '../workspace.js';
import { loadMeshConfig } from './mesh-config.js';
import { watchMeshFile, type MeshFileChange } from './mesh-watch.js';

const shipped = readFileSync(join(WORKSPACE_ROOT, 'mesh.yaml'), 'utf8');

/** `zonemesh up`'s watch of mesh.yaml, on a real file: what reloads, what is refused, what needs a restart. */
describe('watchMeshFile', () => {
  const closers: Array<() => void> = [];
  afterEach(() => closers.splice(0).forEach((close) => close()));

  async function watching() {
    const path = join(mkdtempSync(join(tmpdir(), 'mesh-watch-')), 'mesh.yaml');
    writeFileSync(path, shipped);
    const changes: MeshFileChange[] = [];
    const lines: string[] = [];
    const watcher = watchMeshFile(path, await loadMeshConfig(path), { onReload: (c) => changes.push(c), log: (l) => lines.push(l), debounceMs: 50 });
    closers.push(() => watcher.close());
    return { path, changes, lines };
  }

  it('hands a valid change of the zone-failover TTL and a route weight to the reload, and nothing for a save without changes', async () => {
    const { path, changes, lines } = await watching();
    writeFileSync(path, shipped);
    const edited = shipped
      .replace('failed_instance_ttl: 10s    # library default', 'failed_instance_ttl: 4s     # library default')
      .replace('action: { cluster: catalog, api_version: v1, timeout: 3s }\n', 'action: { cluster: catalog, version_weights: { v1: 80, v2: 20 }, timeout: 3s }\n');
    expect(edited).not.toBe(shipped);
    writeFileSync(path, edited);
    await waitFor(() => changes.length === 1, { what: 'the reload', timeoutMs: 10_000 });
    expect(changes[0]!.reload).toEqual(['clusters', 'routes']);
    expect(changes[0]!.needsRestart).toEqual([]);
    expect(changes[0]!.config.clusters.find((c) => c.name === 'pricing')!.zoneFailover.failedInstanceTtlMs).toBe(4_000);
    expect(lines).toEqual([]);
  });

  it('refuses an invalid file with its path-qualified error and reloads nothing', async () => {
    const { path, changes, lines } = await watching();
    writeFileSync(path, shipped.replace('failed_instance_ttl: 10s    # library default', 'failed_instance_ttl: soon   # library default'));
    await waitFor(() => lines.length === 1, { what: 'the refusal', timeoutMs: 10_000 });
    expect(lines[0]).toMatch(/^mesh\.yaml not applied, the running config stays: .*clusters\[0\]\.zone_failover\.failed_instance_ttl: expected a duration/);
    expect(changes).toEqual([]);
  });

  it('reports a topology change as needing a restart, without reloading it', async () => {
    const { path, changes, lines } = await watching();
    writeFileSync(path, shipped.replace('instances_per_zone: 2\n  catalog', 'instances_per_zone: 3\n  catalog'));
    await waitFor(() => lines.length === 1, { what: 'the restart note', timeoutMs: 10_000 });
    expect(lines[0]).toBe('mesh.yaml: services changed: not applied, restart `zonemesh up` for that');
    expect(changes).toEqual([]);
  });
});
