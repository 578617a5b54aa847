import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOG_CONTRACT, INVENTORY_CONTRACT, type CatalogServiceClient, type Product__Output, type Stock__Output } from '@zonemesh/contracts';
import { callUnary, contractClient } from '@zonemesh/runtime';
import { buildProjects, freePort, spawnService, waitFor, type ServiceProcess } from '@zonemesh/testing';
import { startToxiproxyServer, type ToxiproxyServer } from '@zonemesh/toxiproxy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { WORKSPACE_ROOT } from '../workspace.js';

interface HealthEvent {
  readonly health_checker_type: string;
  readonly endpoint_id: string;
  readonly host: { readonly socket_address: { readonly port_value: number } };
  readonly add_healthy_event?: { readonly first_check: boolean };
  readonly eject_unhealthy_event?: { readonly failure_type: string; readonly reason: string };
  readonly health_check_failure_event?: { readonly failure_type: string; readonly first_check: boolean };
}

/**
 * The Envoy seed's separate health port with real processes: two inventory
 * instances serve GET /healthcheck on a port of their own, each behind its
 * own fault proxy (`inventory-zone-a-<n>-health`) whose address they register
 * as metadata `health_check_port`; catalog's inventory cluster checks that
 * port over HTTP with thresholds 1/1 and an event log, as the seed does
 * (`health_check_config.port_value: 8282`). Disabling only the health proxy
 * takes the instance out although its traffic port keeps answering.
 */
