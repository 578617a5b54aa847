import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProjects, freePort, spawnService, waitFor, type ServiceProcess } from '@zonemesh/testing';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** A mesh service in zone-a; a loaded two-core CI machine may take a while to start five Node processes. */
const start = async (service: string, instanceId: string, env: Record<string, string> = {}): Promise<ServiceProcess> =>
  spawnService({
    entry: `apps/${service}/dist/main.js`,
    cwd: root,
    env: { ZONEMESH_SERVICE: service, ZONEMESH_ZONE: 'zone-a', ZONEMESH_PORT: String(await freePort()), ZONEMESH_INSTANCE_ID: instanceId, ...env },
    readyTimeoutMs: 90_000,
  });

interface Addresses {
  readonly v1: string;
  readonly v2: string;
  readonly inventory: string;
  readonly catalog: string;
}

/** mesh.yaml's clusters and one canary route, with the failed-instance TTL and the route's weights as parameters. */
const meshDocument = (a: Addresses, ttl: string, weights: string, extraRoute = ''): string => `
clusters:
  - name: catalog
    type: static
    endpoints: [{ address: "${a.catalog}", zone: zone-a }]
    zone_failover: { failed_instance_ttl: ${ttl} }
  - name: pricing
    type: static
    endpoints:
      - { address: "${a.v1}", zone: zone-a, metadata: { version: v1 } }
      - { address: "${a.v2}", zone: zone-a, metadata: { version: v2 } }
    subset: { header: x-api-version, metadata_key: version, default: v1 }
    zone_failover: { failed_instance_ttl: ${ttl} }
  - name: inventory
    type: static
    endpoints: [{ address: "${a.inventory}", zone: zone-a }]
    zone_failover: { failed_instance_ttl: ${ttl} }
routes:${extraRoute}
  - name: canary
    match: { path: { prefix: /api/products/ }, methods: [GET] }
    action: { cluster: catalog, version_weights: ${weights}, timeout: 5s }
`;

interface ClustersView {
  clusters: { cluster: string; failedInstanceTtlMs: number }[];
}

/**
 * Reload without restart (issue 14 item 6), through real processes: under a
 * steady load, mesh.yaml changes the zone-failover TTL and the canary's
 * weights, SIGHUP (what `zonemesh up` sends) makes the gateway and catalog
 * apply it — /admin/clusters shows the new TTL, the v1/v2 split moves — and
 * not one request fails. An invalid change is refused with its error and
 * the running config stays.
 */
