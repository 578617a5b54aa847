import { request } from 'node:http';
import { startToxiproxyServer, type ToxiproxyServer } from '@zonemesh/toxiproxy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleTopology } from '../console-options.js';
import type { LiveTick } from '../wire.js';
import { startConsole, type RunningConsole } from './console.server.js';

/** A raw request, so Host and Origin can be what a browser on another site would send. */
function raw(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const post = (url: string, body: unknown) => raw(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/** Reads the event stream until a tick satisfies `check` (bounded by `deadlineMs`). */
async function tickWhere(base: string, check: (tick: LiveTick) => boolean, deadlineMs = 10_000): Promise<LiveTick> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), deadlineMs);
  try {
    const response = await fetch(`${base}api/events`, { signal: abort.signal });
    const decoder = new TextDecoder();
    let buffer = '';
    let last: LiveTick | undefined;
    for await (const chunk of response.body!) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!frame.startsWith('event: tick')) continue;
        last = JSON.parse(frame.slice(frame.indexOf('data: ') + 6)) as LiveTick;
        if (check(last)) return last;
      }
    }
    throw new Error('event stream ended');
  } catch (error) {
    if (abort.signal.aborted) throw new Error(`no matching tick within ${deadlineMs} ms`);
    throw error;
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

/**
 * The console server on real sockets in front of a real (embedded) fault
 * proxy; the callers and registries of this topology do not run, which the
 * console must show as a state rather than fail on.
 */
describe('console server', () => {
  let toxiproxy: ToxiproxyServer;
  let server: RunningConsole;
  let topology: ConsoleTopology;

  beforeAll(async () => {
    toxiproxy = await startToxiproxyServer({ port: 0 });
    for (const name of ['catalog-zone-a-1', 'catalog-zone-b-1']) {
      await post(`${toxiproxy.url}/proxies`, { name, listen: '127.0.0.1:0', upstream: '127.0.0.1:9', enabled: true });
    }
    topology = {
      zones: ['zone-a', 'zone-b'],
      processes: ['zone-a', 'zone-b'].map((zone) => ({ name: `catalog-${zone}-1`, kind: 'service', service: 'catalog', zone, url: '127.0.0.1:9', proxy: `catalog-${zone}-1` })),
      gatewayUrl: 'http://127.0.0.1:9',
      toxiproxyUrl: toxiproxy.url,
      registryUrls: {},
    };
    server = await startConsole({ topology, port: 0, tickMs: 200 });
  });

  afterAll(async () => {
    await server?.stop();
    await toxiproxy?.close();
  });

  it('serves the page, its script and uPlot from the mesh itself: nothing from a CDN', async () => {
    const page = await raw(server.url);
    expect(page.status).toBe(200);
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.filter((a) => !a.startsWith('/console/') && !a.startsWith('data:'))).toEqual([]);
    for (const asset of assets.filter((a) => a.startsWith('/console/'))) {
      expect((await raw(new URL(asset, server.url).href)).status, asset).toBe(200);
    }
    expect((await raw(new URL('/console/vendor/uPlot.iife.min.js', server.url).href)).body).toContain('uPlot');
  });

  it('never serves a file outside its folders', async () => {
    for (const path of ['/console/..%2f..%2fpackage.json', '/console/%2e%2e/src/index.ts', '/console/js/..%2f..%2f..%2fpackage.json', '/console/%E0%A4%A']) {
      expect((await raw(new URL(path, server.url).href)).status, path).toBe(404);
    }
  });

  it('answers only to loopback names and same-origin JSON actions', async () => {
    const evil = await raw(server.url, { headers: { host: 'attacker.example:8070' } });
    expect(evil.status).toBe(403);
    expect(evil.body).toContain('not a loopback name');
    const form = await raw(`${server.url}api/faults`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'action=disable' });
    expect(form.status).toBe(403);
    const crossSite = await raw(`${server.url}api/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'http://attacker.example' },
      body: JSON.stringify({ action: 'disable', target: { zone: 'zone-a' } }),
    });
    expect(crossSite.status).toBe(403);
    const proxies = (await (await fetch(`${toxiproxy.url}/proxies`)).json()) as Record<string, { enabled: boolean }>;
    expect(Object.values(proxies).every((p) => p.enabled)).toBe(true);
  });

  it('with a write credential, takes an action only with it (a Basic challenge otherwise) and changes nothing without it', async () => {
    const guarded = await startConsole({ topology, port: 0, tickMs: 200, actionCredential: 'zonemesh:s3cret-value' });
    try {
      const body = JSON.stringify({ action: 'disable', target: { instance: 'catalog-zone-a-1' } });
      const anonymous = await raw(`${guarded.url}api/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      expect(anonymous.status).toBe(401);
      const wrong = await raw(`${guarded.url}api/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from('zonemesh:guess').toString('base64')}` },
        body,
      });
      expect(wrong.status).toBe(401);
      let proxies = (await (await fetch(`${toxiproxy.url}/proxies`)).json()) as Record<string, { enabled: boolean }>;
      expect(proxies['catalog-zone-a-1']!.enabled).toBe(true);
      expect((await raw(guarded.url)).status).toBe(200);
      const authorization = `Basic ${Buffer.from('zonemesh:s3cret-value').toString('base64')}`;
      const done = await raw(`${guarded.url}api/faults`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body });
      expect(done.status).toBe(201);
      proxies = (await (await fetch(`${toxiproxy.url}/proxies`)).json()) as Record<string, { enabled: boolean }>;
      expect(proxies['catalog-zone-a-1']!.enabled).toBe(false);
      const healed = await raw(`${guarded.url}api/heal`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ target: { zone: 'zone-a' } }) });
      expect(healed.status).toBe(200);
    } finally {
      await guarded.stop();
    }
  });

  it('answers a bad action with 400 and a message naming the problem', async () => {
    expect(await post(`${server.url}api/faults`, { action: 'explode', target: { zone: 'zone-a' } })).toMatchObject({ status: 400 });
    const nothing = await post(`${server.url}api/faults`, { action: 'disable', target: { zone: 'zone-q' } });
    expect(nothing.status).toBe(400);
    expect(nothing.body).toContain('matches no proxy');
    const crash = await post(`${server.url}api/faults`, { action: 'crash', target: { instance: 'catalog-zone-a-1' } });
    expect(crash.status).toBe(400);
    expect(crash.body).toContain('does not run the mesh processes');
    expect((await raw(`${server.url}api/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' })).status).toBe(400);
    expect((await post(`${server.url}api/scenarios/run`, { scenario: 'nope' })).status).toBe(400);
  });

  it('disables a zone through the Toxiproxy API, shows it on the tiles and as a fault band, and heals it', async () => {
    const applied = await post(`${server.url}api/faults`, { action: 'disable', target: { zone: 'zone-a', service: 'catalog' } });
    expect(applied.status).toBe(201);
    expect(JSON.parse(applied.body)).toMatchObject({ action: 'disable', targets: ['catalog-zone-a-1'] });
    const broken = await tickWhere(server.url, (t) => t.tiles.find((x) => x.name === 'catalog-zone-a-1')!.badges.includes('disabled'));
    expect(broken.tiles.find((x) => x.name === 'catalog-zone-b-1')!.badges).not.toContain('disabled');
    expect(broken.bands.at(-1)).toMatchObject({ label: 'down: zone-a catalog' });

    const healed = await post(`${server.url}api/heal`, { target: { zone: 'zone-a' } });
    expect(JSON.parse(healed.body)).toMatchObject({ healed: [expect.stringMatching(/^console-disable-/)], failed: [] });
    const calm = await tickWhere(server.url, (t) => !t.tiles.some((x) => x.badges.includes('disabled')));
    expect(calm.bands.at(-1)!.to).toBeTypeOf('number');
  });
});
