import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualLbClock } from '@zonemesh/lb';
import { freePort, WORKSPACE_ROOT, type RegistryProcess } from '@zonemesh/testing';
import { stringify } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSync, type RunningSync } from './sync-app.js';
import { parseSyncConfig } from './sync-config.js';
import {
  build,
  instanceKeys,
  killHard,
  listInstances,
  registerDirectly,
  spawnWithEvent,
  startRegistry,
  waitFor,
} from './testing/registry-process.test.js';

const LEASE_SECS = 3;
let dir: string;
let registryA: RegistryProcess;
let registryB: RegistryProcess;
let portA: number;
let portB: number;
const running: RunningSync[] = [];
let logs: Array<Record<string, unknown>> = [];

function instancesFile(name: string, instances: Array<{ app: string; id: string; port: number; zone?: string; metadata?: Record<string, string> }>): string {
  const file = join(dir, name);
  writeFileSync(file, stringify({ instances: instances.map((i) => ({ host: '127.0.0.1', zone: 'zone-a', ...i })) }));
  return file;
}

function configDocument(id: string, file: string, ttl = '20m'): Record<string, unknown> {
  return {
    id,
    zone: 'zone-a',
    eureka: {
      servers: [
        { zone: 'zone-a', url: `http://127.0.0.1:${portA}/eureka` },
        { zone: 'zone-b', url: `http://127.0.0.1:${portB}/eureka` },
      ],
      connect_timeout: '1s',
      read_timeout: '2s',
      zone_failover: { failed_instance_ttl: ttl },
    },
    lease: { renewal_interval: '500ms', duration: `${LEASE_SECS}s` },
    source: { type: 'static', path: file, debounce: '50ms' },
  };
}

function sync(id: string, file: string, options: { clock?: ManualLbClock; ttl?: string } = {}): RunningSync {
  const started = startSync(parseSyncConfig(configDocument(id, file, options.ttl), dir), {
    log: (event, fields) => logs.push({ event, ...fields }),
    clock: options.clock,
  });
  running.push(started);
  return started;
}

const syncedBy = (id: string) => (i: { metadata: Record<string, string> }) => i.metadata['zonemesh.synced-by'] === id;

beforeAll(async () => {
  await build('apps/registry');
  dir = mkdtempSync(join(tmpdir(), 'registry-sync-'));
  [portA, portB] = [await freePort(), await freePort()];
  [registryA, registryB] = await Promise.all([startRegistry('zone-a', portA, [portB]), startRegistry('zone-b', portB, [portA])]);
}, 120_000);

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.stop()));
  logs = [];
});

