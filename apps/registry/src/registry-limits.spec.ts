import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '@zonemesh/testing';
import { HTTP_SERVER_LIMITS } from '@zonemesh/runtime/http-server-limits';
import { type RegistryServerOptions, type RunningRegistry, startRegistryServer } from './registry-server.js';
import { DEFAULT_REGISTRY_LIMITS, type RegistryLimits } from './registry-limits.js';
import { springRegisterBody } from './spring-register-body.js';

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };
const PEER = { 'x-netflix-discovery-replication': 'true' };

let running: RunningRegistry[] = [];
let sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets = [];
  await Promise.all(running.map((r) => r.close()));
  running = [];
});

async function start(limits: Partial<RegistryLimits>, options: RegistryServerOptions = {}): Promise<RunningRegistry> {
  const registry = await startRegistryServer({ port: 0, limits: { ...DEFAULT_REGISTRY_LIMITS, ...limits }, ...options });
  running.push(registry);
  return registry;
}

function register(registry: RunningRegistry, app: string, id: string, extra: Record<string, unknown> = {}): Promise<Response> {
  return fetch(`${registry.url}/apps/${app}`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(springRegisterBody({ instanceId: id, app, ...extra })) });
}

function batch(registry: RunningRegistry, replicationList: unknown[]): Promise<Response> {
  return fetch(`${registry.url}/peerreplication/batch/`, { method: 'POST', headers: { ...JSON_HEADERS, ...PEER }, body: JSON.stringify({ replicationList }) });
}

