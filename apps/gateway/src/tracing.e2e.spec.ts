import { fileURLToPath } from 'node:url';
import { buildProjects, freePort, spawnService, waitFor, type ServiceProcess, spawnMeshService, staticClustersEnv } from '@zonemesh/testing';
import type { SpanLine } from '@zonemesh/telemetry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
// Every process prints its spans as JSON lines on stdout.
const TRACED = { OTEL_TRACES_EXPORTER: 'console' };

const start = (service: string, instanceId: string, extra: Record<string, string> = {}): Promise<ServiceProcess> =>
  spawnMeshService(root, service, instanceId, { ...TRACED, ...extra });


function spansOf(process: ServiceProcess, traceId: string): SpanLine[] {
  return process
    .stdout()
    .split('\n')
    .filter((line) => line.startsWith('{"event":"span"'))
    .map((line) => JSON.parse(line) as SpanLine)
    .filter((span) => span.traceId === traceId);
}

/**
 * One request through real gateway, catalog, pricing and inventory
 * processes, read back from the spans each process printed: one trace,
 * and a parent chain gateway -> catalog -> pricing/inventory.
 */
describe('tracing across the mesh', () => {
  let pricing: ServiceProcess;
  let inventory: ServiceProcess;
  let catalog: ServiceProcess;
  let gateway: ServiceProcess;
  let url: string;

  beforeAll(async () => {
    await buildProjects(['apps/gateway/tsconfig.lib.json', 'apps/catalog/tsconfig.lib.json', 'apps/pricing/tsconfig.lib.json', 'apps/inventory/tsconfig.lib.json'], root);
    [pricing, inventory] = await Promise.all([start('pricing', 'pricing-v1-zone-a-1'), start('inventory', 'inventory-zone-a-1')]);
    catalog = await start('catalog', 'catalog-zone-a-1', staticClustersEnv({ pricing: [pricing.ready.address], inventory: [inventory.ready.address] }));
    const port = await freePort();
    gateway = await spawnService({
      entry: 'apps/gateway/dist/main.js',
      cwd: root,
      env: { ZONEMESH_ZONE: 'zone-a', ZONEMESH_PORT: String(port), ZONEMESH_INSTANCE_ID: 'gateway-zone-a-1', ...staticClustersEnv({ catalog: [catalog.ready.address] }), ...TRACED },
    });
    url = `http://127.0.0.1:${port}`;
  }, 120_000);

  afterAll(async () => {
    await Promise.all([gateway, catalog, pricing, inventory].map((p) => p?.stop('SIGKILL')));
  });

  it('announces the exporter in every ready line', () => {
    for (const p of [gateway, catalog, pricing, inventory]) expect(p.ready.tracing, p.ready.instanceId).toEqual(['console']);
  });

  it('continues the caller traceparent through gateway, catalog, pricing and inventory', async () => {
    const traceId = '5b8efff798038103d269b633813fc60c';
    const callerSpanId = 'eee19b7ec3c1b174';
    const response = await fetch(`${url}/api/products/7`, { headers: { traceparent: `00-${traceId}-${callerSpanId}-01`, 'x-api-version': 'v2' } });
    expect(response.status).toBe(200);
    await response.body?.cancel();

    const spans = await waitFor(
      () => {
        const found = { gateway: spansOf(gateway, traceId), catalog: spansOf(catalog, traceId), pricing: spansOf(pricing, traceId), inventory: spansOf(inventory, traceId) };
        const complete = found.gateway.length === 2 && found.catalog.length === 3 && found.pricing.length === 1 && found.inventory.length === 1;
        return complete ? found : undefined;
      },
      { timeoutMs: 15_000, what: 'spans of the trace from all four processes' },
    );

    const one = (list: SpanLine[], kind: SpanLine['kind'], name: string): SpanLine => {
      const matching = list.filter((span) => span.kind === kind && span.name === name);
      expect(matching, `${kind} ${name} in ${JSON.stringify(list.map((s) => [s.kind, s.name]))}`).toHaveLength(1);
      return matching[0];
    };
    const gatewayServer = one(spans.gateway, 'SERVER', 'GET /api/products/:id');
    const gatewayClient = one(spans.gateway, 'CLIENT', 'zonemesh.catalog.v1.CatalogService/GetProduct');
    const catalogServer = one(spans.catalog, 'SERVER', 'zonemesh.catalog.v1.CatalogService/GetProduct');
    const catalogToPricing = one(spans.catalog, 'CLIENT', 'zonemesh.pricing.v1.PricingService/GetPrice');
    const catalogToInventory = one(spans.catalog, 'CLIENT', 'zonemesh.inventory.v1.InventoryService/GetStock');
    const pricingServer = one(spans.pricing, 'SERVER', 'zonemesh.pricing.v1.PricingService/GetPrice');
    const inventoryServer = one(spans.inventory, 'SERVER', 'zonemesh.inventory.v1.InventoryService/GetStock');

    // The parent chain, hop by hop.
    expect(gatewayServer.parentSpanId).toBe(callerSpanId);
    expect(gatewayClient.parentSpanId).toBe(gatewayServer.spanId);
    expect(catalogServer.parentSpanId).toBe(gatewayClient.spanId);
    expect(catalogToPricing.parentSpanId).toBe(catalogServer.spanId);
    expect(catalogToInventory.parentSpanId).toBe(catalogServer.spanId);
    expect(pricingServer.parentSpanId).toBe(catalogToPricing.spanId);
    expect(inventoryServer.parentSpanId).toBe(catalogToInventory.spanId);

    // Who printed what, and the attributes dashboards and Jaeger searches use.
    expect(gatewayServer).toMatchObject({ service: 'gateway', instance: 'gateway-zone-a-1', zone: 'zone-a', status: 'UNSET' });
    expect(gatewayServer.attributes).toMatchObject({
      'http.method': 'GET',
      'http.route': '/api/products/:id',
      'http.status_code': 200,
      'zonemesh.api_version': 'v2',
    });
    expect(catalogServer).toMatchObject({ service: 'catalog', instance: 'catalog-zone-a-1' });
    expect(pricingServer).toMatchObject({ service: 'pricing', instance: 'pricing-v1-zone-a-1' });
    expect(inventoryServer).toMatchObject({ service: 'inventory', instance: 'inventory-zone-a-1' });
    for (const server of [catalogServer, pricingServer, inventoryServer]) {
      expect(server.attributes).toMatchObject({ 'rpc.system': 'grpc', 'rpc.grpc.status_code': 0, 'zonemesh.zone': 'zone-a', 'zonemesh.instance': server.instance });
    }
    expect(pricingServer.attributes).toMatchObject({ 'rpc.service': 'zonemesh.pricing.v1.PricingService', 'rpc.method': 'GetPrice' });
  });

  it('starts a trace at the gateway when the caller sends none, and records the failure of an unknown product', async () => {
    const before = new Set(gateway.stdout().split('\n'));
    const response = await fetch(`${url}/api/products/99999`);
    expect(response.status).toBe(404);
    await response.body?.cancel();

    const server = await waitFor(
      () =>
        gateway
          .stdout()
          .split('\n')
          .filter((line) => line.startsWith('{"event":"span"') && !before.has(line))
          .map((line) => JSON.parse(line) as SpanLine)
          .find((span) => span.kind === 'SERVER' && span.attributes['http.status_code'] === 404),
      { timeoutMs: 15_000, what: 'the gateway span of the 404' },
    );
    expect(server.parentSpanId).toBeUndefined();
    // The same new trace reached catalog, which answered NOT_FOUND.
    const catalogServer = await waitFor(() => spansOf(catalog, server.traceId).find((span) => span.kind === 'SERVER'), {
      timeoutMs: 15_000,
      what: 'the catalog span of the 404',
    });
    expect(catalogServer.attributes['rpc.grpc.status_code']).toBe(5);
  });
});
