import type { HttpBalancerSnapshot } from '@zonemesh/lb/http';
import { connect, type Socket } from 'node:net';
import { HTTP_SERVER_LIMITS } from '@zonemesh/runtime/http-server-limits';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncerState } from '../sync/registry-syncer.js';
import { startSyncAdminServer, type SyncAdminServer } from './sync-admin.server.js';
import { syncStatus } from './sync-status.js';

const registries = (failedUntil?: number): HttpBalancerSnapshot => ({
  name: 'eureka',
  zone: 'zone-a',
  lbPolicy: 'round_robin',
  failedInstanceTtlMs: 10_000,
  tier: failedUntil === undefined ? 'local' : 'remote',
  endpoints: [
    { id: 'zone-a/127.0.0.1:1', address: '127.0.0.1:1', zone: 'zone-a', local: true, failedUntil, requests: 5, inFlight: 0, succeeded: 3, failed: 2 },
    { id: 'zone-b/127.0.0.1:2', address: '127.0.0.1:2', zone: 'zone-b', local: false, failedUntil: undefined, requests: 4, inFlight: 0, succeeded: 4, failed: 0 },
  ],
} as unknown as HttpBalancerSnapshot);

const state = (over: Partial<SyncerState> = {}): SyncerState => ({
  sourceReady: true,
  startupCleanupDone: true,
  desired: ['REVIEWS/r-1', 'REVIEWS/r-2'],
  registered: ['REVIEWS/r-1', 'REVIEWS/r-2'],
  pending: [],
  ...over,
});

describe('sync admin server', () => {
  let server: SyncAdminServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('is ready (200) only once every source instance is registered and the previous run is cleaned up', async () => {
    let current = state({ startupCleanupDone: false });
    server = await startSyncAdminServer('127.0.0.1', 0, () => syncStatus('sync-1', current, registries()));
    expect((await fetch(`${server.url}/healthz`)).status).toBe(503);
    current = state({ pending: ['REVIEWS/r-2'] });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(503);
    current = state({ registered: ['REVIEWS/r-1'] });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(503);
    current = state();
    const ready = await fetch(`${server.url}/healthz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ inSync: true, desired: 2, registered: 2, pending: 0 });
  });

  it('shows which registry is used and which is avoided, as JSON and as metrics', async () => {
    const until = Date.now() + 10_000;
    server = await startSyncAdminServer('127.0.0.1', 0, () => syncStatus('sync-1', state(), registries(until)));
    const status = (await (await fetch(`${server.url}/status`)).json()) as { id: string; inSync: boolean; registries: { tier: string; endpoints: { zone: string; failedUntil?: number }[] } };
    expect(status).toMatchObject({ id: 'sync-1', inSync: true, registries: { tier: 'remote' } });
    expect(status.registries.endpoints.map((e) => [e.zone, e.failedUntil])).toEqual([['zone-a', until], ['zone-b', undefined]]);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('zonemesh_sync_registered_instances 2\n');
    expect(metrics).toContain('zonemesh_sync_registry_avoided{registry="zone-a/127.0.0.1:1",registry_zone="zone-a"} 1\n');
    expect(metrics).toContain('zonemesh_sync_registry_avoided{registry="zone-b/127.0.0.1:2",registry_zone="zone-b"} 0\n');
    expect(metrics).toContain('zonemesh_sync_registry_failures_total{registry="zone-a/127.0.0.1:1",registry_zone="zone-a"} 2\n');
    expect((await fetch(`${server.url}/nope`)).status).toBe(404);
  });

  it('closes a socket that never finishes its request and refuses connections over the cap', async () => {
    const limits = { ...HTTP_SERVER_LIMITS, idleTimeoutMs: 300, requestTimeoutMs: 300, maxConnections: 1 };
    server = await startSyncAdminServer('127.0.0.1', 0, () => syncStatus('sync-1', state(), registries()), limits);
    const { port } = new URL(server.url);
    const open = () =>
      new Promise<Socket>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => resolve(socket));
        socket.on('error', reject);
      });
    const closed = (socket: Socket) => new Promise<void>((resolve) => (socket.closed ? resolve() : socket.once('close', () => resolve())));
    const slow = await open();
    slow.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    const over = await open();
    await closed(over);
    expect(over.bytesRead).toBe(0);
    // The half-sent request is cut by the request timeout, freeing the one slot.
    await closed(slow);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