async function rejected(registry: RunningRegistry): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${registry.port}/metrics`)).text();
  return Object.fromEntries([...text.matchAll(/^zonemesh_registry_rejected_total\{[^}]*reason="([^"]+)"[^}]*\} (\d+)/gm)].map((m) => [m[1], Number(m[2])]));
}

describe('registry limits', () => {
  it('caps instances per application and in total; a re-registration still passes', async () => {
    const registry = await start({ maxInstancesPerApp: 2, maxInstances: 3 });
    expect((await register(registry, 'A', 'a-1')).status).toBe(204);
    expect((await register(registry, 'A', 'a-2')).status).toBe(204);
    const third = await register(registry, 'A', 'a-3');
    expect(third.status).toBe(429);
    expect(await third.text()).toBe('registry limit exceeded: at most 2 instances per application (ZONEMESH_REGISTRY_MAX_INSTANCES_PER_APP)');
    expect((await register(registry, 'A', 'a-2', { metadata: { v: '2' } })).status).toBe(204);
    expect((await register(registry, 'B', 'b-1')).status).toBe(204);
    const fourth = await register(registry, 'B', 'b-2');
    expect(fourth.status).toBe(429);
    expect(await fourth.text()).toContain('ZONEMESH_REGISTRY_MAX_INSTANCES');
    // A peer cannot push past the caps either: the item's slot says why.
    const instanceInfo = springRegisterBody({ instanceId: 'b-3', app: 'B' }).instance;
    const response = await batch(registry, [{ appName: 'B', id: 'b-3', action: 'Register', instanceInfo }]);
    expect(await response.json()).toEqual({ responseList: [{ statusCode: 429 }] });
    expect(registry.store.size()).toBe(3);
    expect(await rejected(registry)).toEqual({ instances_per_app: 1, instances_total: 2 });
  });

  it('caps metadata entries and key/value size, on registration and on metadata updates', async () => {
    const registry = await start({ maxMetadataEntries: 3, maxMetadataValueBytes: 16 });
    const many = await register(registry, 'M', 'm-1', { metadata: { a: '1', b: '2', c: '3', d: '4' } });
    expect(many.status).toBe(413);
    expect(await many.text()).toContain('at most 3 metadata entries per instance (ZONEMESH_REGISTRY_MAX_METADATA_ENTRIES)');
    // 6 characters, 18 bytes: the limit counts bytes.
    expect((await register(registry, 'M', 'm-1', { metadata: { zone: '中中中中中中' } })).status).toBe(413);
    expect((await register(registry, 'M', 'm-1', { metadata: { zone: 'zone-a', b: '2' } })).status).toBe(204);
    const update = await fetch(`${registry.url}/apps/M/m-1/metadata?c=3&d=4`, { method: 'PUT' });
    expect(update.status).toBe(413);
    expect((await fetch(`${registry.url}/apps/M/m-1/metadata?b=${'x'.repeat(17)}`, { method: 'PUT' })).status).toBe(413);
    expect(registry.store.instance('M', 'm-1')?.metadata).toEqual({ zone: 'zone-a', b: '2' });
    expect((await fetch(`${registry.url}/apps/M/m-1/metadata?c=3`, { method: 'PUT' })).status).toBe(200);
    expect(await rejected(registry)).toEqual({ metadata_entries: 2, metadata_value_size: 2 });
  });

  it('caps application name and instance id length', async () => {
    const registry = await start({ maxIdLength: 20 });
    const longId = await register(registry, 'L', 'i'.repeat(21));
    expect(longId.status).toBe(400);
    expect(await longId.text()).toContain('(ZONEMESH_REGISTRY_MAX_ID_LENGTH)');
    expect((await register(registry, 'A'.repeat(21), 'ok')).status).toBe(400);
    expect((await register(registry, 'L', 'i'.repeat(20))).status).toBe(204);
    expect(registry.store.size()).toBe(1);
  });

  it('caps replication batches by items and bytes', async () => {
    const registry = await start({ maxBatchItems: 3, maxBatchBytes: 2_000 });
    const cancel = (id: string) => ({ appName: 'X', id, action: 'Cancel' });
    const tooMany = await batch(registry, [cancel('1'), cancel('2'), cancel('3'), cancel('4')]);
    expect(tooMany.status).toBe(413);
    expect(await tooMany.text()).toBe('registry limit exceeded: at most 3 items per replication batch (ZONEMESH_REGISTRY_MAX_BATCH_ITEMS)');
    const tooBig = await batch(registry, [{ ...cancel('1'), padding: 'p'.repeat(2_000) }]);
    expect(tooBig.status).toBe(413);
    expect(await tooBig.text()).toContain('(ZONEMESH_REGISTRY_MAX_BATCH_BYTES)');
    expect((await batch(registry, [cancel('1'), cancel('2'), cancel('3')])).status).toBe(200);
    expect(await rejected(registry)).toEqual({ replication_batch_items: 1, replication_batch_size: 1 });
  });

  it('defaults admit the 50k-instance bench (100 apps × 500, two metadata entries) with room to spare', () => {
    expect(DEFAULT_REGISTRY_LIMITS.maxInstances).toBeGreaterThanOrEqual(100_000);
    expect(DEFAULT_REGISTRY_LIMITS.maxInstancesPerApp).toBeGreaterThanOrEqual(50_000);
    // Eureka's replication batch is 250 actions.
    expect(DEFAULT_REGISTRY_LIMITS.maxBatchItems).toBeGreaterThanOrEqual(250);
  });
});

describe('registry HTTP server limits', () => {
  const openSocket = (port: number): Promise<Socket> =>
    new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(socket));
      socket.on('error', reject);
      sockets.push(socket);
    });
  const closed = (socket: Socket) => new Promise<void>((resolve) => (socket.closed ? resolve() : socket.once('close', () => resolve())));

  it('closes a socket that never finishes its request', async () => {
    const registry = await start({}, { httpLimits: { ...HTTP_SERVER_LIMITS, idleTimeoutMs: 300, requestTimeoutMs: 300 } });
    const socket = await openSocket(registry.port);
    socket.write('GET /eureka/apps HTTP/1.1\r\nHost: x\r\n');
    await closed(socket);
    expect((await fetch(`${registry.url}/apps`, { headers: { accept: 'application/json' } })).status).toBe(200);
  });

  it('refuses connections beyond maxConnections and serves again once one leaves', async () => {
    const registry = await start({}, { httpLimits: { ...HTTP_SERVER_LIMITS, maxConnections: 2 } });
    const first = await openSocket(registry.port);
    await openSocket(registry.port);
    const third = await openSocket(registry.port);
    // Node accepts, then destroys a socket over the cap without a byte.
    await closed(third);
    expect(third.bytesRead).toBe(0);
    first.destroy();
    await waitFor(
      async () => (await fetch(`${registry.url}/apps`, { headers: { accept: 'application/json' } }).then((r) => r.status, () => 0)) === 200,
      { what: 'a request served after a connection left' },
    );
  });
});
