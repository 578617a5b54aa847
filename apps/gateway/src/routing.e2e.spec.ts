import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_ROUTES_YAML } from '@zonemesh/routing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProjects, freePort, spawnRaw, spawnService, waitFor, type ServiceProcess, spawnMeshService } from '@zonemesh/testing';

const root = fileURLToPath(new URL('../../../', import.meta.url));

const start = (service: string, instanceId: string, extra: Record<string, string> = {}): Promise<ServiceProcess> =>
  spawnMeshService(root, service, instanceId, extra);

interface ProductAnswer {
  apiVersion: string;
  price: { version: string; requestedApiVersion: string };
  servedBy: { catalog: string; pricing: string; inventory: string };
}

/**
 * A mesh file like mesh.yaml: the pricing cluster subsets on x-api-version
 * (catalog reads it), and the gateway's routes are the shipped ones behind a
 * 90/10 canary taken by requests carrying `x-canary`.
 */
const meshDocument = (addresses: { v1: string; v2: string; inventory: string; catalog: string }): string => `
clusters:
  - name: pricing
    type: static
    endpoints:
      - { address: "${addresses.v1}", metadata: { version: v1 } }
      - { address: "${addresses.v2}", metadata: { version: v2 } }
    subset: { header: x-api-version, metadata_key: version, default: v1 }
  - name: inventory
    type: static
    endpoints: [{ address: "${addresses.inventory}" }]
  - name: catalog
    type: static
    endpoints: [{ address: "${addresses.catalog}" }]
routes:
  - name: canary
    match:
      path: { prefix: /api/products/ }
      headers: [{ name: x-canary, present: true }]
    action: { cluster: catalog, version_weights: { v1: 90, v2: 10 }, timeout: 2s }
${DEFAULT_ROUTES_YAML.replace(/^(?=.)/gm, '  ')}
`;

/**
 * Versioned routing end to end: real pricing v1 and v2 processes in one
 * static pricing cluster (metadata version v1, v2), catalog subsetting on the
 * x-api-version metadata the gateway's route table set.
 */
