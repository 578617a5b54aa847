import { describe, expect, it } from 'vitest';
import { loadServiceEnv, ServiceEnvError } from './service-env.js';

const minimal = { ZONEMESH_SERVICE: 'catalog', ZONEMESH_ZONE: 'zone-a', ZONEMESH_PORT: '7101' };

describe('loadServiceEnv', () => {
  it('fills defaults from the minimal variables', () => {
    expect(loadServiceEnv(minimal)).toEqual({
      service: 'catalog',
      instanceId: 'catalog-zone-a-1',
      zone: 'zone-a',
      host: '127.0.0.1',
      port: 7101,
      advertiseHost: '127.0.0.1',
      advertisePort: 7101,
      version: 'v1',
      registries: [],
      registryUrls: '',
      renewIntervalMs: 30_000,
      leaseDurationMs: 90_000,
      fetchIntervalMs: 30_000,
      registrySessionMs: 1_200_000,
      lbMode: 'zonemesh',
    });
  });

  it('reads the LB mode, clusters file and registry session, and rejects an unknown mode', () => {
    const env = loadServiceEnv({ ...minimal, ZONEMESH_LB_MODE: 'grpc-rr', ZONEMESH_CLUSTERS_FILE: '/etc/zonemesh/mesh.yaml', ZONEMESH_REGISTRY_SESSION: '30s' });
    expect(env).toMatchObject({ lbMode: 'grpc-rr', clustersFile: '/etc/zonemesh/mesh.yaml', registrySessionMs: 30_000 });
    expect(() => loadServiceEnv({ ...minimal, ZONEMESH_LB_MODE: 'envoy' })).toThrow('ZONEMESH_LB_MODE: expected zonemesh or grpc-rr, got "envoy"');
  });

  it('reads the separate health port (0 = a free one) and the port it advertises', () => {
    expect(loadServiceEnv({ ...minimal, ZONEMESH_HEALTH_PORT: '0' })).toMatchObject({ healthPort: 0 });
    expect(loadServiceEnv({ ...minimal, ZONEMESH_HEALTH_PORT: '8282', ZONEMESH_HEALTH_ADVERTISE_PORT: '18282' })).toMatchObject({ healthPort: 8282, healthAdvertisePort: 18282 });
    expect(loadServiceEnv(minimal).healthPort).toBeUndefined();
    expect(() => loadServiceEnv({ ...minimal, ZONEMESH_HEALTH_PORT: 'x' })).toThrow('ZONEMESH_HEALTH_PORT: expected a port number 1-65535, got "x"');
    expect(() => loadServiceEnv({ ...minimal, ZONEMESH_HEALTH_PORT: minimal.ZONEMESH_PORT })).toThrow('ZONEMESH_HEALTH_PORT: must differ from ZONEMESH_PORT');
    expect(() => loadServiceEnv({ ...minimal, ZONEMESH_HEALTH_ADVERTISE_PORT: '18282' })).toThrow('ZONEMESH_HEALTH_ADVERTISE_PORT: set only with ZONEMESH_HEALTH_PORT');
  });

  it('reads the drain period, zero included, and names the variable when it is not a duration', () => {
    expect(loadServiceEnv({ ...minimal, ZONEMESH_DRAIN_PERIOD: '4s' }).drainPeriodMs).toBe(4_000);
    expect(loadServiceEnv({ ...minimal, ZONEMESH_DRAIN_PERIOD: '0s' }).drainPeriodMs).toBe(0);
    expect(() => loadServiceEnv({ ...minimal, ZONEMESH_DRAIN_PERIOD: 'soon' })).toThrow('ZONEMESH_DRAIN_PERIOD: expected a duration');
  });

  it('reads every variable', () => {
    const env = loadServiceEnv({
      ZONEMESH_SERVICE: 'pricing',
      ZONEMESH_INSTANCE_ID: 'pricing-v2-zone-b-2',
      ZONEMESH_ZONE: 'zone-b',
      ZONEMESH_HOST: '0.0.0.0',
      ZONEMESH_PORT: '7202',
      ZONEMESH_ADVERTISE_HOST: '127.0.0.2',
      ZONEMESH_ADVERTISE_PORT: '17202',
      ZONEMESH_VERSION: 'v2',
      ZONEMESH_REGISTRY_URLS: 'zone-a=http://127.0.0.1:8761/eureka, zone-b=http://127.0.0.1:8762/eureka/',
      ZONEMESH_RENEW_INTERVAL: '2s',
      ZONEMESH_LEASE_DURATION: '6s',
      ZONEMESH_FETCH_INTERVAL: '500ms',
      ZONEMESH_METRICS_PORT: '9464',
    });
    expect(env).toMatchObject({
      instanceId: 'pricing-v2-zone-b-2',
      host: '0.0.0.0',
      port: 7202,
      advertiseHost: '127.0.0.2',
      advertisePort: 17202,
      version: 'v2',
      registries: [
        { zone: 'zone-a', url: 'http://127.0.0.1:8761/eureka' },
        { zone: 'zone-b', url: 'http://127.0.0.1:8762/eureka' },
      ],
      renewIntervalMs: 2_000,
      leaseDurationMs: 6_000,
      fetchIntervalMs: 500,
      metricsPort: 9464,
    });
  });

  it('refuses a ZONEMESH_UPSTREAM_<SERVICE> target list: targets come from the clusters file only', () => {
    expect(() => loadServiceEnv({ ...minimal, ZONEMESH_UPSTREAM_INVENTORY: 'static:///127.0.0.1:7301' })).toThrow(
      'ZONEMESH_UPSTREAM_INVENTORY: no longer read; targets come from the clusters: of ZONEMESH_CLUSTERS_FILE',
    );
  });

  it('treats blank variables as unset', () => {
    expect(loadServiceEnv({ ...minimal, ZONEMESH_REGISTRY_URLS: '', ZONEMESH_VERSION: ' ' }).version).toBe('v1');
  });

  it.each([
    [{ ZONEMESH_ZONE: 'zone-a', ZONEMESH_PORT: '1' }, 'ZONEMESH_SERVICE: required'],
    [{ ...minimal, ZONEMESH_SERVICE: 'billing' }, 'ZONEMESH_SERVICE: expected one of catalog, pricing, inventory, gateway, got "billing"'],
    [{ ...minimal, ZONEMESH_ZONE: undefined }, 'ZONEMESH_ZONE: required'],
    [{ ...minimal, ZONEMESH_PORT: undefined }, 'ZONEMESH_PORT: required'],
    [{ ...minimal, ZONEMESH_PORT: '70000' }, 'ZONEMESH_PORT: expected a port number 1-65535, got "70000"'],
    [{ ...minimal, ZONEMESH_PORT: '0' }, 'ZONEMESH_PORT: expected a port number 1-65535, got "0"'],
    [{ ...minimal, ZONEMESH_ADVERTISE_PORT: 'x' }, 'ZONEMESH_ADVERTISE_PORT: expected a port number 1-65535, got "x"'],
    [{ ...minimal, ZONEMESH_METRICS_PORT: 'x' }, 'ZONEMESH_METRICS_PORT: expected a port number 1-65535, got "x"'],
    [{ ...minimal, ZONEMESH_METRICS_PORT: '7101' }, 'ZONEMESH_METRICS_PORT: must differ from ZONEMESH_PORT'],
    [{ ...minimal, ZONEMESH_VERSION: '2' }, 'ZONEMESH_VERSION: expected a version like "v1", got "2"'],
    [{ ...minimal, ZONEMESH_INSTANCE_ID: 'a b' }, 'ZONEMESH_INSTANCE_ID: expected an id like "catalog-zone-a-1", got "a b"'],
    [{ ...minimal, ZONEMESH_RENEW_INTERVAL: '30' }, 'ZONEMESH_RENEW_INTERVAL: expected a duration like "10s"'],
    [{ ...minimal, ZONEMESH_LEASE_DURATION: '10s' }, 'ZONEMESH_LEASE_DURATION: must be longer than ZONEMESH_RENEW_INTERVAL'],
    [{ ...minimal, ZONEMESH_REGISTRY_URLS: 'zone-a=http://x/eureka,zone-b' }, 'ZONEMESH_REGISTRY_URLS[1]: expected "zone=url"'],
    [{ ...minimal, ZONEMESH_REGISTRY_URLS: 'zone-a=ftp://x' }, 'ZONEMESH_REGISTRY_URLS[0]: expected an http(s) URL, got "ftp://x"'],
    [{ ...minimal, ZONEMESH_REGISTRY_URLS: 'zone-b=http://x/eureka' }, 'ZONEMESH_REGISTRY_URLS: no registry for ZONEMESH_ZONE "zone-a"'],
  ])('rejects %j with one line naming the variable', (env, message) => {
    let error: unknown;
    try {
      loadServiceEnv(env);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ServiceEnvError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('lets a program name its own service, and refuses another', () => {
    const { ZONEMESH_SERVICE: _unset, ...rest } = minimal;
    expect(loadServiceEnv(rest, 'pricing')).toMatchObject({ service: 'pricing', instanceId: 'pricing-zone-a-1' });
    expect(loadServiceEnv({ ...minimal, ZONEMESH_SERVICE: 'gateway' }, 'gateway').service).toBe('gateway');
    expect(() => loadServiceEnv(minimal, 'pricing')).toThrow('ZONEMESH_SERVICE: this program runs "pricing", got "catalog"');
  });

  it('reports every problem at once', () => {
    expect(() => loadServiceEnv({ ZONEMESH_SERVICE: 'catalog' })).toThrow('ZONEMESH_ZONE: required; ZONEMESH_PORT: required');
  });
});
