import { afterEach, describe, expect, it } from 'vitest';
import { CachedPayload } from './cached-payload.js';
import { PayloadWriter } from './payload-writer.js';
import { type RunningRegistry, startRegistryServer } from './registry-server.js';
import { type PayloadSource, ResponseCache } from './response-cache.js';
import { springRegisterBody } from './spring-register-body.js';
import { waitFor } from '@zonemesh/testing';

const entity = (text: string): CachedPayload => new CachedPayload(() => new PayloadWriter().text(text), 'text/plain', `W/"${text}"`);
/** A source whose version is the counter's generation, like the store's. */
const sourceOf = (changes: { generation: number }, build: () => CachedPayload | undefined): PayloadSource => ({
  version: () => String(changes.generation),
  build,
});

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
    const cache = new ResponseCache({ readOnlyRefreshMs: 0, autoExpirationMs: 60_000 });
    caches.push(cache);
    let builds = 0;
    const build = sourceOf(changes, () => entity(`v${++builds}`));
    expect(cache.get('apps', build)?.body()?.toString()).toBe('v1');
    expect(cache.get('apps', build)?.body()?.toString()).toBe('v1');
    changes.generation++;
    expect(cache.get('apps', build)?.body()?.toString()).toBe('v2');
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 2 });
  });

  it('read-only layer: serves the copy until its refresh, like Eureka\'s 30 s staleness', async () => {
    const changes = { generation: 0 };
    const cache = new ResponseCache({ readOnlyRefreshMs: 40, autoExpirationMs: 60_000 });
    caches.push(cache);
    let version = 1;
    const build = sourceOf(changes, () => entity(`v${version}`));
    expect(cache.get('apps', build)?.body()?.toString()).toBe('v1');
    version = 2;
    changes.generation++;
    expect(cache.get('apps', build)?.body()?.toString()).toBe('v1');
    await waitFor(() => cache.get('apps', build)?.body()?.toString() === 'v2', { what: 'read-only refresh' });
  });

  it('never keeps 404s (undefined) in the read-only layer', () => {
    const changes = { generation: 0 };
    const cache = new ResponseCache({ readOnlyRefreshMs: 60_000, autoExpirationMs: 60_000 });
    caches.push(cache);
    expect(cache.get('app:X', sourceOf(changes, () => undefined))).toBeUndefined();
    changes.generation++;
    expect(cache.get('app:X', sourceOf(changes, () => entity('now')))?.body()?.toString()).toBe('now');
  });
});

describe('registry response cache per profile', () => {
  // A refresh of 1.5 s: short enough to wait for, long enough that a loaded machine does not refresh between two requests.
  it('eureka profile: GET /apps may be stale until the read-only cache refreshes; fast profile: never', async () => {
    registry = await startRegistryServer({ port: 0, profile: 'eureka', timings: { responseCacheUpdateIntervalMs: 1_500 } });
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

  it('answers 304 to If-None-Match while nothing changed, per representation, and a new ETag after a change', async () => {
    registry = await startRegistryServer({ port: 0, profile: 'fast' });
    const register = (id: string) =>
      fetch(`${registry!.url}/apps/MYAPP`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(springRegisterBody({ instanceId: id })) });
    const get = (path: string, headers: Record<string, string>) => fetch(`${registry!.url}${path}`, { headers: { accept: 'application/json', 'accept-encoding': 'identity', ...headers } });
    await register('i-1');
    for (const path of ['/apps', '/apps/delta', '/apps/MYAPP']) {
      const first = await get(path, {});
      const etag = first.headers.get('etag')!;
      expect(first.status).toBe(200);
      expect(etag).toMatch(/^W\/".+"$/);
      const again = await get(path, { 'if-none-match': etag });
      expect([again.status, await again.text(), again.headers.get('etag')]).toEqual([304, '', etag]);
      // Another representation (XML, gzip) has its own ETag: the JSON one does not match it.
      expect((await get(path, { accept: 'application/xml', 'if-none-match': etag })).status).toBe(200);
      const gzipped = await fetch(`${registry.url}${path}`, { headers: { accept: 'application/json', 'accept-encoding': 'gzip' } });
      expect(gzipped.headers.get('etag')).not.toBe(etag);
    }
    const before = (await get('/apps', {})).headers.get('etag')!;
    await fetch(`${registry.url}/apps/MYAPP/i-1`, { method: 'PUT' });
    expect((await get('/apps', { 'if-none-match': before })).status).toBe(304); // a renewal is not a change
    await register('i-2');
    const changed = await get('/apps', { 'if-none-match': before });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(before);
    expect(((await changed.json()) as { applications: { apps__hashcode: string } }).applications.apps__hashcode).toBe('UP_2_');
  });

  it('eureka profile: an ETag of the read-only copy keeps answering 304 until the refresh shows the change', async () => {
    registry = await startRegistryServer({ port: 0, profile: 'eureka', timings: { responseCacheUpdateIntervalMs: 1_500 } });
    const url = `${registry.url}/apps/delta`;
    const headers = { accept: 'application/json', 'accept-encoding': 'identity' };
    const etag = (await fetch(url, { headers })).headers.get('etag')!;
    await fetch(`${registry.url}/apps/MYAPP`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(springRegisterBody()) });
    expect((await fetch(url, { headers: { ...headers, 'if-none-match': etag } })).status).toBe(304);
    await waitFor(async () => (await fetch(url, { headers: { ...headers, 'if-none-match': etag } })).status === 200, { what: 'read-only refresh' });
  });
});