describe('reloading mesh.yaml in running processes', () => {
  let processes: ServiceProcess[] = [];
  let gateway: ServiceProcess;
  let catalog: ServiceProcess;
  let file: string;
  let addresses: Addresses;
  let url: string;

  beforeAll(async () => {
    await buildProjects(['apps/gateway/tsconfig.lib.json', 'apps/catalog/tsconfig.lib.json', 'apps/pricing/tsconfig.lib.json', 'apps/inventory/tsconfig.lib.json'], root);
    file = join(mkdtempSync(join(tmpdir(), 'mesh-reload-')), 'mesh.yaml');
    const [v1, v2, inventory] = await Promise.all([
      start('pricing', 'pricing-v1-zone-a-1'),
      start('pricing', 'pricing-v2-zone-a-1', { ZONEMESH_VERSION: 'v2' }),
      start('inventory', 'inventory-zone-a-1'),
    ]);
    processes = [v1, v2, inventory];
    const catalogPort = await freePort();
    addresses = { v1: v1.ready.address, v2: v2.ready.address, inventory: inventory.ready.address, catalog: `127.0.0.1:${catalogPort}` };
    writeFileSync(file, meshDocument(addresses, '10s', '{ v1: 100, v2: 0 }'));
    catalog = await start('catalog', 'catalog-zone-a-1', { ZONEMESH_CLUSTERS_FILE: file, ZONEMESH_PORT: String(catalogPort) });
    processes.push(catalog);
    const port = await freePort();
    gateway = await spawnService({
      entry: 'apps/gateway/dist/main.js',
      cwd: root,
      env: { ZONEMESH_ZONE: 'zone-a', ZONEMESH_PORT: String(port), ZONEMESH_INSTANCE_ID: 'gateway-zone-a-1', ZONEMESH_CLUSTERS_FILE: file },
      readyTimeoutMs: 90_000,
    });
    processes.push(gateway);
    url = `http://127.0.0.1:${port}`;
  }, 180_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
  });

  const catalogTtl = async (): Promise<number | undefined> => {
    const view = (await (await fetch(`${url}/admin/clusters`)).json()) as ClustersView;
    return view.clusters.find((c) => c.cluster === 'catalog')?.failedInstanceTtlMs;
  };
  const reloads = (p: ServiceProcess): number => p.stdout().split('\n').filter((line) => line.includes('"event":"reloaded"')).length;

  /**
   * Four clients calling in a loop until stopped: every answer's pricing
   * version with the epoch its request started in (so a request in flight
   * across the reload is not counted as after it), and every failure.
   */
  function steadyLoad() {
    const versions: string[] = [];
    const epochs: number[] = [];
    const failures: string[] = [];
    let running = true;
    const state = { epoch: 0 };
    const loops = Array.from({ length: 4 }, async (_, n) => {
      for (let i = 0; running; i++) {
        const epoch = state.epoch;
        try {
          const response = await fetch(`${url}/api/products/${(i % 50) + 1 + n}`);
          const text = await response.text();
          if (response.status !== 200) failures.push(`${response.status} ${text}`);
          else {
            versions.push((JSON.parse(text) as { price: { version: string } }).price.version);
            epochs.push(epoch);
          }
        } catch (error) {
          failures.push(String(error));
        }
      }
    });
    return {
      versions,
      failures,
      state,
      /** Versions of the requests started in `epoch` or later. */
      since: (epoch: number) => versions.filter((_, i) => epochs[i]! >= epoch),
      stop: async () => {
        running = false;
        await Promise.all(loops);
      },
    };
  }

  it('applies a new failed_instance_ttl and new route weights under load without a failed request', { timeout: 180_000 }, async () => {
    const load = steadyLoad();
    try {
      await waitFor(() => load.versions.length >= 100, { what: '100 answers before the reload', timeoutMs: 60_000 });
      expect(new Set(load.versions)).toEqual(new Set(['v1']));
      expect(await catalogTtl()).toBe(10_000);

      writeFileSync(file, meshDocument(addresses, '3s', '{ v1: 0, v2: 100 }'));
      const [gatewayBefore, catalogBefore] = [reloads(gateway), reloads(catalog)];
      gateway.child.kill('SIGHUP');
      catalog.child.kill('SIGHUP');
      await waitFor(() => reloads(gateway) > gatewayBefore && reloads(catalog) > catalogBefore, { what: 'both processes reloaded', timeoutMs: 30_000 });
      load.state.epoch = 1;
      await waitFor(() => load.since(1).length >= 100, { what: '100 answers after the reload', timeoutMs: 60_000 });
      expect(new Set(load.since(1))).toEqual(new Set(['v2']));
      expect(await catalogTtl()).toBe(3_000);
    } finally {
      await load.stop();
    }
    console.info(`reload under load: ${load.versions.length} answers, ${load.failures.length} failed`);
    expect(load.failures).toEqual([]);
    expect(load.versions.length).toBeGreaterThanOrEqual(200);
  });

  it('refuses an invalid change with its path-qualified error and keeps serving the running config', { timeout: 120_000 }, async () => {
    const badRoute = `
  - name: broken
    match: { headers: [{ name: x-a, regex: "([" }] }
    action: { cluster: catalog, api_version: v1 }`;
    writeFileSync(file, meshDocument(addresses, '7s', '{ v1: 100, v2: 0 }', badRoute));
    const before = reloads(gateway);
    gateway.child.kill('SIGHUP');
    await waitFor(() => gateway.stderr().includes('reload rejected'), { what: 'the rejection', timeoutMs: 30_000 });
    expect(gateway.stderr()).toContain(`gateway-zone-a-1: reload rejected, keeping the running config: ${file}: routes[0].match.headers[0].regex: invalid regular expression`);
    expect(reloads(gateway)).toBe(before);
    // The reloaded config of the first case is still the one in force: TTL 3s, every answer from v2.
    expect(await catalogTtl()).toBe(3_000);
    const answer = (await (await fetch(`${url}/api/products/9`)).json()) as { price: { version: string } };
    expect(answer.price.version).toBe('v2');
  });
});
