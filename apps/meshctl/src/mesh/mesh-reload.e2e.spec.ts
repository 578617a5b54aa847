import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '@zonemesh/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from '../workspace.js';
import { loadMeshConfig, withFreePorts } from './mesh-config.js';
import { startMesh, type RunningMesh } from './mesh-launcher.js';
import { planMesh } from './mesh-plan.js';
import { reloadMeshOnChange } from './mesh-reload.js';
import { generateRegistryCredentials } from './registry-credentials.js';

interface ClustersView {
  clusters: { cluster: string; failedInstanceTtlMs: number }[];
}

const TTL_LINE = 'failed_instance_ttl: 10s    # library default';
const DEFAULT_ROUTE = "  - name: api-default\n    match: { path: { prefix: /api/products/ }, methods: [GET, HEAD] }\n    action: { cluster: catalog, api_version: v1, timeout: 3s }";

/**
 * `zonemesh up`'s reload end to end: the shipped mesh.yaml (one instance of
 * each service a zone, to keep the machine free) copied to a file the test
 * edits, started by the same code as `zonemesh up`, watched as it watches.
 * Under a steady load the zone-failover TTL and the default route's weights
 * change: the gateway's and a catalog's /admin/clusters show the new TTL,
 * requests started after it go to v2, none fails. An invalid edit changes
 * nothing.
 */
describe('zonemesh up reloads mesh.yaml without a restart', () => {
  let mesh: RunningMesh;
  let file: string;
  let shipped: string;
  let watcher: { close(): void } | undefined;
  const lines: string[] = [];

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zonemesh-reload-'));
    file = join(dir, 'mesh.yaml');
    shipped = (await readFile(join(WORKSPACE_ROOT, 'mesh.yaml'), 'utf8')).replace(/^(services:\n(?:.*\n)*?\s+instances_per_zone:) 2/m, '$1 1');
    expect(shipped).toContain(TTL_LINE);
    expect(shipped).toContain(DEFAULT_ROUTE);
    await writeFile(file, shipped);
    const config = withFreePorts(await loadMeshConfig(file));
    expect(config.services.instancesPerZone).toBe(1);
    mesh = await startMesh(await planMesh(config, { registryCredentials: generateRegistryCredentials() }), { logDir: dir, readyTimeoutMs: 90_000 });
    // The file as written, as `zonemesh up` holds it (free ports are this test's own change, not an edit).
    watcher = reloadMeshOnChange(mesh, file, await loadMeshConfig(file), (line) => lines.push(line), 100);
  }, 240_000);

  afterAll(async () => {
    watcher?.close();
    await mesh?.stop();
  }, 60_000);

  const ttlOf = async (adminUrl: string, cluster: string): Promise<number | undefined> =>
    ((await (await fetch(adminUrl)).json()) as ClustersView).clusters.find((c) => c.cluster === cluster)?.failedInstanceTtlMs;

  it('applies a new failed_instance_ttl and route weights under load, then refuses an invalid edit', { timeout: 240_000 }, async () => {
    const gatewayAdmin = `${mesh.plan.gateway.url}/admin/clusters`;
    const catalog = mesh.plan.services.find((s) => s.app === 'catalog' && s.zone === mesh.plan.gateway.zone)!;
    const catalogAdmin = catalog.metricsUrl.replace(/\/metrics$/, '/admin/clusters');
    const answers: { epoch: number; apiVersion: string }[] = [];
    const failures: string[] = [];
    const state = { epoch: 0, running: true };
    const loops = Array.from({ length: 2 }, async (_, n) => {
      for (let i = 0; state.running; i++) {
        const epoch = state.epoch;
        try {
          const response = await fetch(`${mesh.plan.gateway.url}/api/products/${(i % 40) + 1 + n}`);
          const text = await response.text();
          if (response.status === 200) answers.push({ epoch, apiVersion: (JSON.parse(text) as { apiVersion: string }).apiVersion });
          else failures.push(`${response.status} ${text}`);
        } catch (error) {
          failures.push(String(error));
        }
      }
    });
    try {
      await waitFor(() => answers.length >= 50, { what: '50 answers before the edit', timeoutMs: 90_000 });
      expect(await ttlOf(gatewayAdmin, 'catalog')).toBe(10_000);

      await writeFile(file, shipped.replace(TTL_LINE, 'failed_instance_ttl: 4s     # library default').replace(DEFAULT_ROUTE, DEFAULT_ROUTE.replace('api_version: v1', 'version_weights: { v1: 0, v2: 100 }')));
      await waitFor(async () => (await ttlOf(gatewayAdmin, 'catalog')) === 4_000 && (await ttlOf(catalogAdmin, 'pricing')) === 4_000, {
        what: 'the new TTL in the gateway and a catalog',
        timeoutMs: 60_000,
      });
      state.epoch = 1;
      await waitFor(() => answers.filter((a) => a.epoch === 1).length >= 50, { what: '50 answers after the reload', timeoutMs: 90_000 });
      expect(new Set(answers.filter((a) => a.epoch === 1).map((a) => a.apiVersion))).toEqual(new Set(['v2']));

      await writeFile(file, shipped.replace(TTL_LINE, 'failed_instance_ttl: later  # library default'));
      await waitFor(() => lines.some((l) => l.includes('the running config stays')), { what: 'the refusal', timeoutMs: 30_000 });
      expect(lines.find((l) => l.includes('the running config stays'))).toMatch(/zone_failover\.failed_instance_ttl: expected a duration/);
      expect(await ttlOf(gatewayAdmin, 'catalog')).toBe(4_000);
    } finally {
      state.running = false;
      await Promise.all(loops);
    }
    console.info(`zonemesh up reload: ${answers.length} answers, ${failures.length} failed`);
    expect(failures).toEqual([]);
    // Nothing but the refusal was reported: the edits were clusters and routes only.
    expect(lines.filter((l) => l.includes('restart'))).toEqual([]);
  });
});
