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
import { EchoServer, echoClient, type EchoClient } from '../testing/echo-servers.test.js';
import { waitFor } from '../testing/wait-for.test.js';

describe('outlier detection (passive) on real calls', () => {
  let s1: EchoServer, s2: EchoServer;
  const clients: EchoClient[] = [];
  const cleanups: Array<() => void> = [];
  let clock: ManualLbClock;

  beforeAll(async () => {
    setupZonemeshLb();
    [s1, s2] = await Promise.all([EchoServer.start('s1'), EchoServer.start('s2')]);
  });
  afterEach(() => {
    clients.splice(0).forEach((c) => c.close());
    cleanups.splice(0).forEach((c) => c());
    s1.failWith = undefined;
    s2.failWith = undefined;
  });
  afterAll(() => [s1, s2].forEach((s) => s.stop()));

  function connect(name: string, outlier: Record<string, unknown>): EchoClient {
    clock = new ManualLbClock();
    cleanups.push(useLbClock(clock));
    const cluster = parseClusterConfig(
      {
        name,
        type: 'static',
        endpoints: [s1, s2].map((s) => ({ address: s.address, id: s.id })),
        outlier_detection: outlier,
        zone_failover: { failed_instance_ttl: '0s' },
      },
      'cluster',
    );
    const client = echoClient(clusterTarget(cluster), zonemeshChannelOptions({ cluster }));
    clients.push(client);
    client.client.getChannel().getConnectivityState(true); // leave IDLE: the policy then connects every endpoint
    return client;
  }
  const snapshot = (name: string) => clusterSnapshots().find((c) => c.cluster === name)!;
  const endpoint = (name: string, id: string) => snapshot(name).endpoints.find((e) => e.id === id)!;
  /** Runs `count` calls, returning who answered or the error code. */
  async function run(client: EchoClient, count: number): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < count; i += 1) out.push(await client.who().catch((e: { code: number }) => `error:${e.code}`));
    return out;
  }

  it('ejects on the failing response that completes the streak (no timer tick), for base x count, then brings it back', async () => {
    const events: LbEvent[] = [];
    cleanups.push(addLbLifecycle({ onEvent: (e) => events.push(e) }));
    const client = connect('consecutive', { consecutive_errors: 3, base_ejection_time: '30s', interval: '10s' });
    await waitFor(() => snapshot('consecutive')?.endpoints.every((e) => e.state === 'READY') ?? false, { what: 'READY' });
    s1.failWith = 14;
    const results = await run(client, 6); // round robin: 3 failures of s1 among 6 calls
    expect(results.filter((r) => r === 'error:14')).toHaveLength(3);
    // No clock advance happened: ejection came from the third failing response itself.
    expect(endpoint('consecutive', 's1').outlier).toMatchObject({ ejected: true, reason: 'consecutive_errors', ejectionCount: 1 });
    expect(endpoint('consecutive', 's1').outlier.ejectedUntil).toBe(new Date(clock.now() + 30_000).toISOString());
    expect(new Set(await run(client, 10))).toEqual(new Set(['s2']));
    expect(events.find((e) => e.type === 'ejected')).toMatchObject({ cluster: 'consecutive', reason: 'consecutive_errors' });

    s1.failWith = undefined;
    clock.advance(29_999);
    expect(endpoint('consecutive', 's1').outlier.ejected).toBe(true);
    clock.advance(1);
    expect(endpoint('consecutive', 's1').outlier.ejected).toBe(false);
    expect(new Set(await run(client, 10))).toEqual(new Set(['s1', 's2']));

    // A second streak soon after: the ejection time doubles (base x consecutive ejections).
    s1.failWith = 14;
    await run(client, 6);
    expect(endpoint('consecutive', 's1').outlier).toMatchObject({ ejected: true, ejectionCount: 2 });
    expect(endpoint('consecutive', 's1').outlier.ejectedUntil).toBe(new Date(clock.now() + 60_000).toISOString());
  });

  it('does not eject a two-host cluster at max_ejection_percent 10 unless always_eject_one (the Envoy trap)', async () => {
    const client = connect('trap', { consecutive_errors: 2, always_eject_one: false });
    await waitFor(() => snapshot('trap')?.endpoints.every((e) => e.state === 'READY') ?? false, { what: 'READY' });
    s1.failWith = 14;
    const results = await run(client, 10);
    expect(results.filter((r) => r === 'error:14')).toHaveLength(5);
    expect(endpoint('trap', 's1').outlier.ejected).toBe(false);
  });

  it('ignores application errors that are not failure codes', async () => {
    const client = connect('app-errors', { consecutive_errors: 2 });
    await waitFor(() => snapshot('app-errors')?.endpoints.every((e) => e.state === 'READY') ?? false, { what: 'READY' });
    s1.failWith = 5; // NOT_FOUND
    await run(client, 10);
    expect(endpoint('app-errors', 's1').outlier.ejected).toBe(false);
  });

  it('un-ejects at once when an active health check turns the host healthy', async () => {
    const listeners = new Set<(id: string) => void>();
    let healthy: boolean | undefined = undefined;
    const view: EndpointHealthView = {
      isHealthy: (id) => (id === 's1' ? healthy : undefined),
      onChange: (l) => (listeners.add(l), () => listeners.delete(l)),
    };
    cleanups.push(registerEndpointHealthView('health-uneject', view));
    const client = connect('health-uneject', { consecutive_errors: 2, base_ejection_time: '5m' });
    await waitFor(() => snapshot('health-uneject')?.endpoints.every((e) => e.state === 'READY') ?? false, { what: 'READY' });
    s1.failWith = 14;
    await run(client, 4);
    expect(endpoint('health-uneject', 's1').outlier.ejected).toBe(true);
    s1.failWith = undefined;
    healthy = true;
    listeners.forEach((l) => l('s1'));
    expect(endpoint('health-uneject', 's1').outlier.ejected).toBe(false);
    expect(new Set(await run(client, 6))).toEqual(new Set(['s1', 's2']));
  });
});
