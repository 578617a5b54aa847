import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRegistryServer, type RunningRegistry } from './registry-server.js';
import { METRIC_LABEL_BOUNDS } from './registry.metrics.js';

const body = (app: string, id: string, zone: string) =>
  JSON.stringify({
    instance: {
      instanceId: id,
      hostName: '127.0.0.1',
      app,
      ipAddr: '127.0.0.1',
      status: 'UP',
      port: { $: 7000, '@enabled': 'true' },
      dataCenterInfo: { '@class': 'com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo', name: 'MyOwn' },
      metadata: { zone },
    },
  });

describe('registry metrics', () => {
  let registry: RunningRegistry;

  beforeAll(async () => {
    registry = await startRegistryServer({ zone: 'zone-b', port: 0 });
    for (const [id, zone] of [['c1', 'zone-a'], ['c2', 'zone-b'], ['c3', 'zone-b']] as const) {
      const response = await fetch(`${registry.url}/apps/CATALOG`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body('CATALOG', id, zone) });
      expect(response.status).toBe(204);
    }
    for (let i = 0; i < 3; i++) expect((await fetch(`${registry.url}/apps/CATALOG/c2`, { method: 'PUT' })).status).toBe(200);
  });

  afterAll(() => registry?.close());

  it('exposes instances by app, instance zone and status, and renewals, on /metrics', async () => {
    const text = await (await fetch(registry.url.replace(/\/eureka$/, '/metrics'))).text();
    expect(text).toMatch(/zonemesh_registry_instances\{app="CATALOG",instance_zone="zone-b",status="UP",service="registry",zone="zone-b",instance="registry-zone-b"\} 2/);
    expect(text).toMatch(/zonemesh_registry_instances\{app="CATALOG",instance_zone="zone-a",status="UP"[^}]*\} 1/);
    expect(text).toMatch(/zonemesh_registry_renewals_total\{[^}]*\} 3/);
    expect(text).toMatch(/zonemesh_registry_evictions_total\{[^}]*\} 0/);
    expect(text).toMatch(/zonemesh_registry_self_preservation\{[^}]*\} 0/);
  });

  it('bounds the app and zone label values of made-up registrations: the rest sum under "other"', async () => {
    const bounded = await startRegistryServer({ port: 0 });
    try {
      const registrations = METRIC_LABEL_BOUNDS.apps + 100;
      for (let i = 0; i < registrations; i++) {
        const response = await fetch(`${bounded.url}/apps/APP-${i}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(`APP-${i}`, `i-${i}`, `made-up-${i}`) });
        expect(response.status).toBe(204);
      }
      const text = await (await fetch(bounded.url.replace(/\/eureka$/, '/metrics'))).text();
      const series = [...text.matchAll(/^zonemesh_registry_instances\{app="([^"]+)",instance_zone="([^"]+)"[^}]*\} (\d+)/gm)];
      expect(new Set(series.map((m) => m[1])).size).toBeLessThanOrEqual(METRIC_LABEL_BOUNDS.apps + 1);
      expect(new Set(series.map((m) => m[2])).size).toBeLessThanOrEqual(METRIC_LABEL_BOUNDS.zones + 1);
      // Nothing is lost: the series still add up to every instance.
      expect(series.reduce((sum, m) => sum + Number(m[3]), 0)).toBe(registrations);
      expect(series.some((m) => m[1] === 'other' && m[2] === 'other')).toBe(true);
    } finally {
      await bounded.close();
    }
  });
});
