import { afterEach, describe, expect, it } from 'vitest';
import type { RenderedEntity } from './content-negotiation.js';
import { type RunningRegistry, startRegistryServer } from './registry-server.js';
import { ResponseCache } from './response-cache.js';
import { springRegisterBody } from './testing/instance-bodies.js';
import { waitFor } from '@zonemesh/testing';

const entity = (text: string): RenderedEntity => ({ body: Buffer.from(text), contentType: 'text/plain', gzip: false });

let caches: ResponseCache[] = [];
let registry: RunningRegistry | undefined;
afterEach(async () => {
  for (const cache of caches) cache.close();
  caches = [];
  await registry?.close();
  registry = undefined;
});

describe('ResponseCache', () => {
  it('read-write layer: rebuilds only after a change of generation', () => {
    const changes = { generation: 0 };
    const cache = new ResponseCache(changes, { readOnlyRefreshMs: 0, autoExpirationMs: 60_000 });
    caches.push(cache);
    let builds = 0;
    const build = () => entity(`v${++builds}`);
    expect(cache.get('apps', build)?.body.toString()).toBe('v1');
    expect(cache.get('apps', build)?.body.toString()).toBe('v1');
    changes.generation++;
    expect(cache.get('apps', build)?.body.toString()).toBe('v2');
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 2 });
  });

  it('read-only layer: serves the copy until its refresh, like Eureka\'s 30 s staleness', async () => {
    const changes = { generation: 0 };
    const cache = new ResponseCache(changes, { readOnlyRefreshMs: 40, autoExpirationMs: 60_000 });
    caches.push(cache);
    let version = 1;
    const build = () => entity(`v${version}`);
    expect(cache.get('apps', build)?.body.toString()).toBe('v1');
    version = 2;
    changes.generation++;
    expect(cache.get('apps', build)?.body.toString()).toBe('v1');
    await waitFor(() => cache.get('apps', build)?.body.toString() === 'v2', { what: 'read-only refresh' });
  });

  it('never keeps 404s (undefined) in the read-only layer', () => {
    const changes = { generation: 0 };
    const cache = new ResponseCache(changes, { readOnlyRefreshMs: 60_000, autoExpirationMs: 60_000 });
    caches.push(cache);
    expect(cache.get('app:X', () => undefined)).toBeUndefined();
    changes.generation++;
    expect(cache.get('app:X', () => entity('now'))?.body.toString()).toBe('now');
  });
});

describe('registry response cache per profile', () => {
  it('eureka profile: GET /apps may be stale until the read-only cache refreshes; fast profile: never', async () => {
    registry = await startRegistryServer({ port: 0, profile: 'eureka', timings: { responseCacheUpdateIntervalMs: 300 } });
    const count = async () => {
      const body = (await (await fetch(`${registry!.url}/apps`, { headers: { accept: 'application/json' } })).json()) as {
        applications: { application: unknown[] };
      };
      return body.applications.application.length;
    };
    expect(await count()).toBe(0);
    await fetch(`${registry.url}/apps/MYAPP`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(springRegisterBody()) });
    expect(await count()).toBe(0);
    await waitFor(async () => (await count()) === 1, { what: 'read-only cache refresh' });
    await registry.close();

    registry = await startRegistryServer({ port: 0, profile: 'fast' });
    expect(await count()).toBe(0);
    await fetch(`${registry.url}/apps/MYAPP`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(springRegisterBody()) });
    expect(await count()).toBe(1);
  });
});
