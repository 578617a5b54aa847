import { type EndpointUpdate, endpointSourceFactory } from '@zonemesh/lb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EurekaAppSource } from './eureka-app.source.js';
import { EurekaRegistration, type EurekaRegistrationOptions } from './eureka-registration.js';
import { registerEurekaScheme } from './eureka-scheme.js';
import type { RegistryEndpoint } from './registry-urls.js';
import { type RegistryProcess, ensureRegistryBuilt, startRegistryProcess } from '@zonemesh/testing';
import { waitFor } from '@zonemesh/testing';

// Real registry processes (apps/registry/dist/main.js), real HTTP on loopback.
let zoneA: RegistryProcess;
let zoneB: RegistryProcess;
let registries: RegistryEndpoint[];
const cleanups: Array<() => unknown> = [];

beforeAll(async () => {
  await ensureRegistryBuilt();
  [zoneA, zoneB] = await Promise.all([startRegistryProcess('zone-a'), startRegistryProcess('zone-b')]);
  registries = [
    { zone: 'zone-a', url: zoneA.url },
    { zone: 'zone-b', url: zoneB.url },
  ];
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  await Promise.all([zoneA?.kill(), zoneB?.kill()]);
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire payloads, asserted field by field
async function getApp(registryUrl: string, app: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${registryUrl}/apps/${app}`, { headers: { accept: 'application/json' } });
  return { status: response.status, body: response.status === 200 ? await response.json() : undefined };
}

async function instanceIds(registryUrl: string, app: string): Promise<string[]> {
  const { body } = await getApp(registryUrl, app);
  return body === undefined ? [] : body.application.instance.map((i: { instanceId: string }) => i.instanceId);
}

function registration(options: Partial<EurekaRegistrationOptions> & { app: string; instanceId: string }): EurekaRegistration {
  const reg = new EurekaRegistration({
    host: '127.0.0.1',
    port: 50_051,
    zone: 'zone-a',
    metadata: { version: 'v1' },
    leaseDurationSecs: 1,
    renewalIntervalMs: 200,
    requestTimeoutMs: 1_000,
    registries,
    ...options,
  });
  cleanups.push(() => reg.stop());
  return reg;
}

describe('EurekaRegistration', () => {
  it('registers in its own zone with zone metadata and a proper Eureka instance', async () => {
    const reg = registration({ app: 'catalog', instanceId: 'catalog-zone-a-1', zone: 'zone-a' });
    expect(await reg.start()).toBe(true);
    expect(reg.registry?.zone).toBe('zone-a');
    const { status, body } = await getApp(zoneA.url, 'CATALOG');
    expect(status).toBe(200);
    expect(body.application.instance[0]).toMatchObject({
      instanceId: 'catalog-zone-a-1',
      app: 'CATALOG',
      ipAddr: '127.0.0.1',
      status: 'UP',
      port: { $: 50_051, '@enabled': 'true' },
      vipAddress: 'catalog',
      dataCenterInfo: { name: 'MyOwn' },
      leaseInfo: { durationInSecs: 1 },
      metadata: { zone: 'zone-a', version: 'v1' },
    });
    expect((await getApp(zoneB.url, 'CATALOG')).status).toBe(404);
  });

  it('heartbeats keep a short lease alive past eviction, while an unrenewed one is evicted', async () => {
    const reg = registration({ app: 'inventory', instanceId: 'inventory-zone-a-1' });
    await reg.start();
    // A control instance with the same 1 s lease and no heartbeats.
    const control = {
      instance: {
        instanceId: 'silent', hostName: 'h', app: 'INVENTORY', ipAddr: '127.0.0.9', port: { $: 1 },
        dataCenterInfo: { name: 'MyOwn' }, leaseInfo: { durationInSecs: 1 },
      },
    };
    const posted = await fetch(`${zoneA.url}/apps/INVENTORY`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(control),
    });
    expect(posted.status).toBe(204);
    await waitFor(async () => !(await instanceIds(zoneA.url, 'INVENTORY')).includes('silent'), {
      timeoutMs: 15_000, what: 'eviction of the silent instance',
    });
    // The same lease (registrationTimestamp unchanged) renewed for 3 s: longer than lease + eviction interval.
    await waitFor(
      async () => {
        const { body } = await getApp(zoneA.url, 'INVENTORY');
        const lease = body?.application.instance[0].leaseInfo;
        return lease !== undefined && lease.lastRenewalTimestamp - lease.registrationTimestamp >= 3_000;
      },
      { timeoutMs: 20_000, what: '3 s of renewals on one lease' },
    );
    expect(await instanceIds(zoneA.url, 'INVENTORY')).toEqual(['inventory-zone-a-1']);
  });

  it('deregisters on stop()', async () => {
    const reg = registration({ app: 'pricing', instanceId: 'pricing-zone-a-1' });
    await reg.start();
    expect(await instanceIds(zoneA.url, 'PRICING')).toEqual(['pricing-zone-a-1']);
    await reg.stop();
    expect((await getApp(zoneA.url, 'PRICING')).status).toBe(404);
    expect(reg.registry).toBeUndefined();
  });

  it('re-registers when a heartbeat answers 404 (lease lost)', async () => {
    const reg = registration({ app: 'lost', instanceId: 'lost-1' });
    await reg.start();
    expect((await fetch(`${zoneA.url}/apps/LOST/lost-1`, { method: 'DELETE' })).status).toBe(200);
    await waitFor(async () => (await instanceIds(zoneA.url, 'LOST')).includes('lost-1'), { what: 're-registration' });
  });

  it('registers in another zone\'s registry when its own is down', async () => {
    const dead = await startRegistryProcess('zone-c');
    await dead.kill();
    const reg = registration({
      app: 'fallback',
      instanceId: 'fallback-zone-c-1',
      zone: 'zone-c',
      registries: [...registries, { zone: 'zone-c', url: dead.url }],
    });
    expect(await reg.start()).toBe(true);
    expect(reg.registry?.zone).toBe('zone-a');
    expect(await instanceIds(zoneA.url, 'FALLBACK')).toEqual(['fallback-zone-c-1']);
  });

  it('moves its lease to another zone when its registry dies after registration', async () => {
    const own = await startRegistryProcess('zone-c');
    cleanups.push(() => own.kill());
    const reg = registration({
      app: 'mover',
      instanceId: 'mover-zone-c-1',
      zone: 'zone-c',
      registries: [{ zone: 'zone-c', url: own.url }, { zone: 'zone-b', url: zoneB.url }],
    });
    await reg.start();
    expect(reg.registry?.zone).toBe('zone-c');
    await own.kill();
    await waitFor(async () => (await instanceIds(zoneB.url, 'MOVER')).includes('mover-zone-c-1'), { what: 'failover' });
    expect(reg.registry?.zone).toBe('zone-b');
  });

  it('keeps trying when no registry is reachable at start and registers once one is', async () => {
    const dead = await startRegistryProcess('zone-d');
    await dead.kill();
    const reg = registration({ app: 'late', instanceId: 'late-1', zone: 'zone-d', registries: [{ zone: 'zone-d', url: dead.url }] });
    expect(await reg.start()).toBe(false);
    const revived = await startRegistryProcess('zone-d', dead.port);
    cleanups.push(() => revived.kill());
    await waitFor(async () => (await instanceIds(revived.url, 'LATE')).includes('late-1'), { what: 'late registration' });
  });
});

describe('EurekaAppSource', () => {
  function collect(source: EurekaAppSource): EndpointUpdate[] {
    const updates: EndpointUpdate[] = [];
    source.start((update) => updates.push(update));
    cleanups.push(() => source.stop());
    return updates;
  }
  const lastIds = (updates: EndpointUpdate[]): string[] | undefined => {
    const last = updates.at(-1);
    return last !== undefined && 'endpoints' in last ? last.endpoints.map((e) => e.id) : undefined;
  };

  it('pushes the UP instances with zones, then an update when one leaves, never the same list twice', async () => {
    const one = registration({ app: 'shop', instanceId: 'shop-zone-a-1', port: 7001 });
    const two = registration({ app: 'shop', instanceId: 'shop-zone-a-2', port: 7002, metadata: { version: 'v2' } });
    await Promise.all([one.start(), two.start()]);
    let polls = 0;
    const source = new EurekaAppSource('SHOP', { registries, zone: 'zone-a', fetchIntervalMs: 50, onPoll: () => polls++ });
    const updates = collect(source);
    await waitFor(() => lastIds(updates)?.length === 2, { what: 'two endpoints' });
    expect(updates.at(-1)).toEqual({
      endpoints: [
        { id: 'shop-zone-a-1', host: '127.0.0.1', port: 7001, zone: 'zone-a', metadata: { version: 'v1', zone: 'zone-a' } },
        { id: 'shop-zone-a-2', host: '127.0.0.1', port: 7002, zone: 'zone-a', metadata: { version: 'v2', zone: 'zone-a' } },
      ],
    });
    await two.stop();
    await waitFor(() => lastIds(updates)?.join() === 'shop-zone-a-1', { what: 'update after leave' });
    const pushed = updates.length;
    const pollsNow = polls;
    await waitFor(() => polls >= pollsNow + 5, { what: 'more polls' });
    expect(updates.length).toBe(pushed);
    for (let i = 1; i < updates.length; i++) expect(updates[i]).not.toEqual(updates[i - 1]);
  });

  it('pushes an empty list for an unknown app (404)', async () => {
    const updates = collect(new EurekaAppSource('NOBODY', { registries, zone: 'zone-a', fetchIntervalMs: 50 }));
    await waitFor(() => updates.length > 0, { what: 'first update' });
    expect(updates[0]).toEqual({ endpoints: [] });
  });

  it('reads from another zone\'s registry when its own is down, and keeps the last list when all fail', async () => {
    const own = await startRegistryProcess('zone-c');
    cleanups.push(() => own.kill());
    const reg = registration({ app: 'stock', instanceId: 'stock-zone-b-1', zone: 'zone-b' });
    await reg.start();
    let failedPolls = 0;
    const source = new EurekaAppSource('STOCK', {
      registries: [{ zone: 'zone-c', url: own.url }, { zone: 'zone-b', url: zoneB.url }],
      zone: 'zone-c',
      fetchIntervalMs: 50,
      requestTimeoutMs: 500,
      onPoll: ({ registry }) => (failedPolls += registry === undefined ? 1 : 0),
    });
    const updates = collect(source);
    // Own zone's registry answers 404 (the instance lives in zone-b's): empty list first.
    await waitFor(() => updates.length > 0, { what: 'first update' });
    expect(updates[0]).toEqual({ endpoints: [] });
    await own.kill();
    await waitFor(() => lastIds(updates)?.join() === 'stock-zone-b-1', { what: 'failover read' });
    await zoneB.kill();
    await waitFor(() => failedPolls >= 3, { what: 'failed polls' });
    expect(lastIds(updates)).toEqual(['stock-zone-b-1']);
    expect(updates.every((u) => 'endpoints' in u)).toBe(true);
    zoneB = await startRegistryProcess('zone-b', zoneB.port);
  });

  it('reports an error when no registry ever answered', async () => {
    const dead = await startRegistryProcess('zone-x');
    await dead.kill();
    const updates = collect(
      new EurekaAppSource('ANY', { registries: [{ zone: 'zone-x', url: dead.url }], zone: 'zone-x', fetchIntervalMs: 50 }),
    );
    await waitFor(() => updates.length > 0, { what: 'error update' });
    expect('error' in updates[0] && updates[0].error.message).toContain('no registry answered for ANY');
  });

  it('registerEurekaScheme makes eureka:///app resolve to an EurekaAppSource for the upper-cased app', () => {
    registerEurekaScheme({ registries, zone: 'zone-a', fetchIntervalMs: 50 });
    const source = endpointSourceFactory('eureka')?.({ path: 'catalog', query: new URLSearchParams() });
    expect(source).toBeInstanceOf(EurekaAppSource);
    expect((source as EurekaAppSource).app).toBe('CATALOG');
  });
});