afterAll(async () => {
  await Promise.all([registryA?.kill(), registryB?.kill()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('registry-sync with a static file', () => {
  it('registers, updates and unregisters what the file lists; a malformed file keeps the last good state', async () => {
    const file = instancesFile('crud.yaml', [
      { app: 'reviews', id: 'reviews-1', port: 9101 },
      { app: 'reviews', id: 'reviews-2', port: 9102, zone: 'zone-b' },
    ]);
    sync('crud', file);
    await waitFor(async () => (await instanceKeys(registryA.url, syncedBy('crud'))).length === 2, { what: 'both registered' });
    const listed = (await listInstances(registryA.url))!.filter(syncedBy('crud'));
    expect(listed.find((i) => i.id === 'reviews-2')!.metadata.zone).toBe('zone-b');
    // Replicated to the other zone's registry too.
    await waitFor(async () => (await instanceKeys(registryB.url, syncedBy('crud'))).length === 2, { what: 'replicated to zone-b' });

    instancesFile('crud.yaml', [{ app: 'reviews', id: 'reviews-1', port: 9111 }]);
    await waitFor(
      async () => {
        const now = (await listInstances(registryA.url))!.filter(syncedBy('crud'));
        return now.length === 1 && now[0]!.port === 9111;
      },
      { what: 'port change and removal' },
    );

    writeFileSync(file, 'instances: [ {app: reviews, port: 80');
    await waitFor(() => logs.some((l) => l.event === 'source-error'), { what: 'source error logged' });
    expect(String(logs.find((l) => l.event === 'source-error')!.error)).toContain('crud.yaml');
    writeFileSync(file, stringify({ instances: [{ app: 'reviews', host: '127.0.0.1', port: 1 }, { app: 'reviews', host: '127.0.0.1', port: 1 }] }));
    await waitFor(() => logs.some((l) => String(l.error).includes('listed twice')), { what: 'duplicate logged' });
    expect(await instanceKeys(registryA.url, syncedBy('crud'))).toEqual(['REVIEWS/reviews-1']);
  });

  it('keeps leases alive past the lease duration with heartbeats', async () => {
    const file = instancesFile('lease.yaml', [{ app: 'ratings', id: 'ratings-1', port: 9201 }]);
    sync('lease', file);
    await waitFor(async () => (await instanceKeys(registryA.url, syncedBy('lease'))).length === 1, { what: 'registered' });
    // A control instance nobody renews: once it is evicted, more than a lease has passed.
    await registerDirectly(registryA.url, 'control', 'control-1', 9299, LEASE_SECS);
    await waitFor(async () => (await instanceKeys(registryA.url, (i) => i.id === 'control-1')).length === 0, { what: 'control evicted', timeoutMs: 20_000 });
    expect(await instanceKeys(registryA.url, syncedBy('lease'))).toEqual(['RATINGS/ratings-1']);
  });

  it('after kill -9 and a changed source, a restarted syncer leaves exactly the source instances', async () => {
    instancesFile('restart.yaml', [
      { app: 'reviews', id: 'r-keep', port: 9301 },
      { app: 'reviews', id: 'r-gone', port: 9302 },
    ]);
    const configFile = join(dir, 'restart-sync.yaml');
    writeFileSync(configFile, stringify({ ...configDocument('restart', 'restart.yaml'), lease: { renewal_interval: '500ms', duration: '30s' } }));
    // Someone else's registration must survive our reconciliation.
    await registerDirectly(registryA.url, 'reviews', 'r-foreign', 9399, 30, { 'zonemesh.synced-by': 'another-syncer' });
    await build('apps/registry-sync');
    const main = `${WORKSPACE_ROOT}apps/registry-sync/dist/main.js`;
    const first = await spawnWithEvent(main, ['--config', configFile], 'started');
    await waitFor(async () => (await instanceKeys(registryA.url, syncedBy('restart'))).length === 2, { what: 'first run registered' });
    await killHard(first.child);

    instancesFile('restart.yaml', [
      { app: 'reviews', id: 'r-keep', port: 9301 },
      { app: 'reviews', id: 'r-new', port: 9303 },
    ]);
    // Leases of 30 s: without reconciliation r-gone would still be listed for the whole test.
    const second = await spawnWithEvent(main, ['--config', configFile], 'started');
    try {
      await waitFor(async () => (await instanceKeys(registryA.url, syncedBy('restart'))).join() === 'REVIEWS/r-keep,REVIEWS/r-new', {
        what: 'exactly the source instances',
      });
      await waitFor(() => second.output.some((l) => l.includes('"startup-reconciled"')), { what: 'reconcile log' });
      expect(second.output.find((l) => l.includes('"startup-reconciled"'))).toContain('"removed":1');
      expect(await instanceKeys(registryA.url, (i) => i.id === 'r-foreign')).toEqual(['REVIEWS/r-foreign']);
    } finally {
      await killHard(second.child);
    }
  });

  it('keeps every instance alive through zone-b while zone-a is down, and returns to zone-a only after the TTL', async () => {
    const clock = new ManualLbClock(Date.now());
    const file = instancesFile('failover.yaml', [
      { app: 'reviews', id: 'f-1', port: 9401 },
      { app: 'reviews', id: 'f-2', port: 9402, zone: 'zone-b' },
    ]);
    const syncer = sync('failover', file, { clock, ttl: '1m' });
    await waitFor(async () => (await instanceKeys(registryB.url, syncedBy('failover'))).length === 2, { what: 'registered and replicated' });
    const zoneStats = (zone: string) => syncer.registries.snapshot().endpoints.find((e) => e.zone === zone)!;
    expect(zoneStats('zone-b').requests).toBe(0);

    await registryA.kill();
    await waitFor(() => zoneStats('zone-a').failedUntil !== undefined, { what: 'zone-a registry cached as failed' });
    await registerDirectly(registryB.url, 'control', 'control-2', 9499, LEASE_SECS);
    await waitFor(async () => (await instanceKeys(registryB.url, (i) => i.id === 'control-2')).length === 0, { what: 'control evicted', timeoutMs: 20_000 });
    expect(await instanceKeys(registryB.url, syncedBy('failover'))).toEqual(['REVIEWS/f-1', 'REVIEWS/f-2']);
    expect(logs.some((l) => l.event === 'heartbeat-failed')).toBe(false);

    registryA = await startRegistry('zone-a', portA, [portB]);
    const zoneARequests = zoneStats('zone-a').requests;
    const zoneBRequests = zoneStats('zone-b').requests;
    await waitFor(() => zoneStats('zone-b').requests >= zoneBRequests + 4, { what: 'more heartbeats through zone-b' });
    expect(zoneStats('zone-a').requests).toBe(zoneARequests);

    clock.advance(60_000);
    await waitFor(() => zoneStats('zone-a').succeeded > 0, { what: 'back to the zone-a registry' });
    const bAfter = zoneStats('zone-b').requests;
    await waitFor(() => zoneStats('zone-a').succeeded >= 4, { what: 'heartbeats through zone-a' });
    expect(zoneStats('zone-b').requests).toBe(bAfter);
    await waitFor(async () => (await instanceKeys(registryA.url, syncedBy('failover'))).length === 2, { what: 'zone-a registry holds them again' });
  });
});
