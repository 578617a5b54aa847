import { status, type ServiceError } from '@grpc/grpc-js';
import { INVENTORY_CONTRACT, type InventoryServiceClient, type Stock__Output } from '@zonemesh/contracts';
import { callUnary, contractClient, healthCheck, reflectionListServices } from '@zonemesh/runtime';
import { buildProjects, freePort, spawnRaw, spawnService, type ServiceProcess } from '@zonemesh/testing';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stockFor } from './stock-book.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const entry = 'apps/inventory/dist/main.js';

describe('inventory process', () => {
  let inventory: ServiceProcess;
  let client: InventoryServiceClient;

  beforeAll(async () => {
    await buildProjects(['apps/inventory/tsconfig.lib.json'], root);
    const port = await freePort();
    inventory = await spawnService({
      entry,
      cwd: root,
      // A short drain: the SIGTERM case checks the graceful path, not how long a registry-less drain waits.
      env: { ZONEMESH_SERVICE: 'inventory', ZONEMESH_ZONE: 'zone-b', ZONEMESH_PORT: String(port), ZONEMESH_DRAIN_PERIOD: '300ms' },
    });
    client = contractClient(inventory.ready.address, INVENTORY_CONTRACT);
  });

  afterAll(async () => {
    client?.close();
    await inventory?.stop('SIGKILL');
  });

  it('answers the stock of a product and names the instance (default id <service>-<zone>-1)', async () => {
    const stock = await callUnary<Stock__Output>(client, 'GetStock', { productId: '77' });
    expect(stock).toEqual({ ...stockFor('77'), servedBy: 'inventory-zone-b-1' });
  });

  it.each([
    ['7a', status.INVALID_ARGUMENT],
    ['', status.INVALID_ARGUMENT],
    ['0', status.NOT_FOUND],
    ['123456', status.NOT_FOUND],
  ])('rejects product id %j with status %d', async (productId, code) => {
    const error = (await callUnary(client, 'GetStock', { productId }).catch((e: unknown) => e)) as ServiceError;
    expect(error.code).toBe(code);
  });

  it('answers grpc.health.v1 Check with SERVING', async () => {
    expect(await healthCheck(inventory.ready.address, INVENTORY_CONTRACT.fullName)).toBe('SERVING');
  });

  it('lists its service through server reflection', async () => {
    const services = await reflectionListServices(inventory.ready.address);
    expect(services).toContain(INVENTORY_CONTRACT.fullName);
  });

  it('refuses a port already in use with one line and exit 1', async () => {
    const port = inventory.ready.address.split(':')[1];
    const clash = spawnRaw({ entry, cwd: root, env: { ZONEMESH_SERVICE: 'inventory', ZONEMESH_ZONE: 'zone-b', ZONEMESH_PORT: port } });
    expect(await clash.exited).toBe(1);
    expect(clash.stderr()).toBe(`inventory-zone-b-1: port ${port} is already in use\n`);
  });

  it('exits 0 promptly on SIGTERM', async () => {
    expect(await inventory.stop('SIGTERM', 5_000)).toBe(0);
  });
});
