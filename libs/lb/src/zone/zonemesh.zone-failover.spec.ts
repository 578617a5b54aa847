import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clusterSnapshots } from '../admin/cluster-snapshots.js';
import { parseClusterConfig } from '../cluster/cluster-config.parse.js';
import { clusterTarget } from '../cluster/cluster-target.js';
import type { EndpointHealthView } from '../health/endpoint-health.view.js';
import { registerEndpointHealthView } from '../health/health-view.registry.js';
import { ManualLbClock, useLbClock } from '../lb-clock.js';
import { addLbLifecycle, type LbEvent } from '../lifecycle/lb-lifecycle.js';
import { setupZonemeshLb } from '../setup.js';
import { zonemeshChannelOptions } from '../policy/zonemesh.config.js';
import { EchoServer, echoClient, tally, type EchoClient } from '../testing/echo-servers.test.js';
import { waitFor } from '../testing/wait-for.test.js';

/** A health view the test sets by hand, as an active health checker would. */
class FakeHealth implements EndpointHealthView {
  private readonly states = new Map<string, boolean>();
  private readonly listeners = new Set<(id: string) => void>();
  isHealthy(id: string): boolean | undefined {
    return this.states.get(id);
  }
  onChange(listener: (id: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  set(id: string, healthy: boolean): void {
    this.states.set(id, healthy);
    for (const l of this.listeners) l(id);
  }
}

describe('zone failover, failed-instance cache and panic', () => {
  let servers: EchoServer[];
  const clients: EchoClient[] = [];
  const cleanups: Array<() => void> = [];
  let clock: ManualLbClock;

  beforeAll(async () => {
    setupZonemeshLb();
    servers = await Promise.all(['a1', 'a2', 'a3', 'b1', 'b2', 'b3'].map((id) => EchoServer.start(id)));
  });
  afterEach(() => {
    clients.splice(0).forEach((c) => c.close());
    cleanups.splice(0).forEach((c) => c());
  });
  afterAll(() => servers.forEach((s) => s.stop()));

  function connect(name: string, extra: Record<string, unknown> = {}, count = 6): EchoClient {
    clock = new ManualLbClock();
    cleanups.push(useLbClock(clock, () => 0.5));
    const cluster = parseClusterConfig(
      {
        name,
        type: 'static',
        endpoints: servers.slice(0, count).map((s) => ({ address: s.address, zone: `zone-${s.id[0]}`, id: s.id })),
        ...extra,
      },
      'cluster',
    );
    const client = echoClient(clusterTarget(cluster), zonemeshChannelOptions({ zone: 'zone-a', cluster }));
    clients.push(client);
    return client;
  }
  const snapshot = (name: string) => clusterSnapshots().find((c) => c.cluster === name)!;
  const allReady = (name: string) =>
    waitFor(() => snapshot(name)?.endpoints.every((e) => e.state === 'READY') ?? false, { what: `${name} READY`, timeoutMs: 15_000 });

  it('fails over when the own zone dies and fails back only after failed_instance_ttl, not when it reconnects', async () => {
    const events: LbEvent[] = [];
    cleanups.push(addLbLifecycle({ onEvent: (e) => events.push(e) }));
    const client = connect('failback', { zone_failover: { failed_instance_ttl: '10s' } });
    await client.who();
    await allReady('failback');
    expect(snapshot('failback').tier).toBe('local');

    const zoneA = servers.slice(0, 3);
    zoneA.forEach((s) => s.stop());
    await waitFor(async () => (await client.who()).startsWith('b'), { what: 'zone-b serving' });
    await waitFor(() => snapshot('failback').tier === 'remote', { what: 'tier remote' });
    expect([...(await tally(client, 12)).keys()].every((id) => id.startsWith('b'))).toBe(true);

    await Promise.all(zoneA.map((s) => s.restart()));
    await allReady('failback');
    // Connected again, but still in the failed-instance cache: no flapping back.
    expect([...(await tally(client, 12)).keys()].every((id) => id.startsWith('b'))).toBe(true);
    const cached = snapshot('failback').endpoints.filter((e) => e.failedInstanceUntil !== undefined).map((e) => e.id);
    expect(cached.sort()).toEqual(['a1', 'a2', 'a3']);

    clock.advance(10_000);
    await waitFor(() => snapshot('failback').tier === 'local', { what: 'tier local after the TTL' });
    expect([...(await tally(client, 12)).keys()].every((id) => id.startsWith('a'))).toBe(true);
    const planEvents = events.filter((e) => e.type === 'zone-plan' && e.cluster === 'failback').map((e) => (e as { tier: string }).tier);
    expect(planEvents).toContain('remote');
    expect(planEvents.at(-1)).toBe('local');
    expect(events.some((e) => e.type === 'failed-instance-expired' && e.cluster === 'failback')).toBe(true);
  });

  it('spills part of the traffic when the own zone drops below the healthy threshold (health checks)', async () => {
    const health = new FakeHealth();
    cleanups.push(registerEndpointHealthView('spill', health));
    const client = connect('spill', { zone_failover: { failed_instance_ttl: '0s' } });
    await client.who();
    await allReady('spill');
    health.set('a1', false); // 2 of 3 healthy = 67% < 72%: own zone keeps 0.667/0.72 = 92.6%
    await waitFor(() => snapshot('spill').tier === 'spill', { what: 'tier spill' });
    const s = snapshot('spill');
    expect(s.spillShare).toBeCloseTo(1 - 2 / 3 / 0.72, 2);
    expect(s.plans[0]!.zoneLoads['zone-b']).toBeCloseTo(1 - 2 / 3 / 0.72, 2);
    expect(s.endpoints.find((e) => e.id === 'a1')).toMatchObject({ health: 'unhealthy', serving: false });
    // random() is pinned at 0.5 < 0.926: the draw lands in zone-a, never on the unhealthy a1.
    const counts = await tally(client, 12);
    expect([...counts.keys()].sort()).toEqual(['a2', 'a3']);
    health.set('a1', true);
    await waitFor(() => snapshot('spill').tier === 'local', { what: 'tier local again (TTL 0)' });
  });

  it('panics below the panic threshold and balances over every connected endpoint', async () => {
    const health = new FakeHealth();
    cleanups.push(registerEndpointHealthView('panic', health));
    const client = connect('panic', { zone_failover: { panic_threshold: 0.5, failed_instance_ttl: '0s' } }, 3);
    await client.who();
    await allReady('panic');
    health.set('a1', false);
    health.set('a2', false); // 1 of 3 healthy < 50%
    await waitFor(() => snapshot('panic').panic, { what: 'panic' });
    expect(snapshot('panic').tier).toBe('panic');
    const counts = await tally(client, 30);
    expect([...counts.keys()].sort()).toEqual(['a1', 'a2', 'a3']);
  });
});
