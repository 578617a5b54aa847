import type { EndpointUpdate } from '@zonemesh/lb';
import { afterEach, describe, expect, it } from 'vitest';
import { EurekaAppSource } from './eureka-app.source.js';
import { acquireRegistryFetcher } from './registry-fetcher.js';
import { type FakeAnswer, type FakeRegistry, appsBody, startFakeRegistry } from './testing/fake-registry.js';
import { waitFor } from '@zonemesh/testing';

let server: FakeRegistry | undefined;
const cleanups: Array<() => void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await server?.close();
  server = undefined;
});

type Script = { full: ReturnType<typeof appsBody>; delta: ReturnType<typeof appsBody> | { status: number } };

async function scripted(script: Script): Promise<FakeRegistry> {
  server = await startFakeRegistry((method, path): FakeAnswer => {
    if (path.startsWith('/apps/delta')) return 'status' in script.delta ? { status: script.delta.status } : { status: 200, body: script.delta };
    if (path.startsWith('/apps')) return { status: 200, body: script.full };
    return { status: 404 };
  });
  return server;
}

function watch(app: string, url: string, extra: Partial<ConstructorParameters<typeof EurekaAppSource>[1]> = {}) {
  const updates: EndpointUpdate[] = [];
  let polls = 0;
  const source = new EurekaAppSource(app, {
    registries: [{ zone: 'zone-a', url }],
    zone: 'zone-a',
    fetchIntervalMs: 30,
    onPoll: () => polls++,
    ...extra,
  });
  source.start((update) => updates.push(update));
  cleanups.push(() => source.stop());
  const ids = () => {
    const last = updates.at(-1);
    return last !== undefined && 'endpoints' in last ? last.endpoints.map((e) => e.id) : undefined;
  };
  return { source, updates, ids, polls: () => polls };
}

describe('RegistryFetcher: full fetch, then deltas, hash reconciliation', () => {
  it('fetches in full once, then merges ADDED, MODIFIED and DELETED deltas', async () => {
    const script: Script = {
      full: appsBody([{ app: 'SHOP', id: 's1', zone: 'zone-a' }, { app: 'SHOP', id: 's2', status: 'DOWN' }], 'DOWN_1_UP_1_'),
      delta: appsBody([], 'DOWN_1_UP_1_'),
    };
    const fake = await scripted(script);
    const { ids, updates, polls } = watch('SHOP', fake.url);
    await waitFor(() => ids()?.join() === 's1', { what: 'first list (UP only)' });
    expect(updates[0]).toEqual({
      endpoints: [{ id: 's1', host: '127.0.0.1', port: 7000, zone: 'zone-a', metadata: { zone: 'zone-a' } }],
    });
    await waitFor(() => polls() >= 3, { what: 'delta polls' });

    script.delta = appsBody([{ app: 'SHOP', id: 's2', status: 'UP', actionType: 'MODIFIED' }, { app: 'SHOP', id: 's3', actionType: 'ADDED' }], 'UP_3_');
    await waitFor(() => ids()?.join() === 's1,s2,s3', { what: 'delta merged' });
    script.delta = appsBody([{ app: 'SHOP', id: 's1', actionType: 'DELETED' }], 'UP_2_');
    await waitFor(() => ids()?.join() === 's2,s3', { what: 'deletion merged' });
    expect(fake.count('GET /apps/delta')).toBeGreaterThanOrEqual(3);
    expect(fake.count('GET /apps') - fake.count('GET /apps/delta')).toBe(1);
  });

  it('fetches in full again when the local hash differs from apps__hashcode after a delta', async () => {
    const script: Script = { full: appsBody([{ app: 'SHOP', id: 's1' }], 'UP_1_'), delta: appsBody([], 'UP_1_') };
    const fake = await scripted(script);
    const { ids } = watch('SHOP', fake.url);
    await waitFor(() => ids()?.join() === 's1', { what: 'first list' });
    // The server now holds two instances but the delta window missed the second one.
    script.full = appsBody([{ app: 'SHOP', id: 's1' }, { app: 'SHOP', id: 'missed' }], 'UP_2_');
    script.delta = appsBody([], 'UP_2_');
    await waitFor(() => ids()?.join() === 'missed,s1', { what: 'reconciled by a full fetch' });
    const fullFetches = fake.count('GET /apps') - fake.count('GET /apps/delta');
    expect(fullFetches).toBeGreaterThanOrEqual(2);
  });

  it('falls back to full fetches when the server serves no delta (403)', async () => {
    const fake = await scripted({ full: appsBody([{ app: 'SHOP', id: 's1' }], 'UP_1_'), delta: { status: 403 } });
    const { polls } = watch('SHOP', fake.url);
    await waitFor(() => polls() >= 3, { what: 'three polls' });
    expect(fake.count('GET /apps') - fake.count('GET /apps/delta')).toBeGreaterThanOrEqual(3);
  });

  it('shares one fetcher between the apps a process watches', async () => {
    const fake = await scripted({
      full: appsBody([{ app: 'SHOP', id: 's1' }, { app: 'STOCK', id: 'k1' }], 'UP_2_'),
      delta: appsBody([], 'UP_2_'),
    });
    const options = { registries: [{ zone: 'zone-a', url: fake.url }], zone: 'zone-a', fetchIntervalMs: 60_000 };
    const shop = watch('SHOP', fake.url, options);
    const stock = watch('STOCK', fake.url, options);
    await waitFor(() => shop.ids()?.join() === 's1' && stock.ids()?.join() === 'k1', { what: 'both apps listed' });
    expect(fake.count('GET /apps')).toBe(1);
    const a = acquireRegistryFetcher(options);
    const b = acquireRegistryFetcher({ ...options });
    expect(a.fetcher).toBe(b.fetcher);
    a.release();
    b.release();
  });
});