describe('gateway routing to pricing v1 and v2', () => {
  let processes: ServiceProcess[] = [];
  let gateway: ServiceProcess;
  let url: string;
  let meshFile: string;

  beforeAll(async () => {
    await buildProjects(['apps/gateway/tsconfig.lib.json', 'apps/catalog/tsconfig.lib.json', 'apps/pricing/tsconfig.lib.json', 'apps/inventory/tsconfig.lib.json'], root);
    meshFile = join(mkdtempSync(join(tmpdir(), 'gateway-routing-')), 'mesh.yaml');
    const [v1, v2, inventory] = await Promise.all([
      start('pricing', 'pricing-v1-zone-a-1'),
      start('pricing', 'pricing-v2-zone-a-1', { ZONEMESH_VERSION: 'v2' }),
      start('inventory', 'inventory-zone-a-1'),
    ]);
    // Catalog's port is picked before it starts, so one file names every cluster, as mesh.yaml does.
    const catalogPort = await freePort();
    writeFileSync(meshFile, meshDocument({ v1: v1.ready.address, v2: v2.ready.address, inventory: inventory.ready.address, catalog: `127.0.0.1:${catalogPort}` }));
    const catalog = await start('catalog', 'catalog-zone-a-1', { ZONEMESH_CLUSTERS_FILE: meshFile, ZONEMESH_PORT: String(catalogPort) });
    processes = [v1, v2, inventory, catalog];
    const port = await freePort();
    gateway = await spawnService({
      entry: 'apps/gateway/dist/main.js',
      cwd: root,
      env: {
        ZONEMESH_ZONE: 'zone-a',
        ZONEMESH_PORT: String(port),
        ZONEMESH_INSTANCE_ID: 'gateway-zone-a-1',
        ZONEMESH_CLUSTERS_FILE: meshFile,
      },
    });
    processes.push(gateway);
    url = `http://127.0.0.1:${port}`;
  }, 120_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop('SIGKILL')));
  });

  const get = async (path: string, headers: Record<string, string> = {}): Promise<ProductAnswer> => {
    const response = await fetch(`${url}${path}`, { headers });
    const text = await response.text();
    expect(response.status, text).toBe(200);
    return JSON.parse(text) as ProductAnswer;
  };

  it('reads its routes from the mesh file', () => {
    expect(gateway.ready.routes).toBe(meshFile);
  });

  it('sends x-api-version: v2 and /api/v2/ to a pricing v2 instance, and the plain path to v1', async () => {
    for (let i = 0; i < 5; i++) {
      const plain = await get('/api/products/7');
      expect(plain.servedBy.pricing).toBe('pricing-v1-zone-a-1');
      expect(plain.price).toMatchObject({ version: 'v1', requestedApiVersion: 'v1' });
      const header = await get('/api/products/7', { 'x-api-version': 'v2' });
      expect(header.servedBy.pricing).toBe('pricing-v2-zone-a-1');
      expect(header.price).toMatchObject({ version: 'v2', requestedApiVersion: 'v2' });
      const path = await get('/api/v2/products/7');
      expect(path.servedBy.pricing).toBe('pricing-v2-zone-a-1');
      expect(path.apiVersion).toBe('v2');
      // A version in the path wins over the header, as the first matching route says.
      expect((await get('/api/v1/products/7', { 'x-api-version': 'v2' })).servedBy.pricing).toBe('pricing-v1-zone-a-1');
    }
  });

  it('splits the 90/10 canary route within +/-5 points over 1,000 requests, each answer from the version it was routed to', async () => {
    const counts = { v1: 0, v2: 0 };
    const queue = Array.from({ length: 1000 }, (_, i) => i);
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
          const answer = await get(`/api/products/${i + 1}`, { 'x-canary': '1' });
          expect(answer.servedBy.pricing).toBe(`pricing-${answer.apiVersion}-zone-a-1`);
          counts[answer.apiVersion as 'v1' | 'v2']++;
        }
      }),
    );
    expect(counts.v1 + counts.v2).toBe(1000);
    expect(Math.abs(counts.v2 / 10 - 10), `v2 got ${counts.v2} of 1000`).toBeLessThanOrEqual(5);
  });

  it('writes one JSON access-log line per request with route, cluster, upstream instance, status and duration', async () => {
    await get('/api/v2/products/3', { 'x-request-id': 'access-log-probe-1' });
    await fetch(`${url}/api/v9/products/3`, { headers: { 'x-request-id': 'access-log-probe-2' } });
    const line = (id: string) =>
      gateway
        .stdout()
        .split('\n')
        .filter((l) => l.includes(`"requestId":"${id}"`))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    const [served] = await waitFor(() => (line('access-log-probe-1').length ? line('access-log-probe-1') : undefined), { timeoutMs: 10_000 });
    expect(line('access-log-probe-1')).toHaveLength(1);
    expect(served).toMatchObject({ msg: 'access', route: 'api-v2-path', cluster: 'catalog', apiVersion: 'v2', upstream: 'catalog-zone-a-1', status: 200 });
    expect(served!.durationMs).toEqual(expect.any(Number));
    const [unrouted] = await waitFor(() => (line('access-log-probe-2').length ? line('access-log-probe-2') : undefined), { timeoutMs: 10_000 });
    expect(unrouted).toMatchObject({ route: null, upstream: null, status: 404 });
  });

  it('serves /openapi.json listing the routes of the file and /docs rendering it', async () => {
    const document = (await (await fetch(`${url}/openapi.json`)).json()) as {
      openapi: string;
      'x-zonemesh-routes': { name: string }[];
      paths: Record<string, { get: { 'x-zonemesh-routes'?: string[] } }>;
    };
    expect(document.openapi).toBe('3.1.0');
    expect(document['x-zonemesh-routes'].map((r) => r.name)).toEqual(['canary', 'api-v2-path', 'api-v1-path', 'api-v2-header', 'api-default']);
    expect(document.paths['/api/products/{id}']!.get['x-zonemesh-routes']).toEqual(['canary', 'api-v2-header', 'api-default']);
    const docs = await fetch(`${url}/docs`);
    expect(docs.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await docs.text()).toContain('canary');
  });

  it('refuses to start on an invalid route, naming the file and the path', async () => {
    const bad = join(mkdtempSync(join(tmpdir(), 'gateway-routing-')), 'mesh.yaml');
    writeFileSync(bad, 'routes:\n  - name: a\n    match: {}\n    action: { api_version: v1 }\n  - name: b\n    match: { headers: [{ name: x-a, regex: "([" }] }\n    action: { api_version: v1 }\n');
    const child = spawnRaw({
      entry: 'apps/gateway/dist/main.js',
      cwd: root,
      env: { ZONEMESH_ZONE: 'zone-a', ZONEMESH_PORT: String(await freePort()), ZONEMESH_CLUSTERS_FILE: bad },
    });
    expect(await child.exited).toBe(2);
    expect(child.stderr()).toContain(`${bad}: routes[1].match.headers[0].regex: invalid regular expression`);
  });
});
