import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { CATALOG_CONTRACT, type CatalogServiceClient, type Product__Output } from '@zonemesh/contracts';
import { callUnary, contractClient, healthCheck, reflectionListServices } from '@zonemesh/runtime';
import { buildProjects, freePort, spawnRaw, type ServiceProcess, spawnMeshService, staticClustersEnv } from '@zonemesh/testing';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productName } from './product-names.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

// Upstreams are static clusters in a clusters file: this spec is about
// catalog's hop, not about discovery (covered where the registry runs).
const start = (service: string, instanceId: string, extra: Record<string, string> = {}): Promise<ServiceProcess> =>
  spawnMeshService(root, service, instanceId, extra);

describe('catalog process with real pricing (v2) and inventory processes', () => {
  let pricing: ServiceProcess;
  let inventory: ServiceProcess;
  let catalog: ServiceProcess;
  let client: CatalogServiceClient;

  beforeAll(async () => {
    await buildProjects(['apps/catalog/tsconfig.lib.json', 'apps/pricing/tsconfig.lib.json', 'apps/inventory/tsconfig.lib.json'], root);
    [pricing, inventory] = await Promise.all([
      start('pricing', 'pricing-v2-zone-a-1', { ZONEMESH_VERSION: 'v2' }),
      start('inventory', 'inventory-zone-a-1'),
    ]);
    catalog = await start('catalog', 'catalog-zone-a-1', {
      // A short drain: the SIGTERM case below checks the graceful path, not how long a registry-less drain waits.
      ZONEMESH_DRAIN_PERIOD: '300ms',
      ...staticClustersEnv({ pricing: [pricing.ready.address], inventory: [inventory.ready.address] }),
    });
    client = contractClient(catalog.ready.address, CATALOG_CONTRACT);
  });

  afterAll(async () => {
    client?.close();
    await Promise.all([catalog, pricing, inventory].map((p) => p?.stop('SIGKILL')));
  });

  it('composes a product from pricing and inventory and names every hop', async () => {
    const product = await callUnary<Product__Output>(client, 'GetProduct', { id: '42' });
    expect(product).toMatchObject({
      id: '42',
      name: productName('42'),
      price: { currency: 'EUR', version: 'v2' },
      stock: { warehouse: 'berlin' },
      servedBy: { catalog: 'catalog-zone-a-1', pricing: 'pricing-v2-zone-a-1', inventory: 'inventory-zone-a-1' },
    });
    expect(product.price!.total).toBeGreaterThan(product.price!.tax);
  });

  it('forwards x-api-version to pricing', async () => {
    const metadata = new Metadata();
    metadata.set('x-api-version', 'v2');
    metadata.set('x-request-id', 'req-1');
    const product = await callUnary<Product__Output>(client, 'GetProduct', { id: '7' }, metadata);
    expect(product.price!.requestedApiVersion).toBe('v2');

    const plain = await callUnary<Product__Output>(client, 'GetProduct', { id: '7' });
    expect(plain.price!.requestedApiVersion).toBe('');
  });

  it.each([
    ['x1', status.INVALID_ARGUMENT],
    ['', status.INVALID_ARGUMENT],
    ['10001', status.NOT_FOUND],
  ])('rejects product id %j with status %d', async (id, code) => {
    const error = (await callUnary(client, 'GetProduct', { id }).catch((e: unknown) => e)) as ServiceError;
    expect(error.code).toBe(code);
  });

  it('answers grpc.health.v1 Check with SERVING and lists its service by reflection', async () => {
    expect(await healthCheck(catalog.ready.address, CATALOG_CONTRACT.fullName)).toBe('SERVING');
    expect(await reflectionListServices(catalog.ready.address)).toContain(CATALOG_CONTRACT.fullName);
  });

  it('answers UNAVAILABLE when a downstream is down', async () => {
    const deadPort = await freePort();
    const lonely = await start('catalog', 'catalog-zone-a-2', staticClustersEnv({ pricing: [`127.0.0.1:${deadPort}`], inventory: [inventory.ready.address] }));
    const lonelyClient = contractClient<CatalogServiceClient>(lonely.ready.address, CATALOG_CONTRACT);
    try {
      const error = (await callUnary(lonelyClient, 'GetProduct', { id: '42' }).catch((e: unknown) => e)) as ServiceError;
      expect(error.code).toBe(status.UNAVAILABLE);
      expect(error.details).toMatch(/^pricing: /);
    } finally {
      lonelyClient.close();
      await lonely.stop('SIGKILL');
    }
  });

  it('refuses to start without a target for a downstream, in one line', async () => {
    const clusters = staticClustersEnv({ inventory: [inventory.ready.address] });
    const orphan = spawnRaw({
      entry: 'apps/catalog/dist/main.js',
      cwd: root,
      env: { ZONEMESH_SERVICE: 'catalog', ZONEMESH_ZONE: 'zone-a', ZONEMESH_PORT: String(await freePort()), ...clusters },
    });
    expect(await orphan.exited).toBe(1);
    expect(orphan.stderr()).toBe(
      `catalog-zone-a-1: ZONEMESH_CLUSTERS_FILE: no cluster "pricing" in ${clusters.ZONEMESH_CLUSTERS_FILE} and no ZONEMESH_REGISTRY_URLS: nothing says where pricing runs\n`,
    );
  });

  it('exits 0 promptly on SIGTERM', async () => {
    expect(await catalog.stop('SIGTERM', 5_000)).toBe(0);
  });
});
