import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseMeshConfig, withFreePorts } from './mesh-config.js';
import { planMesh } from './mesh-plan.js';

const document = {
  zones: ['zone-a', 'zone-b'],
  registry: { ports: { 'zone-a': 8761, 'zone-b': 8762 } },
  gateway: { zone: 'zone-a', port: 8080 },
  services: { base_port: 7100, catalog: {}, inventory: {}, pricing: { versions: ['v1', 'v2'] } },
};
const config = parseMeshConfig(document);

describe('mesh plan', () => {
  it('names instances after service, version and zone, as the proxies and servedBy do', async () => {
    const plan = await planMesh(config);
    expect(plan.registries.map((r) => r.name)).toEqual(['registry-zone-a', 'registry-zone-b']);
    expect(plan.services.map((s) => s.name)).toEqual([
      'catalog-zone-a-1', 'catalog-zone-a-2', 'catalog-zone-b-1', 'catalog-zone-b-2',
      'pricing-v1-zone-a-1', 'pricing-v1-zone-a-2', 'pricing-v1-zone-b-1', 'pricing-v1-zone-b-2',
      'pricing-v2-zone-a-1', 'pricing-v2-zone-a-2', 'pricing-v2-zone-b-1', 'pricing-v2-zone-b-2',
      'inventory-zone-a-1', 'inventory-zone-a-2', 'inventory-zone-b-1', 'inventory-zone-b-2',
    ]);
    expect(plan.services.map((s) => s.port)).toEqual(Array.from({ length: 16 }, (_, i) => 7100 + i));
    expect(plan.gateway).toMatchObject({ name: 'gateway', zone: 'zone-a', port: 8080, url: 'http://127.0.0.1:8080' });
  });

  it('puts a proxy named like its process in front of every instance and registry, and advertises it', async () => {
    const plan = await planMesh(config);
    expect(plan.toxiproxy).toMatchObject({ name: 'toxiproxy', port: 8474, probe: { kind: 'http', url: 'http://127.0.0.1:8474/version' } });
    // mesh.yaml's fault_proxy bounds reach the server as its flags.
    expect(plan.toxiproxy!.args.join(' ')).toContain('--max-connections 10000 --upstream-connect-timeout 10000ms');
    expect(plan.proxies.map((p) => p.name)).toEqual([...plan.registries, ...plan.services].map((p) => p.name));
    const catalog = plan.services.find((s) => s.name === 'catalog-zone-b-2')!;
    expect(catalog.proxy!.upstream).toBe(`127.0.0.1:${catalog.port}`);
    expect(catalog.env.ZONEMESH_ADVERTISE_PORT).toBe(String(catalog.proxy!.port));
    const registryProxy = (zone: string) => plan.registries.find((r) => r.zone === zone)!.proxy!.listen;
    expect(catalog.env.ZONEMESH_REGISTRY_URLS).toBe(`zone-a=http://${registryProxy('zone-a')}/eureka,zone-b=http://${registryProxy('zone-b')}/eureka`);
    expect(plan.registries[0]!.env.ZONEMESH_REGISTRY_PEERS).toBe(`http://${registryProxy('zone-b')}/eureka`);
  });

  it('gives a service with separate_health_port a health listener and its own proxy <name>-health, advertised as the health port', async () => {
    const plan = await planMesh(parseMeshConfig({ ...document, services: { ...document.services, inventory: { separate_health_port: true } } }));
    const names = plan.proxies.map((p) => p.name);
    expect(names.filter((n) => n.endsWith('-health'))).toEqual(['inventory-zone-a-1-health', 'inventory-zone-a-2-health', 'inventory-zone-b-1-health', 'inventory-zone-b-2-health']);
    // Right after the instance's own proxy.
    expect(names.indexOf('inventory-zone-b-1-health')).toBe(names.indexOf('inventory-zone-b-1') + 1);
    const inventory = plan.services.find((s) => s.name === 'inventory-zone-b-1')!;
    const healthPort = Number(inventory.env.ZONEMESH_HEALTH_PORT);
    expect(inventory.healthProxy).toMatchObject({ name: 'inventory-zone-b-1-health', upstream: `127.0.0.1:${healthPort}` });
    expect(inventory.env.ZONEMESH_HEALTH_ADVERTISE_PORT).toBe(String(inventory.healthProxy!.port));
    expect(inventory.healthUrl).toBe(`http://127.0.0.1:${healthPort}/healthcheck`);
    expect(new Set([healthPort, inventory.port, inventory.proxy!.port, inventory.healthProxy!.port]).size).toBe(4);
    // Only the service that asks for it.
    const catalog = plan.services.find((s) => s.name === 'catalog-zone-a-1')!;
    expect(catalog.healthProxy).toBeUndefined();
    expect(catalog.env.ZONEMESH_HEALTH_PORT).toBeUndefined();
  });

  it('without the fault proxy, processes advertise their own ports', async () => {
    const plan = await planMesh({ ...config, faultProxy: { enabled: false, port: 8474 } });
    expect(plan.toxiproxy).toBeUndefined();
    expect(plan.proxies).toEqual([]);
    expect(plan.services[0]!.env.ZONEMESH_ADVERTISE_PORT).toBeUndefined();
    expect(plan.gateway.env.ZONEMESH_REGISTRY_URLS).toBe('zone-a=http://127.0.0.1:8761/eureka,zone-b=http://127.0.0.1:8762/eureka');
  });

  it('wires every process to the registries of all zones and each registry to its peers', async () => {
    const plan = await planMesh({ ...config, faultProxy: { enabled: false, port: 8474 } });
    const urls = 'zone-a=http://127.0.0.1:8761/eureka,zone-b=http://127.0.0.1:8762/eureka';
    for (const spec of [...plan.services, plan.gateway]) expect(spec.env.ZONEMESH_REGISTRY_URLS).toBe(urls);
    expect(plan.registries[0]!.env.ZONEMESH_REGISTRY_PEERS).toBe('http://127.0.0.1:8762/eureka');
    const pricing = plan.services.find((s) => s.name === 'pricing-v2-zone-b-1')!;
    expect(pricing.env).toMatchObject({ ZONEMESH_SERVICE: 'pricing', ZONEMESH_VERSION: 'v2', ZONEMESH_ZONE: 'zone-b', ZONEMESH_INSTANCE_ID: 'pricing-v2-zone-b-1' });
  });

  it('runs the legacy reviews instances behind proxies, unregistered, and a syncer that registers their proxy addresses', async () => {
    const plan = await planMesh(parseMeshConfig({ ...document, reviews: { base_port: 7200 }, registry_sync: { admin_port: 8790, failed_instance_ttl: '10s' } }));
    expect(plan.legacy.map((s) => [s.name, s.port])).toEqual([
      ['reviews-zone-a-1', 7200], ['reviews-zone-a-2', 7201], ['reviews-zone-b-1', 7202], ['reviews-zone-b-2', 7203],
    ]);
    expect(plan.proxies.map((p) => p.name).slice(-4)).toEqual(plan.legacy.map((s) => s.name));
    const reviews = plan.legacy[2]!;
    expect(reviews.env).toEqual({ ZONEMESH_INSTANCE_ID: 'reviews-zone-b-1', ZONEMESH_ZONE: 'zone-b', ZONEMESH_HOST: '127.0.0.1', ZONEMESH_PORT: '7202' });
    expect(reviews.probe).toEqual({ kind: 'http', url: 'http://127.0.0.1:7202/healthz' });

    const syncer = plan.syncer!;
    expect(syncer).toMatchObject({ name: 'registry-sync', app: 'registry-sync', zone: 'zone-a', port: 8790, args: ['--config', 'sync.yaml'] });
    expect(syncer.probe).toEqual({ kind: 'http', url: 'http://127.0.0.1:8790/healthz' });
    const sync = parse(syncer.files!['sync.yaml']!) as { id: string; eureka: { servers: { zone: string; url: string }[]; zone_failover: unknown }; source: unknown; admin: unknown };
    const registryProxy = (zone: string) => `http://${plan.registries.find((r) => r.zone === zone)!.proxy!.listen}/eureka`;
    expect(sync.eureka.servers).toEqual([{ zone: 'zone-a', url: registryProxy('zone-a') }, { zone: 'zone-b', url: registryProxy('zone-b') }]);
    expect(sync.eureka.zone_failover).toEqual({ failed_instance_ttl: '10s' });
    expect(sync.source).toEqual({ type: 'static', path: 'instances.yaml' });
    expect(sync.admin).toEqual({ host: '127.0.0.1', port: 8790 });
    const { instances } = parse(syncer.files!['instances.yaml']!) as { instances: { app: string; id: string; host: string; port: number; zone: string }[] };
    expect(instances).toHaveLength(4);
    expect(instances[2]).toMatchObject({ app: 'REVIEWS', id: 'reviews-zone-b-1', host: '127.0.0.1', port: reviews.proxy!.port, zone: 'zone-b' });
    // Start order: the syncer after the reviews instances, before the gateway.
    expect(plan.all.map((p) => p.name).slice(-6)).toEqual([...plan.legacy.map((s) => s.name), 'registry-sync', 'gateway']);
  });

  it('hands out distinct free ports when asked for port 0', async () => {
    const plan = await planMesh(withFreePorts(config));
    const ports = plan.all.map((p) => p.port);
    expect(ports.every((p) => p > 0)).toBe(true);
    expect(new Set(ports).size).toBe(ports.length);
  });

  it('with registry credentials, registries get users and the peer credential and every caller URL carries the user', async () => {
    const registryCredentials = { user: 'zonemesh:u-secret', peer: 'zonemesh-peer:p-secret' };
    const plan = await planMesh(
      parseMeshConfig({ ...document, fault_proxy: { enabled: false }, reviews: { base_port: 7200 }, registry_sync: { admin_port: 8790 } }),
      { registryCredentials },
    );
    expect(plan.registries[0]!.env).toMatchObject({
      ZONEMESH_REGISTRY_USERS: 'zonemesh:u-secret',
      ZONEMESH_REGISTRY_PEER_CREDENTIALS: 'zonemesh-peer:p-secret',
      ZONEMESH_REGISTRY_PEERS: 'http://127.0.0.1:8762/eureka',
    });
    const urls = 'zone-a=http://zonemesh:u-secret@127.0.0.1:8761/eureka,zone-b=http://zonemesh:u-secret@127.0.0.1:8762/eureka';
    for (const spec of [...plan.services, plan.gateway]) {
      expect(spec.env.ZONEMESH_REGISTRY_URLS).toBe(urls);
      expect(JSON.stringify(spec.env)).not.toContain('p-secret');
    }
    const sync = parse(plan.syncer!.files!['sync.yaml']!) as { eureka: { servers: { url: string }[] } };
    expect(sync.eureka.servers.map((s) => s.url)).toEqual(['http://zonemesh:u-secret@127.0.0.1:8761/eureka', 'http://zonemesh:u-secret@127.0.0.1:8762/eureka']);
  });
});
