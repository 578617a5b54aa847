import { Toxiproxy } from 'toxiproxy-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startToxiproxyServer, TOXIPROXY_VERSION, type ToxiproxyServer } from '../index.js';
import { startEchoServer, type EchoServer } from '../testing/tcp-harness.js';

let server: ToxiproxyServer;
let echo: EchoServer;
let client: Toxiproxy;

beforeAll(async () => {
  echo = await startEchoServer();
  server = await startToxiproxyServer({ port: 0 });
  client = new Toxiproxy(server.url);
});

afterAll(async () => {
  await server?.close();
  await echo?.close();
});

const api = (path: string, init: RequestInit = {}) => fetch(`${server.url}${path}`, init);
const post = (path: string, body: unknown, method = 'POST') =>
  api(path, { method, body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });

async function expectApiError(response: Response, status: number, message: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
  expect(await response.text()).toBe(`${JSON.stringify({ error: message, status })}\n`);
}

describe('toxiproxy API through toxiproxy-node-client', () => {
  it('reports the version as Toxiproxy writes it', async () => {
    expect(await client.getVersion()).toBe(`{"version": "${TOXIPROXY_VERSION}"}\n`);
  });

  it('creates a proxy, reporting the bound address, and lists it', async () => {
    const proxy = await client.createProxy({ name: 'create-list', listen: 'localhost:0', upstream: echo.address });
    expect(proxy.listen).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(proxy.enabled).toBe(true);
    const all = await client.getAll();
    expect(all['create-list'].listen).toBe(proxy.listen);
    const fetched = await client.get('create-list');
    expect(fetched.toJson()).toMatchObject({ name: 'create-list', upstream: echo.address, enabled: true });
    await proxy.remove();
    await expect(client.get('create-list')).rejects.toThrow('Request failed with status code 404');
  });

  it('rejects a duplicate proxy with 409', async () => {
    await client.createProxy({ name: 'dup', listen: 'localhost:0', upstream: echo.address });
    await expect(client.createProxy({ name: 'dup', listen: 'localhost:0', upstream: echo.address })).rejects.toThrow(
      'Request failed with status code 409',
    );
    await (await client.get('dup')).remove();
  });

  it('adds, reads, updates (merging attributes) and removes toxics', async () => {
    const proxy = await client.createProxy({ name: 'toxic-crud', listen: 'localhost:0', upstream: echo.address });
    const toxic = await proxy.addToxic({ name: 'lat', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 100, jitter: 5 } });
    expect(toxic.toJson()).toEqual({ name: 'lat', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 100, jitter: 5 } });
    const updated = await toxic.update({ attributes: { latency: 300 } } as never);
    expect(updated.attributes).toEqual({ latency: 300, jitter: 5 });
    expect((await proxy.getToxic('lat')).attributes).toEqual({ latency: 300, jitter: 5 });
    await toxic.remove();
    await expect(proxy.getToxic('lat')).rejects.toThrow('Request failed with status code 404');
    await proxy.remove();
  });

  it('updates a proxy through proxy.update', async () => {
    const proxy = await client.createProxy({ name: 'upd', listen: 'localhost:0', upstream: echo.address });
    const disabled = await proxy.update({ enabled: false, listen: proxy.listen, upstream: proxy.upstream });
    expect(disabled.enabled).toBe(false);
    const enabled = await disabled.update({ enabled: true, listen: proxy.listen, upstream: proxy.upstream });
    expect(enabled.enabled).toBe(true);
    expect(enabled.listen).toBe(proxy.listen);
    await proxy.remove();
  });
});

