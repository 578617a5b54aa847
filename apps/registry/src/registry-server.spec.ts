import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from './clock.js';
import { RegistryPortInUseError, type RunningRegistry, startRegistryServer } from './registry-server.js';
import { springRegisterBody } from './spring-register-body.js';
import { waitFor } from '@zonemesh/testing';

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };
let running: RunningRegistry[] = [];

async function start(options: Parameters<typeof startRegistryServer>[0] = {}): Promise<RunningRegistry> {
  const registry = await startRegistryServer({ port: 0, ...options });
  running.push(registry);
  return registry;
}

afterEach(async () => {
  await Promise.all(running.map((r) => r.close()));
  running = [];
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire payloads, asserted field by field
async function getJson(url: string): Promise<any> {
  return (await fetch(url, { headers: { accept: 'application/json' } })).json();
}

function register(base: string, body: unknown, app = 'MYAPP'): Promise<Response> {
  return fetch(`${base}/apps/${app}`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body) });
}

describe('registry server over HTTP', () => {
  it('registers (204), lists, heartbeats (200) and cancels (200) under /eureka and /eureka/v2 with trailing slashes', async () => {
    const { url } = await start();
    expect((await register(`${url}/v2`, springRegisterBody({ metadata: { zone: 'zone-a' } }))).status).toBe(204);

    const apps = await getJson(`${url}/apps/`);
    expect(apps.applications.apps__hashcode).toBe('UP_1_');
    expect(apps.applications.application[0].instance[0]).toMatchObject({ instanceId: 'h1:myapp:8080', metadata: { zone: 'zone-a' } });

    const one = await getJson(`${url}/v2/apps/myapp/`);
    expect(one.application.name).toBe('MYAPP');
    expect(Array.isArray(one.application.instance)).toBe(true);
    expect((await getJson(`${url}/instances/h1:myapp:8080`)).instance.app).toBe('MYAPP');

    const heartbeat = await fetch(`${url}/v2/apps/MYAPP/h1:myapp:8080`, { method: 'PUT' });
    expect(heartbeat.status).toBe(200);
    expect(await heartbeat.text()).toBe('');
    expect((await fetch(`${url}/apps/MYAPP/h1:myapp:8080`, { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(`${url}/apps/MYAPP/h1:myapp:8080`, { method: 'DELETE' })).status).toBe(404);
    expect((await fetch(`${url}/apps/MYAPP/h1:myapp:8080`, { method: 'PUT' })).status).toBe(404);
    expect((await fetch(`${url}/apps/MYAPP`, { headers: { accept: 'application/json' } })).status).toBe(404);
    expect((await fetch(`${url}/apps/MYAPP/h1:myapp:8080`, { headers: { accept: 'application/json' } })).status).toBe(404);
    expect((await fetch(`${url}/instances/h1:myapp:8080`)).status).toBe(404);
  });

  it('answers invalid registrations with Eureka\'s 400 texts and unparsable bodies with 400', async () => {
    const { url } = await start();
    const mismatch = await register(url, springRegisterBody({ app: 'OTHER' }));
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toBe('Mismatched appName, expecting MYAPP but was OTHER');
    const noIp = await register(url, springRegisterBody({ ipAddr: undefined }));
    expect([noIp.status, await noIp.text()]).toEqual([400, 'Missing ip address']);
    const broken = await fetch(`${url}/apps/MYAPP`, { method: 'POST', headers: JSON_HEADERS, body: '{"instance":' });
    expect(broken.status).toBe(400);
    expect(await broken.text()).not.toContain(' at ');
  });

  it('serves the delta with actionType and a growing versions__delta', async () => {
    const { url } = await start();
    await register(url, springRegisterBody());
    const first = await getJson(`${url}/apps/delta`);
    await fetch(`${url}/apps/MYAPP/h1:myapp:8080`, { method: 'DELETE' });
    const second = await getJson(`${url}/apps/delta`);
    expect(Number(second.applications.versions__delta)).toBeGreaterThan(Number(first.applications.versions__delta));
    expect(second.applications.apps__hashcode).toBe('');
    expect(second.applications.application[0].instance[0].actionType).toBe('DELETED');
  });

  it('answers XML without a json Accept header and accepts an XML registration', async () => {
    const { url } = await start();
    const xml =
      '<instance><instanceId>x1</instanceId><hostName>h</hostName><app>XAPP</app><ipAddr>10.0.0.9</ipAddr>' +
      '<status>UP</status><port enabled="true">9000</port>' +
      '<dataCenterInfo class="com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo"><name>MyOwn</name></dataCenterInfo></instance>';
    const registered = await fetch(`${url}/apps/XAPP`, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: xml });
    expect(registered.status).toBe(204);
    const response = await fetch(`${url}/apps/XAPP`);
    expect(response.headers.get('content-type')).toContain('xml');
    const text = await response.text();
    expect(text).toContain('<port enabled="true">9000</port>');
    expect(text).toContain('<overriddenstatus>UNKNOWN</overriddenstatus>');
  });

  it('gzips entities when the client accepts gzip', async () => {
    const { port } = await start();
    await register(`http://127.0.0.1:${port}/eureka`, springRegisterBody());
    const { request } = await import('node:http');
    const encoding = await new Promise<string | undefined>((resolve, reject) => {
      request(
        { port, path: '/eureka/apps', headers: { accept: 'application/json', 'accept-encoding': 'gzip' } },
        (res) => {
          res.resume();
          resolve(res.headers['content-encoding']);
        },
      ).on('error', reject).end();
    });
    expect(encoding).toBe('gzip');
  });

  it('evicts an expired lease on its timer, driven by the injected clock', async () => {
    const clock = new ManualClock(Date.now());
    const { url, store } = await start({ clock, timings: { evictionIntervalMs: 20 } });
    await register(url, springRegisterBody({ leaseInfo: { durationInSecs: 5 } }));
    expect(store.size()).toBe(1);
    clock.advance(5_001);
    await waitFor(async () => (await fetch(`${url}/apps/MYAPP`)).status === 404, { what: 'eviction' });
  });

  it('reports a taken port as one sentence naming port and zone', async () => {
    const first = await start({ zone: 'zone-b' });
    const error = await startRegistryServer({ port: first.port, zone: 'zone-b' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistryPortInUseError);
    expect((error as Error).message).toBe(`registry: port ${first.port} is already in use (zone-b)`);
  });
});
