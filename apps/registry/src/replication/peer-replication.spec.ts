import { afterEach, describe, expect, it } from 'vitest';
import { type RegistryServerOptions, type RunningRegistry, startRegistryServer } from '../registry-server.js';
import { freePort } from '@zonemesh/testing';
import { springRegisterBody } from '../spring-register-body.js';
import { waitFor } from '@zonemesh/testing';

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };
const PEER = { 'x-netflix-discovery-replication': 'true' };
let running: RunningRegistry[] = [];

afterEach(async () => {
  await Promise.all(running.map((r) => r.close()));
  running = [];
});

async function start(port: number, peers: number[], options: RegistryServerOptions = {}): Promise<RunningRegistry> {
  const registry = await startRegistryServer({
    port,
    peers: peers.map((p) => `http://127.0.0.1:${p}/eureka`),
    ...options,
    timings: { replicationBatchDelayMs: 20, peerSyncRetryMs: 50, ...options.timings },
  });
  running.push(registry);
  return registry;
}

/** Two (or more) registries peering with each other on fixed free ports. */
async function mesh(count: number, options: RegistryServerOptions = {}): Promise<RunningRegistry[]> {
  const ports = await Promise.all(Array.from({ length: count }, () => freePort()));
  return Promise.all(ports.map((port) => start(port, ports.filter((p) => p !== port), options)));
}