describe('toxiproxy API over plain HTTP', () => {
  it('tags matched responses with X-Toxiproxy-Request-Id', async () => {
    const response = await api('/proxies');
    expect(response.status).toBe(200);
    expect(response.headers.get('x-toxiproxy-request-id')).toMatch(/^[0-9a-v]{20}$/);
    expect(response.headers.get('content-type')).toBe('application/json');
  });

  it('answers 404 "404 page not found" for unknown paths, without a request id', async () => {
    for (const path of ['/nope', '/proxies/a/b', '/proxies/']) {
      const response = await api(path);
      expect(response.status).toBe(404);
      expect(await response.text()).toBe('404 page not found\n');
      expect(response.headers.get('x-toxiproxy-request-id')).toBeNull();
    }
  });

  it('answers 405 with an empty body for a known path and wrong method', async () => {
    for (const [method, path] of [
      ['DELETE', '/proxies'],
      ['PUT', '/proxies/x'],
      ['GET', '/reset'],
      ['GET', '/populate'],
      ['POST', '/version'],
    ]) {
      const response = await api(path, { method });
      expect(response.status, `${method} ${path}`).toBe(405);
      expect(await response.text()).toBe('');
    }
  });

  it('refuses browsers (User-Agent Mozilla/) with 403', async () => {
    const response = await api('/proxies', { headers: { 'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64)' } });
    expect(response.status).toBe(403);
    expect(await response.text()).toBe('User agent not allowed\n');
    expect(response.headers.get('x-toxiproxy-request-id')).toMatch(/^[0-9a-v]{20}$/);
  });

  it('returns the JSON shapes with keys in Toxiproxy order, toxics always an array', async () => {
    const created = await post('/proxies', { name: 'shape', listen: '127.0.0.1:0', upstream: echo.address });
    expect(created.status).toBe(201);
    const text = await created.text();
    expect(text).toMatch(/^\{"name":"shape","listen":"127\.0\.0\.1:\d+","upstream":"127\.0\.0\.1:\d+","enabled":true,"toxics":\[\]\}$/);

    const toxic = await post('/proxies/shape/toxics', { type: 'slicer', attributes: { average_size: 10 } });
    expect(toxic.status).toBe(200);
    expect(await toxic.text()).toBe(
      '{"attributes":{"average_size":10,"size_variation":0,"delay":0},"name":"slicer_downstream","type":"slicer","stream":"downstream","toxicity":1}',
    );
    expect((await api('/proxies/shape/toxics/slicer_downstream', { method: 'DELETE' })).status).toBe(204);
    expect((await api('/proxies/shape', { method: 'DELETE' })).status).toBe(204);
  });

  it('lists upstream toxics first, then downstream, in creation order', async () => {
    await post('/proxies', { name: 'order', listen: '127.0.0.1:0', upstream: echo.address });
    await post('/proxies/order/toxics', { name: 'd1', type: 'noop' });
    await post('/proxies/order/toxics', { name: 'u1', type: 'noop', stream: 'upstream' });
    await post('/proxies/order/toxics', { name: 'd2', type: 'latency', stream: 'downstream' });
    await post('/proxies/order/toxics', { name: 'u2', type: 'timeout', stream: 'upstream', toxicity: 0.5 });
    const toxics = (await (await api('/proxies/order/toxics')).json()) as Array<{ name: string; toxicity: number }>;
    expect(toxics.map((t) => t.name)).toEqual(['u1', 'u2', 'd1', 'd2']);
    expect(toxics[1].toxicity).toBe(0.5);
    const proxy = (await (await api('/proxies/order')).json()) as { toxics: Array<{ name: string }> };
    expect(proxy.toxics.map((t) => t.name)).toEqual(['u1', 'u2', 'd1', 'd2']);
    await api('/proxies/order', { method: 'DELETE' });
  });

  it('refuses a proxy listening beyond loopback (an open relay) with 403, and creates nothing', async () => {
    for (const listen of ['0.0.0.0:0', ':0', '[::]:0']) {
      const response = await post('/proxies', { name: 'relay', listen, upstream: echo.address });
      expect(response.status, listen).toBe(403);
      expect(((await response.json()) as { error: string }).error).toMatch(/refused, the fault proxy listens on loopback only \(start it with --allow-remote-listen/);
      expect((await api('/proxies/relay')).status).toBe(404);
    }
    // Loopback by name or address is what every mesh proxy uses.
    const local = await post('/proxies', { name: 'local', listen: 'localhost:0', upstream: echo.address });
    expect(local.status).toBe(201);
    await api('/proxies/local', { method: 'DELETE' });
  });

  it('with allowRemoteListen, reports wildcard listen addresses as [::]:port, as Toxiproxy does', async () => {
    const open = await startToxiproxyServer({ port: 0, allowRemoteListen: true });
    try {
      for (const [name, listen] of [
        ['wild-a', '0.0.0.0:0'],
        ['wild-b', ':0'],
      ]) {
        const response = await fetch(`${open.url}/proxies`, { method: 'POST', body: JSON.stringify({ name, listen, upstream: echo.address }) });
        const body = (await response.json()) as { listen: string };
        expect(body.listen).toMatch(/^\[::\]:\d+$/);
      }
    } finally {
      await open.close();
    }
  });

  it('answers proxy errors with Toxiproxy messages', async () => {
    await expectApiError(await post('/proxies', ''), 400, 'bad request body: EOF');
    await expectApiError(await post('/proxies', '{"name":'), 400, 'bad request body: unexpected EOF');
    await expectApiError(await post('/proxies', { upstream: echo.address }), 400, 'missing required field: name');
    await expectApiError(await post('/proxies', { name: 'x' }), 400, 'missing required field: upstream');
    await expectApiError(await api('/proxies/missing'), 404, 'proxy not found');
    await expectApiError(await api('/proxies/missing', { method: 'DELETE' }), 404, 'proxy not found');
    await expectApiError(await post('/proxies/missing/toxics', { type: 'latency' }), 404, 'proxy not found');
  });

  it('fails a bind with 500 and the OS error, creating nothing', async () => {
    const first = (await (await post('/proxies', { name: 'holder', listen: '127.0.0.1:0', upstream: echo.address })).json()) as { listen: string };
    const response = await post('/proxies', { name: 'clash', listen: first.listen, upstream: echo.address });
    await expectApiError(response, 500, `listen tcp ${first.listen}: bind: address already in use`);
    expect((await api('/proxies/clash')).status).toBe(404);
    // The duplicate-name check comes before binding.
    await expectApiError(await post('/proxies', { name: 'holder', listen: first.listen, upstream: echo.address }), 409, 'proxy already exists');
    await api('/proxies/holder', { method: 'DELETE' });
  });

  it('answers toxic errors with Toxiproxy messages', async () => {
    await post('/proxies', { name: 'terr', listen: '127.0.0.1:0', upstream: echo.address });
    await expectApiError(await post('/proxies/terr/toxics', ''), 400, 'bad request body: EOF');
    await expectApiError(await post('/proxies/terr/toxics', { type: 'latency', stream: 'sideways' }), 400, 'stream was invalid, can be either upstream or downstream');
    await expectApiError(await post('/proxies/terr/toxics', { type: 'down' }), 400, 'invalid toxic type');
    await expectApiError(await post('/proxies/terr/toxics', {}), 400, 'invalid toxic type');
    expect((await post('/proxies/terr/toxics', { type: 'latency' })).status).toBe(200);
    await expectApiError(await post('/proxies/terr/toxics', { type: 'latency' }), 409, 'toxic already exists');
    await expectApiError(await api('/proxies/terr/toxics/nope'), 404, 'toxic not found');
    await expectApiError(await post('/proxies/terr/toxics/nope', { attributes: {} }), 404, 'toxic not found');
    await expectApiError(await api('/proxies/terr/toxics/nope', { method: 'DELETE' }), 404, 'toxic not found');
    const badType = await post('/proxies/terr/toxics', { type: 'latency', name: 'l2', attributes: { latency: 'slow' } });
    expect(badType.status).toBe(400);
    expect(((await badType.json()) as { error: string }).error).toMatch(/^bad request body: json: cannot unmarshal string into /);
    await api('/proxies/terr', { method: 'DELETE' });
  });

  it('refuses attribute values the real server crashes on, also on update', async () => {
    await post('/proxies', { name: 'crash', listen: '127.0.0.1:0', upstream: echo.address });
    expect((await post('/proxies/crash/toxics', { type: 'bandwidth', attributes: { rate: -1 } })).status).toBe(400);
    expect((await post('/proxies/crash/toxics', { type: 'slicer', attributes: { average_size: 10, size_variation: 10 } })).status).toBe(400);
    expect((await post('/proxies/crash/toxics', { type: 'slicer', attributes: { average_size: 0, size_variation: 3 } })).status).toBe(400);
    expect((await post('/proxies/crash/toxics', { type: 'bandwidth', attributes: { rate: 10 } })).status).toBe(200);
    expect((await post('/proxies/crash/toxics/bandwidth_downstream', { attributes: { rate: -5 } }, 'PATCH')).status).toBe(400);
    const kept = (await (await api('/proxies/crash/toxics/bandwidth_downstream')).json()) as { attributes: { rate: number } };
    expect(kept.attributes.rate).toBe(10);
    await api('/proxies/crash', { method: 'DELETE' });
  });

  it('populates and reports the error shape with the proxies applied so far', async () => {
    const ok = await post('/populate', [{ name: 'pop-a', listen: '127.0.0.1:0', upstream: echo.address }]);
    expect(ok.status).toBe(201);
    const okBody = (await ok.json()) as { proxies: Array<{ name: string; enabled: boolean; toxics: unknown[] }> };
    expect(okBody.proxies).toHaveLength(1);
    expect(okBody.proxies[0]).toMatchObject({ name: 'pop-a', enabled: true, toxics: [] });

    const invalid = await post('/populate', [{ name: 'pop-b', upstream: echo.address }, { name: 'pop-c' }]);
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toBe('application/json');
    expect(await invalid.json()).toEqual({ error: 'missing required field: upstream at proxy 2', status: 400, proxies: null });
    expect((await api('/proxies/pop-b')).status).toBe(404);

    const taken = okBody.proxies[0] as unknown as { listen: string };
    const partial = await post('/populate', [
      { name: 'pop-d', listen: '127.0.0.1:0', upstream: echo.address },
      { name: 'pop-e', listen: taken.listen, upstream: echo.address },
    ]);
    expect(partial.status).toBe(500);
    const partialBody = (await partial.json()) as { error: string; status: number; proxies: Array<{ name: string }> };
    expect(partialBody.error).toBe(`listen tcp ${taken.listen}: bind: address already in use`);
    expect(partialBody.proxies.map((p) => p.name)).toEqual(['pop-d']);

    const bad = await post('/populate', '{"not":"an array"}');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^bad request body: json: cannot unmarshal object/);
    await api('/proxies/pop-a', { method: 'DELETE' });
    await api('/proxies/pop-d', { method: 'DELETE' });
  });
});
