import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningRegistry, startRegistryServer } from './registry-server.js';
import { freePort } from '@zonemesh/testing';
import { waitFor } from '@zonemesh/testing';

/** The subset of eureka-js-client we drive (it ships no types). */
interface EurekaJsClient {
  start(callback: (error?: Error | null) => void): void;
  stop(callback: (error?: Error | null) => void): void;
  renew(): void;
  on(event: string, listener: () => void): void;
  getInstancesByAppId(app: string): Array<{ instanceId: string; metadata?: Record<string, string> }>;
  fetchDelta(callback: (error?: Error | null) => void): void;
}
const require = createRequire(import.meta.url);
const { Eureka } = require('eureka-js-client') as { Eureka: new (config: unknown) => EurekaJsClient };

const ignore = (): void => undefined;
const silent = { debug: ignore, info: ignore, warn: ignore, error: ignore };
let registry: RunningRegistry | undefined;
let others: RunningRegistry[] = [];
afterEach(async () => {
  await registry?.close();
  await Promise.all(others.map((r) => r.close()));
  registry = undefined;
  others = [];
});

function call(fn: (cb: (error?: Error | null) => void) => void): Promise<void> {
  return new Promise((resolve, reject) => fn((error) => (error ? reject(error) : resolve())));
}

describe('eureka-js-client against our registry', () => {
  it('registers, heartbeats, fetches the registry and deregisters', async () => {
    registry = await startRegistryServer({ port: 0 });
    const base = registry.url;
    const client = new Eureka({
      logger: silent,
      instance: {
        app: 'jqservice',
        hostName: 'localhost',
        ipAddr: '127.0.0.1',
        port: { $: 8080, '@enabled': 'true' },
        vipAddress: 'jq.test.something.com',
        dataCenterInfo: { '@class': 'com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo', name: 'MyOwn' },
      },
      eureka: {
        host: '127.0.0.1',
        port: registry.port,
        servicePath: '/eureka/v2/apps/',
        heartbeatInterval: 60_000,
        registryFetchInterval: 60_000,
        maxRetries: 0,
      },
    });
    await call((cb) => client.start(cb));
    expect(registry.store.instance('JQSERVICE', 'localhost')?.status).toBe('UP');
    // The client's own full fetch parsed our JSON into its cache.
    expect(client.getInstancesByAppId('JQSERVICE').map((i) => i.instanceId)).toEqual(['localhost']);

    let heartbeats = 0;
    client.on('heartbeat', () => heartbeats++);
    client.renew();
    await waitFor(() => heartbeats === 1, { what: 'heartbeat' });

    // A lost lease makes the client's next heartbeat re-register (404 -> POST).
    registry.store.cancel('JQSERVICE', 'localhost');
    let reregistered = false;
    client.on('registered', () => (reregistered = true));
    client.renew();
    await waitFor(() => reregistered, { what: 're-registration' });
    expect(registry.store.instance('JQSERVICE', 'localhost')).toBeDefined();

    await call((cb) => client.stop(cb));
    expect(registry.store.instance('JQSERVICE', 'localhost')).toBeUndefined();
    expect((await fetch(`${base}/v2/apps/JQSERVICE`)).status).toBe(404);
  });
});

describe('eureka-js-client with two zones and two peered registries', () => {
  it('prefers its own zone, heartbeats, fetches full then delta, sees the other zone, and deregisters everywhere', async () => {
    const [portA, portB] = await Promise.all([freePort(), freePort()]);
    const logs: Record<string, string[]> = { a: [], b: [] };
    const timings = { replicationBatchDelayMs: 20 };
    const [a, b] = await Promise.all([
      startRegistryServer({ zone: 'zone-a', port: portA, peers: [`http://127.0.0.1:${portB}/eureka`], timings, log: (l) => logs.a.push(l) }),
      startRegistryServer({ zone: 'zone-b', port: portB, peers: [`http://127.0.0.1:${portA}/eureka`], timings, log: (l) => logs.b.push(l) }),
    ]);
    others = [a, b];
    await Promise.all([a.whenSynced(), b.whenSynced()]);

    const client = (app: string, zone: string) =>
      new Eureka({
        logger: silent,
        // A top-level option in eureka-js-client, not under `eureka`.
        shouldUseDelta: true,
        instance: {
          app,
          instanceId: `${app}-${zone}`,
          hostName: 'localhost',
          ipAddr: '127.0.0.1',
          port: { $: 8080, '@enabled': 'true' },
          vipAddress: app,
          metadata: { zone },
          dataCenterInfo: {
            '@class': 'com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo',
            name: 'MyOwn',
            metadata: { 'availability-zone': zone },
          },
        },
        eureka: {
          // Own zone listed last: only preferSameZone puts it first.
          ec2Region: 'test',
          availabilityZones: { test: ['zone-b', 'zone-a'] },
          serviceUrls: {
            'zone-a': [`http://127.0.0.1:${portA}/eureka/v2/apps/`],
            'zone-b': [`http://127.0.0.1:${portB}/eureka/apps/`],
          },
          preferSameZone: true,
          heartbeatInterval: 150,
          registryFetchInterval: 150,
          maxRetries: 1,
        },
      });
    const jqa = client('jqa', 'zone-a');
    const jqb = client('jqb', 'zone-b');
    let deltas = 0;
    const fetchDelta = jqa.fetchDelta.bind(jqa);
    jqa.fetchDelta = (callback) => {
      deltas++;
      fetchDelta(callback);
    };
    await Promise.all([call((cb) => jqa.start(cb)), call((cb) => jqb.start(cb))]);
    try {
      // Each registered with its own zone's registry directly; the other zone got it by replication.
      expect(logs.a.some((l) => l.includes('registered JQA/jqa-zone-a'))).toBe(true);
      expect(logs.b.some((l) => l.includes('registered JQB/jqb-zone-b'))).toBe(true);
      expect(logs.b.some((l) => l.includes('registered JQA/'))).toBe(false);
      await waitFor(() => a.store.instance('JQB', 'jqb-zone-b') !== undefined && b.store.instance('JQA', 'jqa-zone-a') !== undefined, {
        what: 'cross-zone replication',
      });

      // jqa's first fetch may predate jqb's registration: later deltas bring zone-b's instance.
      await waitFor(() => jqa.getInstancesByAppId('JQB').length === 1 && deltas >= 2, { what: 'zone-b instance through deltas' });
      expect(jqa.getInstancesByAppId('JQB')[0]).toMatchObject({ instanceId: 'jqb-zone-b', metadata: { zone: 'zone-b' } });

      const registered = a.store.instance('JQA', 'jqa-zone-a')!.leaseInfo.lastRenewalTimestamp;
      await waitFor(() => a.store.instance('JQA', 'jqa-zone-a')!.leaseInfo.lastRenewalTimestamp > registered, { what: 'heartbeats' });
      expect(a.store.instance('JQA', 'jqa-zone-a')?.dataCenterInfo.metadata).toEqual({ 'availability-zone': 'zone-a' });
    } finally {
      await Promise.all([call((cb) => jqa.stop(cb)), call((cb) => jqb.stop(cb))]);
    }
    await waitFor(() => [a, b].every((r) => r.store.size() === 0), { what: 'deregistration replicated to both zones' });
  });
});
