import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, waitFor } from '@zonemesh/testing';
import { type RegistryServerOptions, type RunningRegistry, startRegistryServer } from './registry-server.js';
import { basicAuthorization } from '@zonemesh/discovery';
import { springRegisterBody } from './spring-register-body.js';

const USER = 'svc:s3cret';
const PEER_CREDENTIAL = 'peer:p33r-only';
const AUTH = { users: [USER], peer: PEER_CREDENTIAL, protectReads: false };
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };
const AS_USER = { authorization: basicAuthorization(USER) };
const AS_PEER = { authorization: basicAuthorization(PEER_CREDENTIAL) };
const REPLICATION = { 'x-netflix-discovery-replication': 'true' };

let running: RunningRegistry[] = [];
afterEach(async () => {
  await Promise.all(running.map((r) => r.close()));
  running = [];
});

async function start(options: RegistryServerOptions = {}): Promise<RunningRegistry> {
  const registry = await startRegistryServer({ port: 0, auth: AUTH, ...options, timings: { replicationBatchDelayMs: 20, peerSyncRetryMs: 50, ...options.timings } });
  running.push(registry);
  return registry;
}

function register(base: string, id: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/apps/MYAPP`, { method: 'POST', headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(springRegisterBody({ instanceId: id })) });
}

const ids = (registry: RunningRegistry): string[] => (registry.store.application('MYAPP')?.instances ?? []).map((i) => i.instanceId).sort();

describe('registry Basic auth', () => {
  it('answers every unauthenticated write 401 with a Basic challenge and changes nothing; reads stay open', async () => {
    const registry = await start();
    expect((await register(registry.url, 'kept', AS_USER)).status).toBe(204);
    const before = JSON.stringify(registry.store.instance('MYAPP', 'kept'));
    const base = registry.url;
    const writes: Array<[string, string, RequestInit?]> = [
      ['POST', `${base}/apps/MYAPP`, { headers: JSON_HEADERS, body: JSON.stringify(springRegisterBody({ instanceId: 'intruder' })) }],
      ['PUT', `${base}/apps/MYAPP/kept`],
      ['DELETE', `${base}/apps/MYAPP/kept`],
      ['PUT', `${base}/apps/MYAPP/kept/status?value=OUT_OF_SERVICE`],
      ['DELETE', `${base}/apps/MYAPP/kept/status?value=DOWN`],
      ['PUT', `${base}/apps/MYAPP/kept/metadata?owner=intruder`],
      ['POST', `${base}/peerreplication/batch/`, { headers: JSON_HEADERS, body: JSON.stringify({ replicationList: [{ appName: 'MYAPP', id: 'kept', action: 'Cancel' }] }) }],
      ['POST', `http://127.0.0.1:${registry.port}/eureka/v2/apps/MYAPP`, { headers: JSON_HEADERS, body: '{}' }],
    ];
    for (const [method, url, init] of writes) {
      for (const authorization of [undefined, basicAuthorization('svc:wrong'), 'Bearer abc', 'Basic !!!']) {
        const headers = { ...(init?.headers as Record<string, string> | undefined), ...(authorization === undefined ? {} : { authorization }) };
        const response = await fetch(url, { ...init, method, headers });
        expect(response.status, `${method} ${url} with ${authorization ?? 'no credential'}`).toBe(401);
        expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="zonemesh"/);
        expect(await response.json()).toMatchObject({ error: 'unauthorized' });
      }
    }
    expect(ids(registry)).toEqual(['kept']);
    expect(JSON.stringify(registry.store.instance('MYAPP', 'kept'))).toBe(before);
    expect((await fetch(`${base}/apps/MYAPP`, { headers: { accept: 'application/json' } })).status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${registry.port}/metrics`)).text();
    expect(metrics).toContain('zonemesh_registry_rejected_total{reason="unauthorized"');
  });

  it('closes reads too with protectReads', async () => {
    const registry = await start({ auth: { ...AUTH, protectReads: true } });
    const anonymous = await fetch(`${registry.url}/apps`, { headers: { accept: 'application/json' } });
    expect(anonymous.status).toBe(401);
    expect((await fetch(`${registry.url}/apps`, { headers: { accept: 'application/json', ...AS_USER } })).status).toBe(200);
  });

  it('a Spring-shaped client (Authorization header, Spring register body) registers, renews and deregisters', async () => {
    const registry = await start();
    expect((await register(registry.url, 'spring-1', AS_USER)).status).toBe(204);
    const registered = registry.store.instance('MYAPP', 'spring-1')!.leaseInfo.lastRenewalTimestamp;
    await waitFor(async () => {
      const renewal = await fetch(`${registry.url}/apps/MYAPP/spring-1?status=UP&lastDirtyTimestamp=1699999999000`, { method: 'PUT', headers: AS_USER });
      expect(renewal.status).toBe(200);
      return registry.store.instance('MYAPP', 'spring-1')!.leaseInfo.lastRenewalTimestamp > registered;
    }, { what: 'an authenticated renewal' });
    expect((await fetch(`${registry.url}/apps/MYAPP/spring-1`, { method: 'DELETE', headers: AS_USER })).status).toBe(200);
    expect(ids(registry)).toEqual([]);
  });

  it('eureka-js-client with user:pass@ service URLs registers and renews against an auth-on registry', async () => {
    const registry = await start();
    const require = createRequire(import.meta.url);
    const { Eureka } = require('eureka-js-client') as {
      Eureka: new (config: unknown) => { start(cb: (e?: Error | null) => void): void; stop(cb: (e?: Error | null) => void): void };
    };
    const ignore = (): void => undefined;
    const client = new Eureka({
      logger: { debug: ignore, info: ignore, warn: ignore, error: ignore },
      instance: {
        app: 'jsauth',
        instanceId: 'jsauth-1',
        hostName: 'localhost',
        ipAddr: '127.0.0.1',
        port: { $: 8080, '@enabled': 'true' },
        vipAddress: 'jsauth',
        dataCenterInfo: { '@class': 'com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo', name: 'MyOwn' },
      },
      eureka: {
        serviceUrls: { default: [`http://svc:s3cret@127.0.0.1:${registry.port}/eureka/apps/`] },
        heartbeatInterval: 150,
        registryFetchInterval: 60_000,
        maxRetries: 0,
      },
    });
    const call = (fn: (cb: (e?: Error | null) => void) => void) => new Promise<void>((resolve, reject) => fn((e) => (e ? reject(e) : resolve())));
    await call((cb) => client.start(cb));
    try {
      const registered = registry.store.instance('JSAUTH', 'jsauth-1')!.leaseInfo.lastRenewalTimestamp;
      await waitFor(() => registry.store.instance('JSAUTH', 'jsauth-1')!.leaseInfo.lastRenewalTimestamp > registered, { what: 'eureka-js-client heartbeats' });
    } finally {
      await call((cb) => client.stop(cb));
    }
    expect(registry.store.instance('JSAUTH', 'jsauth-1')).toBeUndefined();
  });

  it('replicates between two auth-on registries with the peer credential; a forged replication header gets nothing', async () => {
    const [portA, portB] = await Promise.all([freePort(), freePort()]);
    // A names B's credential in the URL, B uses the shared peer credential: both paths send Basic auth.
    const [a, b] = await Promise.all([
      start({ port: portA, peers: [`http://peer:p33r-only@127.0.0.1:${portB}/eureka`] }),
      start({ port: portB, peers: [`http://127.0.0.1:${portA}/eureka`] }),
    ]);
    expect(a.peers).toEqual([`http://127.0.0.1:${portB}/eureka`]);
    await Promise.all([a.whenSynced(), b.whenSynced()]);
    expect((await register(a.url, 'from-a', AS_USER)).status).toBe(204);
    expect((await register(b.url, 'from-b', AS_USER)).status).toBe(204);
    await waitFor(() => ids(a).length === 2 && ids(b).length === 2, { what: 'replication both ways' });

    // A user claiming to be a peer is refused: the action would otherwise skip replication.
    const forgedByUser = await register(a.url, 'forged', { ...AS_USER, ...REPLICATION });
    expect(forgedByUser.status).toBe(403);
    const forgedAnonymously = await fetch(`${a.url}/apps/MYAPP/from-a`, { method: 'DELETE', headers: REPLICATION });
    expect(forgedAnonymously.status).toBe(401);
    const batchByUser = await fetch(`${a.url}/peerreplication/batch/`, {
      method: 'POST',
      headers: { ...JSON_HEADERS, ...AS_USER },
      body: JSON.stringify({ replicationList: [{ appName: 'MYAPP', id: 'from-a', action: 'Cancel' }] }),
    });
    expect(batchByUser.status).toBe(403);
    expect(ids(a)).toEqual(['from-a', 'from-b']);
    // The peer credential is honoured: a replicated register stays on A and is not sent on to B.
    expect((await register(a.url, 'peer-only', { ...AS_PEER, ...REPLICATION })).status).toBe(204);
    await waitFor(() => a.replicationStats().queueLength === 0, { what: 'A drained' });
    expect(ids(b)).not.toContain('peer-only');
  });
});
