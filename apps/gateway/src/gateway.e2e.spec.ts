import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProjects, freePort, spawnService, waitFor, type ServiceProcess, spawnMeshService, staticClustersEnv } from '@zonemesh/testing';

const root = fileURLToPath(new URL('../../../', import.meta.url));

const start = (service: string, instanceId: string, extra: Record<string, string> = {}): Promise<ServiceProcess> =>
  spawnMeshService(root, service, instanceId, extra);


interface ErrorAnswer {
  error: { code: string; message: string; requestId: string };
}

/**
 * The gateway as a real process in front of real catalog, pricing and
 * inventory processes (static targets: discovery is covered by the mesh e2e).
 */
describe('gateway process', () => {
  let services: ServiceProcess[] = [];
  let catalog: ServiceProcess;
  let gateway: ServiceProcess;
  let url: string;

  beforeAll(async () => {
    await buildProjects(['apps/gateway/tsconfig.lib.json', 'apps/catalog/tsconfig.lib.json', 'apps/pricing/tsconfig.lib.json', 'apps/inventory/tsconfig.lib.json'], root);
    const [pricing, inventory] = await Promise.all([start('pricing', 'pricing-v1-zone-a-1'), start('inventory', 'inventory-zone-a-1')]);
    catalog = await start('catalog', 'catalog-zone-a-1', staticClustersEnv({ pricing: [pricing!.ready.address], inventory: [inventory!.ready.address] }));
    services = [pricing!, inventory!, catalog];
    const port = await freePort();
    gateway = await spawnService({
      entry: 'apps/gateway/dist/main.js',
      cwd: root,
      env: {
        ZONEMESH_ZONE: 'zone-a',
        ZONEMESH_PORT: String(port),
        ZONEMESH_INSTANCE_ID: 'gateway-zone-a-1',
        ...staticClustersEnv({ catalog: [catalog.ready.address] }),
        // Short, so the idle-socket case sees the server close them.
        ZONEMESH_HTTP_IDLE_TIMEOUT: '3s',
      },
    });
    url = `http://127.0.0.1:${port}`;
  }, 120_000);

  afterAll(async () => {
    await Promise.all([gateway, ...services].map((p) => p?.stop('SIGKILL')));
  });

  it('keeps serving with 2,000 idle sockets open against it, and closes them after its idle timeout', async () => {
    const port = Number(new URL(url).port);
    const sockets: Socket[] = [];
    let closed = 0;
    try {
      for (let batch = 0; batch < 10; batch++) {
        await Promise.all(
          Array.from({ length: 200 }, () =>
            new Promise<void>((resolve, reject) => {
              const socket = connect(port, '127.0.0.1', () => resolve());
              socket.on('error', reject);
              socket.on('close', () => closed++);
              sockets.push(socket);
            }),
          ),
        );
      }
      expect(sockets).toHaveLength(2_000);
      for (let i = 1; i <= 20; i++) expect((await fetch(`${url}/api/products/${i}`)).status).toBe(200);
      // Nothing was sent on them: the server's idle timeout (3 s here, 30 s by default) closes every one.
      await waitFor(() => closed === 2_000, { timeoutMs: 20_000, what: `all 2,000 idle sockets closed by the gateway (${closed} so far)` });
      expect((await fetch(`${url}/api/products/1`)).status).toBe(200);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  }, 60_000);

  it('answers a product with servedBy naming every hop, and echoes the request id', async () => {
    const response = await fetch(`${url}/api/products/7`, { headers: { 'x-request-id': 'req-123' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('req-123');
    const body = (await response.json()) as { id: string; apiVersion: string; servedBy: Record<string, string> };
    expect(body).toMatchObject({
      id: '7',
      apiVersion: 'v1',
      servedBy: { catalog: 'catalog-zone-a-1', pricing: 'pricing-v1-zone-a-1', inventory: 'inventory-zone-a-1' },
    });
  });

  it('carries the requested API version to pricing from the header and from the path', async () => {
    const fromHeader = (await (await fetch(`${url}/api/products/7`, { headers: { 'x-api-version': 'v2' } })).json()) as {
      apiVersion: string;
      price: { requestedApiVersion: string };
    };
    expect(fromHeader.apiVersion).toBe('v2');
    expect(fromHeader.price.requestedApiVersion).toBe('v2');
    const fromPath = (await (await fetch(`${url}/api/v2/products/7`)).json()) as { price: { requestedApiVersion: string } };
    expect(fromPath.price.requestedApiVersion).toBe('v2');
  });

  it('answers bad input with a clear 4xx JSON error and never a stack trace', async () => {
    const cases: [string, RequestInit | undefined, number, string][] = [
      ['/api/products/abc', undefined, 400, 'INVALID_ARGUMENT'],
      [`/api/products/${'9'.repeat(19)}`, undefined, 400, 'INVALID_ARGUMENT'],
      ['/api/products/99999', undefined, 404, 'NOT_FOUND'],
      ['/api/v2x/products/1', undefined, 404, 'NOT_FOUND'],
      ['/no/such/route', undefined, 404, 'NOT_FOUND'],
      ['/api/products/1', { headers: { 'x-api-version': 'latest' } }, 400, 'INVALID_ARGUMENT'],
      [`/api/products/${'1'.repeat(300)}`, undefined, 414, 'INVALID_ARGUMENT'],
      ['/api/products/%E0%A4%A', undefined, 400, 'INVALID_ARGUMENT'],
    ];
    for (const [path, init, status, code] of cases) {
      const response = await fetch(`${url}${path}`, init);
      const text = await response.text();
      expect(response.status, `${path}: ${text}`).toBe(status);
      const body = JSON.parse(text) as ErrorAnswer;
      expect(body.error.code, path).toBe(code);
      expect(body.error.requestId).toBeTruthy();
      expect(text).not.toMatch(/at .+\.(js|ts):\d+/);
    }
  });

  it('counts requests by route pattern in /metrics and lists the catalog cluster in /admin/clusters', async () => {
    await fetch(`${url}/api/products/3`);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toMatch(/zonemesh_http_server_requests_total\{route="\/api\/products\/:id",method="GET",code="200"[^}]*\} \d+/);
    const clusters = (await (await fetch(`${url}/admin/clusters`)).json()) as { clusters: { endpoints: { id: string }[] }[] };
    expect(clusters.clusters.flatMap((c) => c.endpoints.map((e) => e.id)).length).toBeGreaterThan(0);
  });

  it('maps an unavailable upstream to 503 with the gRPC status name', async () => {
    await catalog.stop('SIGKILL');
    await waitFor(async () => (await fetch(`${url}/api/products/1`)).status === 503, { timeoutMs: 15_000 });
    const body = (await (await fetch(`${url}/api/products/1`)).json()) as ErrorAnswer;
    expect(body.error.code).toBe('UNAVAILABLE');
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });
});
