import { describe, expect, it } from 'vitest';
import { parseMeshConfig, withFreePorts } from './mesh-config.js';
import { planMesh } from './mesh-plan.js';

const config = parseMeshConfig({
  zones: ['zone-a', 'zone-b'],
  registry: { ports: { 'zone-a': 8761, 'zone-b': 8762 } },
  gateway: { zone: 'zone-a', port: 8080 },
  services: { base_port: 7100, catalog: {}, inventory: {}, pricing: { versions: ['v1', 'v2'] } },
});

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
    expect(plan.proxies.map((p) => p.name)).toEqual([...plan.registries, ...plan.services].map((p) => p.name));
    const catalog = plan.services.find((s) => s.name === 'catalog-zone-b-2')!;
    expect(catalog.proxy!.upstream).toBe(`127.0.0.1:${catalog.port}`);
    expect(catalog.env.ZONEMESH_ADVERTISE_PORT).toBe(String(catalog.proxy!.port));
    const registryProxy = (zone: string) => plan.registries.find((r) => r.zone === zone)!.proxy!.listen;
    expect(catalog.env.ZONEMESH_REGISTRY_URLS).toBe(`zone-a=http://${registryProxy('zone-a')}/eureka,zone-b=http://${registryProxy('zone-b')}/eureka`);
    expect(plan.registries[0]!.env.ZONEMESH_REGISTRY_PEERS).toBe(`http://${registryProxy('zone-b')}/eureka`);
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

  it('hands out distinct free ports when asked for port 0', async () => {
    const plan = await planMesh(withFreePorts(config));
    const ports = plan.all.map((p) => p.port);
    expect(ports.every((p) => p > 0)).toBe(true);
    expect(new Set(ports).size).toBe(ports.length);
  });
});
