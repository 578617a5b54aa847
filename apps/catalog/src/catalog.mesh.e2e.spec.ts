import { CATALOG_CONTRACT, type CatalogServiceClient, type Product__Output } from '@zonemesh/contracts';
import { callUnary, contractClient } from '@zonemesh/runtime';
import { buildProjects, freePort, spawnService, waitFor, type ServiceProcess } from '@zonemesh/testing';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

interface EurekaInstance {
  instanceId: string;
  port: { $: number };
  metadata: Record<string, string>;
}

async function registeredInstances(registryUrl: string, app: string): Promise<EurekaInstance[]> {
  const response = await fetch(`${registryUrl}/apps/${app}`, { headers: { accept: 'application/json' } });
  if (response.status === 404) return [];
  const body = (await response.json()) as { application: { instance: EurekaInstance[] | EurekaInstance } };
  return ([] as EurekaInstance[]).concat(body.application.instance ?? []);
}

describe('catalog, pricing and inventory through a real registry', () => {
  let registry: ServiceProcess;
  let registryUrl: string;
  let pricing: ServiceProcess;
  let inventory: ServiceProcess;
  let catalog: ServiceProcess;
  let client: CatalogServiceClient;

  const start = async (service: string, extra: Record<string, string> = {}) =>
    spawnService({
      entry: `apps/${service}/dist/main.js`,
      cwd: root,
      env: {
        ZONEMESH_SERVICE: service,
        ZONEMESH_ZONE: 'zone-a',
        ZONEMESH_PORT: String(await freePort()),
        ZONEMESH_REGISTRY_URLS: `zone-a=${registryUrl}`,
        ZONEMESH_RENEW_INTERVAL: '1s',
        ZONEMESH_LEASE_DURATION: '5s',
        ZONEMESH_FETCH_INTERVAL: '300ms',
        ...extra,
      },
    });

  beforeAll(async () => {
    await buildProjects(
      ['apps/registry/tsconfig.lib.json', 'apps/catalog/tsconfig.lib.json', 'apps/pricing/tsconfig.lib.json', 'apps/inventory/tsconfig.lib.json'],
      root,
    );
    registry = await spawnService({
      entry: 'apps/registry/dist/main.js',
      args: ['--zone', 'zone-a', '--port', '0'],
      cwd: root,
      env: {},
      readyEvent: 'listening',
    });
    registryUrl = registry.ready.url as string;
    [pricing, inventory] = await Promise.all([start('pricing', { ZONEMESH_VERSION: 'v2' }), start('inventory')]);
    catalog = await start('catalog');
    client = contractClient(catalog.ready.address, CATALOG_CONTRACT);
  });

  afterAll(async () => {
    client?.close();
    await Promise.all([catalog, pricing, inventory, registry].map((p) => p?.stop('SIGKILL')));
  });

  it('registers each instance with zone, version and instanceId metadata at its advertised address', async () => {
    expect(pricing.ready.registered).toBe(true);
    const [instance] = await registeredInstances(registryUrl, 'PRICING');
    expect(instance).toMatchObject({
      instanceId: 'pricing-zone-a-1',
      port: { $: Number(pricing.ready.address.split(':')[1]) },
      metadata: { zone: 'zone-a', version: 'v2', instanceId: 'pricing-zone-a-1' },
    });
  });

  it('catalog finds pricing and inventory through eureka:/// targets', async () => {
    const product = await waitFor(() => callUnary<Product__Output>(client, 'GetProduct', { id: '5' }), {
      timeoutMs: 15_000,
      what: 'catalog to reach its downstreams through the registry',
    });
    expect(product.servedBy).toEqual({ catalog: 'catalog-zone-a-1', pricing: 'pricing-zone-a-1', inventory: 'inventory-zone-a-1' });
    expect(product.price!.version).toBe('v2');
  });

  it('deregisters on SIGTERM', async () => {
    expect((await registeredInstances(registryUrl, 'INVENTORY')).map((i) => i.instanceId)).toEqual(['inventory-zone-a-1']);
    expect(await inventory.stop('SIGTERM', 5_000)).toBe(0);
    expect(await registeredInstances(registryUrl, 'INVENTORY')).toEqual([]);
  });

  it('still exits 0 promptly on SIGTERM when the registry is gone', async () => {
    await registry.stop('SIGKILL');
    expect(await pricing.stop('SIGTERM', 6_000)).toBe(0);
  });
});