describe('separate health port (registry, inventory x2, pricing, catalog, fault proxy)', () => {
  let dir: string;
  let eventLog: string;
  let toxiproxy: ToxiproxyServer;
  let registry: ServiceProcess;
  let registryUrl: string;
  const inventories: ServiceProcess[] = [];
  const healthProxyPorts: number[] = [];
  let pricing: ServiceProcess;
  let catalog: ServiceProcess;
  let client: CatalogServiceClient;

  const discovery = () => ({
    ZONEMESH_ZONE: 'zone-a',
    ZONEMESH_REGISTRY_URLS: `zone-a=${registryUrl}`,
    ZONEMESH_RENEW_INTERVAL: '1s',
    ZONEMESH_LEASE_DURATION: '5s',
    ZONEMESH_FETCH_INTERVAL: '300ms',
    ZONEMESH_DRAIN_PERIOD: '0s',
  });
  const start = async (service: string, extra: Record<string, string> = {}) =>
    spawnService({
      entry: `apps/${service}/dist/main.js`,
      cwd: WORKSPACE_ROOT,
      env: { ZONEMESH_SERVICE: service, ZONEMESH_PORT: String(await freePort()), ...discovery(), ...extra },
    });
  const setProxy = async (name: string, enabled: boolean) => {
    const response = await fetch(`${toxiproxy.url}/proxies/${name}`, { method: 'POST', body: JSON.stringify({ enabled }) });
    expect(response.status, await response.text()).toBe(200);
  };
  const events = async (): Promise<HealthEvent[]> => {
    const text = await readFile(eventLog, 'utf8').catch(() => '');
    return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as HealthEvent);
  };
  const servedBy = async (): Promise<string> => (await callUnary<Product__Output>(client, 'GetProduct', { id: '5' })).servedBy!.inventory!;

  beforeAll(async () => {
    await buildProjects(
      ['apps/registry/tsconfig.lib.json', 'apps/catalog/tsconfig.lib.json', 'apps/pricing/tsconfig.lib.json', 'apps/inventory/tsconfig.lib.json'],
      WORKSPACE_ROOT,
    );
    dir = await mkdtemp(join(tmpdir(), 'zonemesh-health-port-'));
    // A directory that does not exist yet: the checker creates it (`.zonemesh/logs/` on a fresh clone).
    eventLog = join(dir, 'logs', 'inventory-health-events.log');
    const clustersFile = join(dir, 'clusters.yaml');
    await writeFile(
      clustersFile,
      stringify({
        clusters: [
          {
            name: 'inventory',
            type: 'eureka',
            app: 'INVENTORY',
            lb_policy: 'round_robin',
            // An endpoint that failed stays out for failed_instance_ttl (library default: the seed's 20m).
            zone_failover: { failed_instance_ttl: '1s' },
            // The seed's check; a shorter interval only so the spec runs fast.
            health_checks: [
              {
                http_health_check: { path: '/healthcheck' },
                interval: '300ms',
                timeout: '1s',
                unhealthy_threshold: 1,
                healthy_threshold: 1,
                always_log_health_check_failures: true,
                event_log_path: eventLog,
              },
            ],
          },
        ],
      }),
    );
    toxiproxy = await startToxiproxyServer({ port: 0 });
    registry = await spawnService({ entry: 'apps/registry/dist/main.js', args: ['--zone', 'zone-a', '--port', '0'], cwd: WORKSPACE_ROOT, env: {}, readyEvent: 'listening' });
    registryUrl = registry.ready.url as string;
    for (const n of [1, 2]) {
      const healthPort = await freePort();
      const proxyPort = await freePort();
      const response = await fetch(`${toxiproxy.url}/proxies`, {
        method: 'POST',
        body: JSON.stringify({ name: `inventory-zone-a-${n}-health`, listen: `127.0.0.1:${proxyPort}`, upstream: `127.0.0.1:${healthPort}`, enabled: true }),
      });
      expect(response.status, await response.text()).toBe(201);
      healthProxyPorts.push(proxyPort);
      inventories.push(
        await start('inventory', {
          ZONEMESH_INSTANCE_ID: `inventory-zone-a-${n}`,
          ZONEMESH_HEALTH_PORT: String(healthPort),
          ZONEMESH_HEALTH_ADVERTISE_PORT: String(proxyPort),
        }),
      );
    }
    pricing = await start('pricing');
    catalog = await start('catalog', { ZONEMESH_CLUSTERS_FILE: clustersFile });
    client = contractClient(catalog.ready.address, CATALOG_CONTRACT);
  }, 120_000);

  afterAll(async () => {
    client?.close();
    await Promise.all([catalog, pricing, ...inventories, registry].map((p) => p?.stop('SIGKILL')));
    await toxiproxy?.close();
  });

  it('registers the health proxy as metadata health_check_port and Eureka healthCheckUrl; the port answers 200 SERVING', async () => {
    const response = await fetch(`${registryUrl}/apps/INVENTORY/inventory-zone-a-1`, { headers: { accept: 'application/json' } });
    const { instance } = (await response.json()) as { instance: { metadata: Record<string, string>; healthCheckUrl: string } };
    expect(instance.metadata.health_check_port).toBe(String(healthProxyPorts[0]));
    expect(instance.healthCheckUrl).toBe(`http://127.0.0.1:${healthProxyPorts[0]}/healthcheck`);
    expect(inventories[0]!.ready.health).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/healthcheck$/);

    const through = await fetch(`http://127.0.0.1:${healthProxyPorts[0]}/healthcheck`);
    expect([through.status, await through.text()]).toEqual([200, 'SERVING\n']);
    const wrongPath = await fetch(`http://127.0.0.1:${healthProxyPorts[0]}/healthz`);
    expect(wrongPath.status).toBe(404);
    expect(await wrongPath.text()).toContain('GET /healthcheck');
  });

  it('catalog ejects an instance whose health port fails (1 failure), keeps its traffic port out, and adds it back at the first success', async () => {
    // Both instances take traffic and were added healthy by their first check.
    const seen = new Set<string>();
    await waitFor(async () => seen.add(await servedBy()).size === 2, { timeoutMs: 20_000, what: 'catalog to reach both inventory instances' });
    await waitFor(async () => (await events()).filter((e) => e.add_healthy_event?.first_check).length >= 2, { timeoutMs: 10_000, what: 'both added healthy at the first check' });
    const before = (await events()).length;
    for (const e of await events()) {
      expect(e.health_checker_type).toBe('HTTP');
      // Envoy logs the traffic address, not the health port.
      const traffic = inventories[Number(e.endpoint_id.slice(-1)) - 1]!.ready.address;
      expect(e.host.socket_address.port_value).toBe(Number(traffic.split(':')[1]));
    }

    await setProxy('inventory-zone-a-1-health', false);
    const eject = await waitFor(
      async () => (await events()).slice(before).find((e) => e.endpoint_id === 'inventory-zone-a-1' && e.eject_unhealthy_event),
      { timeoutMs: 15_000, what: 'eject_unhealthy_event for inventory-zone-a-1' },
    );
    expect(eject.eject_unhealthy_event!.failure_type).toBe('NETWORK');
    // unhealthy_threshold 1: the very first failure ejects; no failure was logged on its own before it.
    const down = (await events()).slice(before).filter((e) => e.endpoint_id === 'inventory-zone-a-1');
    expect(down[0]!.eject_unhealthy_event).toBeDefined();
    expect((await events()).slice(before).filter((e) => e.endpoint_id === 'inventory-zone-a-2')).toEqual([]);

    // Its traffic port still answers; only the health port is gone, and catalog no longer sends there.
    const direct = contractClient(inventories[0]!.ready.address, INVENTORY_CONTRACT);
    try {
      expect(await callUnary<Stock__Output>(direct, 'GetStock', { productId: '5' })).toMatchObject({ servedBy: 'inventory-zone-a-1' });
    } finally {
      direct.close();
    }
    for (let i = 0; i < 10; i += 1) expect(await servedBy()).toBe('inventory-zone-a-2');

    const ejectedAt = (await events()).length;
    await setProxy('inventory-zone-a-1-health', true);
    const added = await waitFor(
      async () => (await events()).slice(ejectedAt).find((e) => e.endpoint_id === 'inventory-zone-a-1' && e.add_healthy_event),
      { timeoutMs: 15_000, what: 'add_healthy_event for inventory-zone-a-1' },
    );
    expect(added.add_healthy_event).toEqual({ first_check: false });
    const back = new Set<string>();
    await waitFor(async () => back.add(await servedBy()).has('inventory-zone-a-1'), { timeoutMs: 15_000, what: 'catalog to send to inventory-zone-a-1 again' });
  }, 90_000);
});