function register(base: string, id: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return fetch(`${base}/apps/MYAPP`, {
    method: 'POST',
    headers: { ...JSON_HEADERS, ...headers },
    body: JSON.stringify(springRegisterBody({ instanceId: id, ...extra })),
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- wire payloads
async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { headers: { accept: 'application/json', ...headers } });
  return { status: response.status, body: response.status === 200 ? await response.json() : undefined };
}

const ids = (registry: RunningRegistry, app = 'MYAPP'): string[] =>
  (registry.store.application(app)?.instances ?? []).map((i) => i.instanceId).sort();

describe('peer replication between registries', () => {
  it('replicates register, heartbeat, status override and cancel, and never re-replicates a replicated action', async () => {
    const [a, b] = await mesh(2);
    await Promise.all([a.whenSynced(), b.whenSynced()]);
    expect((await register(a.url, 'i-1', { metadata: { zone: 'zone-a' } })).status).toBe(204);
    await waitFor(() => ids(b).includes('i-1'), { what: 'register on B' });
    expect(b.store.instance('MYAPP', 'i-1')).toMatchObject({ metadata: { zone: 'zone-a' }, status: 'UP' });

    const before = b.store.instance('MYAPP', 'i-1')!.leaseInfo.lastRenewalTimestamp;
    await waitFor(async () => {
      await fetch(`${a.url}/apps/MYAPP/i-1`, { method: 'PUT' });
      return b.store.instance('MYAPP', 'i-1')!.leaseInfo.lastRenewalTimestamp > before;
    }, { what: 'heartbeat renewing the lease on B' });

    expect((await fetch(`${a.url}/apps/MYAPP/i-1/status?value=OUT_OF_SERVICE`, { method: 'PUT' })).status).toBe(200);
    await waitFor(() => b.store.instance('MYAPP', 'i-1')?.status === 'OUT_OF_SERVICE', { what: 'status override on B' });
    expect((await fetch(`${a.url}/apps/MYAPP/i-1/status?value=UP`, { method: 'DELETE' })).status).toBe(200);
    await waitFor(() => b.store.instance('MYAPP', 'i-1')?.status === 'UP', { what: 'override removal on B' });

    expect((await fetch(`${a.url}/apps/MYAPP/i-1`, { method: 'DELETE' })).status).toBe(200);
    await waitFor(() => ids(b).length === 0, { what: 'cancel on B' });
    await waitFor(() => a.replicationStats().queueLength === 0, { what: 'A drained' });

    // B received five actions but sent none: replicated actions stop where they land.
    expect(a.replicationStats().peers[0].sentItems).toBeGreaterThanOrEqual(5);
    expect(b.replicationStats().peers[0]).toMatchObject({ sentItems: 0, queueLength: 0 });
  });

  it('replicates to every peer of three', async () => {
    const [a, b, c] = await mesh(3);
    await register(b.url, 'from-b');
    await waitFor(() => ids(a).includes('from-b') && ids(c).includes('from-b'), { what: 'B\'s instance on A and C' });
    expect(b.replicationStats().peers.map((p) => p.peer).sort()).toEqual([a.url, c.url].sort());
  });

  it('answers a peer\'s heartbeat 404 by sending it a Register (a peer that lost the instance gets it back)', async () => {
    const [a, b] = await mesh(2);
    await register(a.url, 'i-2');
    await waitFor(() => ids(b).includes('i-2'), { what: 'register on B' });
    // B loses the lease silently (a replicated cancel is not sent back to A).
    expect((await fetch(`${b.url}/apps/MYAPP/i-2`, { method: 'DELETE', headers: PEER })).status).toBe(200);
    expect(ids(a)).toEqual(['i-2']);
    expect((await fetch(`${a.url}/apps/MYAPP/i-2`, { method: 'PUT' })).status).toBe(200);
    await waitFor(() => ids(b).includes('i-2'), { what: 're-sync through Register' });
  });

  it('takes the peer\'s copy when a heartbeat answers 409 with a newer instance', async () => {
    const [a, b] = await mesh(2);
    await register(a.url, 'i-3', { lastDirtyTimestamp: '1700000000000' });
    await waitFor(() => ids(b).includes('i-3'), { what: 'register on B' });
    // B gets a newer copy through replication only (so it does not flow back as a Register).
    await register(b.url, 'i-3', { lastDirtyTimestamp: '1800000000000', metadata: { newer: 'yes' } }, PEER);
    await fetch(`${a.url}/apps/MYAPP/i-3`, { method: 'PUT' });
    await waitFor(() => a.store.instance('MYAPP', 'i-3')?.metadata.newer === 'yes', { what: 'A adopting B\'s copy' });
    expect(a.store.instance('MYAPP', 'i-3')?.lastDirtyTimestamp).toBe(1_800_000_000_000);
  });

  it('retries with backoff while a peer is down and delivers once it is up (partition heals)', async () => {
    const bPort = await freePort();
    const a = await start(0, [bPort], { timings: { peerSyncTimeoutMs: 100, replicationRetryMaxMs: 200 } });
    await register(a.url, 'queued');
    await waitFor(() => a.replicationStats().peers[0].retries >= 2, { what: 'retries against the dead peer' });
    expect(a.replicationStats()).toMatchObject({ queueLength: 1 });
    expect(a.replicationStats().lagMs).toBeGreaterThan(0);
    // B starts without peers: only A's retried batch can bring it the instance.
    const b = await start(bPort, []);
    await waitFor(() => ids(b).includes('queued'), { what: 'delivery after the partition healed' });
    await waitFor(() => a.replicationStats().queueLength === 0, { what: 'queue drained' });
    expect(a.replicationStats().lagMs).toBe(0);
  });

  it('bounds the queue per peer and counts what it drops', async () => {
    const deadPeer = await freePort();
    const a = await start(0, [deadPeer], { timings: { peerSyncTimeoutMs: 100, replicationMaxQueue: 3, replicationBatchDelayMs: 5_000 } });
    for (const id of ['q1', 'q2', 'q3', 'q4', 'q5']) await register(a.url, id);
    // Re-registering q5 replaces its pending action instead of queueing another.
    await register(a.url, 'q5');
    expect(a.replicationStats()).toMatchObject({ queueLength: 3, droppedItems: 2 });
  });
});

describe('start-up sync from peers', () => {
  it('a registry started after the others holds the full registry once synced, and answers 403 to clients until then', async () => {
    const [a, b] = await mesh(2);
    await register(a.url, 'on-a');
    await register(b.url, 'on-b');
    await waitFor(() => ids(a).length === 2 && ids(b).length === 2, { what: 'A and B converged' });
    const c = await start(await freePort(), [a.port, b.port]);
    await c.whenSynced();
    expect(ids(c)).toEqual(['on-a', 'on-b']);
    const apps = await getJson(`${c.url}/apps`);
    expect(apps.status).toBe(200);
    expect(apps.body.applications.apps__hashcode).toBe('UP_2_');
  });

  it('gives up waiting for unreachable peers after the sync timeout; peers may read meanwhile', async () => {
    const dead = await freePort();
    const lone = await start(0, [dead], { timings: { peerSyncTimeoutMs: 1_500 } });
    await register(lone.url, 'early');
    expect((await fetch(`${lone.url}/apps`, { headers: { accept: 'application/json' } })).status).toBe(403);
    expect((await fetch(`${lone.url}/apps/MYAPP`, { headers: { accept: 'application/json' } })).status).toBe(403);
    expect((await getJson(`${lone.url}/apps`, PEER)).status).toBe(200);
    expect(lone.synced).toBe(false);
    const outcome = await lone.whenSynced();
    expect(outcome.peer).toBeUndefined();
    const apps = await getJson(`${lone.url}/apps`);
    expect(apps.status).toBe(200);
    expect(apps.body.applications.application[0].instance[0].instanceId).toBe('early');
  });
});

describe('POST /peerreplication/batch/', () => {
  it('answers one slot per item, in order, with 500 only in the failing item\'s slot', async () => {
    const registry = await start(0, []);
    await register(registry.url, 'known', { lastDirtyTimestamp: '1800000000000' });
    const instanceInfo = springRegisterBody({ instanceId: 'new-1' }).instance;
    const replicationList = [
      { appName: 'MYAPP', id: 'new-1', lastDirtyTimestamp: 1_699_999_999_000, status: 'UP', instanceInfo, action: 'Register' },
      { appName: 'MYAPP', id: 'missing', lastDirtyTimestamp: 1, status: 'UP', action: 'Heartbeat' },
      { appName: 'MYAPP', id: 'known', lastDirtyTimestamp: 1_700_000_000_000, status: 'UP', action: 'Heartbeat' },
      { appName: 'MYAPP', id: 'known', action: 'Teleport' },
      { appName: 'MYAPP', id: 'new-1', status: 'OUT_OF_SERVICE', action: 'StatusUpdate' },
      'garbage',
      { appName: 'MYAPP', id: 'new-1', action: 'Cancel' },
      { appName: 'MYAPP', id: 'new-1', action: 'Cancel' },
    ];
    for (const mount of ['/eureka', '/eureka/v2']) {
      const response = await fetch(`http://127.0.0.1:${registry.port}${mount}/peerreplication/batch/`, {
        method: 'POST',
        headers: { ...JSON_HEADERS, ...PEER },
        body: JSON.stringify({ replicationList }),
      });
      expect(response.status).toBe(200);
      const { responseList } = (await response.json()) as { responseList: Array<{ statusCode: number; responseEntity?: { instanceId: string } }> };
      expect(responseList.map((r) => r.statusCode)).toEqual([200, 404, 409, 500, 200, 500, 200, 404]);
      expect(responseList[2].responseEntity).toMatchObject({ instanceId: 'known', lastDirtyTimestamp: '1800000000000' });
    }
    expect(ids(registry)).toEqual(['known']);
    const bad = await fetch(`${registry.url}/peerreplication/batch`, { method: 'POST', headers: JSON_HEADERS, body: '{"x":1}' });
    expect(bad.status).toBe(400);
  });
});
