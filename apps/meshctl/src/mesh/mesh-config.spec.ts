import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from '../workspace.js';
import { loadMeshConfig, parseMeshConfig, withFreePorts } from './mesh-config.js';

const minimal = () => ({
  zones: ['zone-a', 'zone-b'],
  registry: { ports: { 'zone-a': 8761, 'zone-b': 8762 } },
  gateway: { zone: 'zone-a', port: 8080 },
  services: { catalog: {}, inventory: {}, pricing: { versions: ['v1', 'v2'] } },
});

function errorOf(document: unknown): string {
  try {
    parseMeshConfig(document);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the document to be rejected');
}

describe('mesh.yaml', () => {
  it('the shipped mesh.yaml describes two zones, two instances per zone and pricing v1+v2', async () => {
    const config = await loadMeshConfig(join(WORKSPACE_ROOT, 'mesh.yaml'));
    expect(config.zones).toEqual(['zone-a', 'zone-b']);
    expect(config.registry.ports).toEqual({ 'zone-a': 8761, 'zone-b': 8762 });
    expect(config.gateway).toEqual({ zone: 'zone-a', port: 8080 });
    expect(config.services.list.map((s) => [s.name, s.versions, s.instancesPerZone])).toEqual([
      ['catalog', ['v1'], 2],
      ['pricing', ['v1', 'v2'], 2],
      ['inventory', ['v1'], 2],
    ]);
    expect(config.clusters.map((c) => [c.name, c.type, c.subset?.header])).toEqual([
      ['catalog', 'eureka', undefined],
      ['pricing', 'eureka', 'x-api-version'],
      ['inventory', 'eureka', undefined],
    ]);
    expect(config.clusters[0]!.zoneFailover.failedInstanceTtlMs).toBe(10_000);
    // The Envoy seed's separate health port: inventory only, checked over HTTP with thresholds 1/1 and an event log.
    expect(config.services.list.filter((s) => s.separateHealthPort).map((s) => s.name)).toEqual(['inventory']);
    const checks = Object.fromEntries(config.clusters.map((c) => [c.name, c.healthChecks[0]]));
    expect(checks.inventory).toMatchObject({
      unhealthyThreshold: 1,
      healthyThreshold: 1,
      eventLogPath: '.zonemesh/logs/inventory-health-events.log',
      checker: { kind: 'http', path: '/healthcheck' },
    });
    expect([checks.catalog!.checker.kind, checks.pricing!.checker.kind]).toEqual(['grpc', 'grpc']);
  });

  it('validates the clusters section with libs/lb\'s schema and names the path', () => {
    expect(errorOf({ ...minimal(), clusters: [{ name: 'catalog', type: 'eureka', app: 'CATALOG', outlier_detection: { interval: 'often' } }] })).toBe(
      'clusters[0].outlier_detection.interval: expected a duration like "10s"',
    );
  });

  it('applies defaults for what is left out', () => {
    const config = parseMeshConfig(minimal());
    expect(config.host).toBe('127.0.0.1');
    expect(config.registry.profile).toBe('fast');
    expect(config.discovery.fetchIntervalMs).toBe(1000);
    expect(config.faultProxy).toMatchObject({ maxConnections: 10_000, upstreamConnectTimeoutMs: 10_000 });
  });

  it('names the path of every mistake', () => {
    expect(errorOf({ ...minimal(), gateway: { zone: 'zone-c', port: 8080 } })).toBe(
      'gateway.zone: expected one of zone-a, zone-b, got "zone-c"',
    );
    expect(errorOf({ ...minimal(), registry: { ports: { 'zone-a': 8761 } } })).toBe(
      'registry.ports.zone-b: missing (every zone runs a registry)',
    );
    expect(errorOf({ ...minimal(), services: { ...minimal().services, pricing: { versions: ['2'] } } })).toBe(
      'services.pricing.versions[0]: expected a version like "v2"',
    );
    expect(errorOf({ ...minimal(), services: { ...minimal().services, inventory: { separate_health_port: 'yes' } } })).toMatch(
      /^services\.inventory\.separate_health_port: /,
    );
    expect(errorOf({ ...minimal(), discovery: { fetch_interval: 5 } })).toBe(
      'discovery.fetch_interval: expected a duration like "10s"',
    );
    expect(errorOf({ ...minimal(), fault_proxy: { max_connections: 0 } })).toMatch(/^fault_proxy\.max_connections: /);
    expect(errorOf({ ...minimal(), fault_proxy: { upstream_connect_timeout: 10 } })).toBe('fault_proxy.upstream_connect_timeout: expected a duration like "10s"');
    expect(errorOf({ ...minimal(), gatway: {} })).toMatch(/^gatway: unknown key/);
    expect(errorOf({ ...minimal(), gateway: { zone: 'zone-a', port: 70000 } })).toBe(
      'gateway.port: must be between 0 and 65535, got 70000',
    );
  });

  it('reports unreadable and malformed files in one line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zonemesh-config-'));
    const bad = join(dir, 'mesh.yaml');
    await writeFile(bad, 'zones: [zone-a\n');
    await expect(loadMeshConfig(bad)).rejects.toThrow(/is not valid YAML/);
    await expect(loadMeshConfig(join(dir, 'missing.yaml'))).rejects.toThrow(/cannot read .*missing\.yaml: ENOENT/);
  });

  it('withFreePorts zeroes every listening port', () => {
    const config = withFreePorts(parseMeshConfig(minimal()));
    expect(config.gateway.port).toBe(0);
    expect(Object.values(config.registry.ports)).toEqual([0, 0]);
    expect(config.services.basePort).toBe(0);
  });

  it('reads the legacy reviews service and the registry syncer, and frees their ports too', async () => {
    const shipped = await loadMeshConfig(join(WORKSPACE_ROOT, 'mesh.yaml'));
    expect(shipped.reviews).toEqual({ basePort: 7200, instancesPerZone: 2 });
    expect(shipped.registrySync).toEqual({
      enabled: true,
      zone: 'zone-a',
      adminPort: 8790,
      failedInstanceTtlMs: 10_000,
      connectTimeoutMs: 1000,
      readTimeoutMs: 2000,
      renewIntervalMs: 2000,
      leaseDurationMs: 6000,
    });
    const free = withFreePorts(shipped);
    expect([free.reviews!.basePort, free.registrySync!.adminPort]).toEqual([0, 0]);
    const absent = parseMeshConfig(minimal());
    expect([absent.reviews, absent.registrySync]).toEqual([undefined, undefined]);
    expect(errorOf({ ...minimal(), registry_sync: { zone: 'zone-c' } })).toBe('registry_sync.zone: expected one of zone-a, zone-b, got "zone-c"');
    expect(errorOf({ ...minimal(), registry_sync: { lease: { renewal_interval: '6s', duration: '6s' } } })).toBe(
      'registry_sync.lease.duration: expected whole seconds, longer than registry_sync.lease.renewal_interval',
    );
    expect(errorOf({ ...minimal(), reviews: { instances_per_zone: 0 } })).toMatch(/^reviews\.instances_per_zone: /);
  });
});
