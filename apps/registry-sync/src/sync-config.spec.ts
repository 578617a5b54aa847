import { describe, expect, it } from 'vitest';
import { parseSyncConfig } from './sync-config.js';

const base = {
  id: 'sync-1',
  zone: 'zone-a',
  eureka: { servers: [{ zone: 'zone-a', url: 'http://127.0.0.1:8761/eureka' }, { zone: 'zone-b', url: 'http://127.0.0.1:8762/eureka/' }] },
  source: { type: 'static', path: 'instances.yaml' },
};

function errorOf(document: unknown): string {
  try {
    parseSyncConfig(document, '/etc/zonemesh');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a configuration error');
}

describe('parseSyncConfig', () => {
  it("applies the seed's defaults: 20 min failed-instance TTL, 5 s connect/read, 30 s heartbeats, 90 s leases", () => {
    const config = parseSyncConfig(base, '/etc/zonemesh');
    expect(config.eureka.basePath).toBe('/eureka');
    expect(config.eureka.servers.map((s) => `${s.zone}@${s.host}:${s.port}`)).toEqual(['zone-a@127.0.0.1:8761', 'zone-b@127.0.0.1:8762']);
    expect(config.eureka.policy).toMatchObject({ connectTimeoutMs: 5000, readTimeoutMs: 5000, zoneFailover: { failedInstanceTtlMs: 1_200_000 } });
    expect(config.lease).toEqual({ renewalIntervalMs: 30_000, leaseDurationSecs: 90 });
    expect(config.source).toEqual({ type: 'static', path: '/etc/zonemesh/instances.yaml', debounceMs: 200 });
  });

  it('reads the kubernetes and dns sources', () => {
    expect(parseSyncConfig({ ...base, source: { type: 'kubernetes', api_server: 'http://127.0.0.1:8001', label_selector: 'app=reviews' } }, '/').source).toMatchObject({
      type: 'kubernetes',
      namespace: 'default',
      retryMs: 5000,
    });
    expect(parseSyncConfig({ ...base, source: { type: 'dns', name: 'reviews.svc', record: 'A', port: 9080, app: 'reviews', servers: ['127.0.0.1:5353'] } }, '/').source).toMatchObject({
      type: 'dns',
      intervalMs: 10_000,
    });
  });

  it('names the path of every error', () => {
    expect(errorOf({ ...base, eureka: { ...base.eureka, zone_failover: { failed_instance_ttl: '20' } } })).toBe(
      'eureka.zone_failover.failed_instance_ttl: expected a duration like "10s"',
    );
    expect(errorOf({ ...base, eureka: { servers: [{ zone: 'zone-a', url: '127.0.0.1:8761' }] } })).toBe(
      'eureka.servers[0].url: expected http://host:port/path, e.g. http://127.0.0.1:8761/eureka',
    );
    expect(errorOf({ ...base, eureka: { servers: [base.eureka.servers[0], { zone: 'zone-b', url: 'http://h:1/eureka/v2' }] } })).toBe(
      'eureka.servers[1].url: every server must serve the same path (/eureka)',
    );
    expect(errorOf({ ...base, lease: { renewal_interval: '30s', duration: '30s' } })).toMatch(/^lease\.duration: must be longer than lease\.renewal_interval/);
    expect(errorOf({ ...base, source: { type: 'dns', name: 'x', record: 'A', app: 'a' } })).toBe('source.port: required with record A (A records carry no port)');
    expect(errorOf({ ...base, source: { type: 'static', path: 'x', label_selector: 'a=b' } })).toMatch(/^source\.label_selector: unknown key/);
    expect(errorOf({ ...base, source: { type: 'consul' } })).toMatch(/^source\.type: expected one of static, kubernetes, dns/);
    expect(errorOf({ ...base, id: 'has space' })).toBe('id: expected letters, digits, ".", "_" or "-"');
  });

  it('takes user:pass@ server URLs as Spring writes them: one Basic credential, URLs without it', () => {
    const servers = [
      { zone: 'zone-a', url: 'http://sync:p%40ss@127.0.0.1:8761/eureka' },
      { zone: 'zone-b', url: 'http://sync:p%40ss@127.0.0.1:8762/eureka' },
    ];
    const config = parseSyncConfig({ ...base, eureka: { servers } }, '/');
    expect(config.eureka.authorization).toBe(`Basic ${Buffer.from('sync:p@ss').toString('base64')}`);
    expect(config.eureka.servers.map((s) => s.url)).toEqual(['http://127.0.0.1:8761/eureka', 'http://127.0.0.1:8762/eureka']);
    expect(JSON.stringify(config)).not.toContain('p%40ss');
    expect(parseSyncConfig(base, '/').eureka.authorization).toBeUndefined();
    const mixed = errorOf({ ...base, eureka: { servers: [servers[0], base.eureka.servers[1]] } });
    expect(mixed).toBe('eureka.servers[1].url: every server must use the same user:pass@ credentials (or none)');
  });
});
