import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clusterSnapshots } from '../admin/cluster-snapshots.js';
import { parseClusterConfig } from '../cluster/cluster-config.parse.js';
import { clusterTarget } from '../cluster/cluster-target.js';
import { ManualLbClock, systemLbClock, useLbClock } from '../lb-clock.js';
import { setupZonemeshLb } from '../setup.js';
import { zonemeshChannelOptions } from './zonemesh.config.js';
import { EchoServer, echoClient, tally, type EchoClient } from '../testing/echo-servers.test.js';
import { waitFor } from '../testing/wait-for.test.js';

const snapshot = (name: string) => clusterSnapshots().find((c) => c.cluster === name);

describe('connection resets, reconnects and failback timing', () => {
  let a1: EchoServer, b1: EchoServer;
  const clients: EchoClient[] = [];
  const cleanups: Array<() => void> = [];

  beforeAll(async () => {
    setupZonemeshLb();
    [a1, b1] = await Promise.all([EchoServer.start('a1'), EchoServer.start('b1')]);
  });
  afterEach(async () => {
    clients.splice(0).forEach((c) => c.close());
    cleanups.splice(0).forEach((c) => c());
    for (const s of [a1, b1]) {
      s.delayMs = 0;
      s.failWith = undefined;
      await s.restart().catch(() => undefined); // running already: fine
    }
  });
  afterAll(() => [a1, b1].forEach((s) => s.stop()));

  function connect(name: string, extra: Record<string, unknown>, options: { keepBackoff?: boolean } = {}): EchoClient {
    const cluster = parseClusterConfig(
      {
        name,
        type: 'static',
        endpoints: [
          { address: a1.address, id: 'a1', zone: 'zone-a' },
          { address: b1.address, id: 'b1', zone: 'zone-b' },
        ],
        outlier_detection: { enabled: false },
        ...extra,
      },
      'cluster',
    );
    const client = echoClient(clusterTarget(cluster), zonemeshChannelOptions({ zone: 'zone-a', cluster }), options);
    clients.push(client);
    return client;
  }

  /** `count` calls in flight on a1 (it answers slowly) when a1 is force-shut: what did the callers see? */
  async function killWithCallsInFlight(client: EchoClient, count: number): Promise<string[]> {
    await waitFor(async () => (await client.who()) === 'a1', { what: 'a1 serving' });
    a1.delayMs = 2_000;
    const seen = a1.calls;
    const calls = Array.from({ length: count }, () => client.who(10_000).catch((e: { code: number; details: string }) => `error:${e.code}:${e.details}`));
    await waitFor(() => a1.calls - seen >= count, { what: 'calls in flight on a1' });
    a1.stop();
    return Promise.all(calls);
  }

  it('control: without a retry policy, calls in flight on a force-closed connection fail', async () => {
    cleanups.push(useLbClock(systemLbClock, () => 0));
    const client = connect('reset-no-retry', { lb_policy: 'random' });
    const results = await killWithCallsInFlight(client, 20);
    const failed = results.filter((r) => r.startsWith('error:'));
    expect(failed.length).toBe(20);
    // grpc-js reports them as CANCELLED ("Call cancelled") or UNAVAILABLE, depending on which event wins.
    expect(failed.every((r) => r.startsWith('error:1:') || r.startsWith('error:14:'))).toBe(true);
  });

  it('retries calls cut by a connection reset (CANCELLED from the transport) on another endpoint: none fails', async () => {
    cleanups.push(useLbClock(systemLbClock, () => 0));
    const client = connect('reset-retry', { lb_policy: 'random', retry_policy: { max_attempts: 3, base_interval: '10ms', max_interval: '50ms', budget_percent: 100 } });
    const results = await killWithCallsInFlight(client, 20);
    expect(results).toEqual(Array(20).fill('b1'));
  });

  it('keeps every retry of a zone-wide failure within a budget share that allows them (calls waiting to retry count as active)', async () => {
    cleanups.push(useLbClock(systemLbClock, () => 0));
    const client = connect('budget-zone', {
      lb_policy: 'random',
      retry_policy: { max_attempts: 2, base_interval: '10ms', max_interval: '20ms', budget_percent: 100, min_retry_concurrency: 3 },
    });
    await waitFor(async () => (await client.who()) === 'a1', { what: 'a1 serving' });
    await waitFor(() => snapshot('budget-zone')?.endpoints.every((e) => e.state === 'READY') ?? false, { what: 'both READY' });
    a1.failWith = 14; // zone-a answers UNAVAILABLE at once...
    b1.delayMs = 300; // ...while retries pile up on zone-b
    const results = await Promise.all(Array.from({ length: 30 }, () => client.who(10_000).catch((e: { details: string }) => `error:${e.details}`)));
    expect(results).toEqual(Array(30).fill('b1'));
  });

  const HEALTH = { grpc_health_check: {}, interval: '1s', timeout: '500ms', unhealthy_threshold: 1, healthy_threshold: 2 };
  const endpointOf = (name: string, id: string) => snapshot(name)?.endpoints.find((e) => e.id === id);
  /** Runs the first health checks (due at once on the manual clock) until a1 is healthy and connected. */
  const healthyAndReady = (clock: ManualLbClock, name: string): boolean => {
    clock.advance(0);
    const a = endpointOf(name, 'a1');
    return a?.health === 'healthy' && a.state === 'READY';
  };

  it('fails back failed_instance_ttl after the outage ended, not after the recovery checks (manual clock)', async () => {
    const clock = new ManualLbClock();
    cleanups.push(useLbClock(clock, () => 0));
    const TTL = 10_000;
    const client = connect('failback-ttl', { health_checks: [HEALTH], zone_failover: { failed_instance_ttl: '10s' } });
    await client.who(); // the channel resolves and creates its health checker
    await waitFor(() => healthyAndReady(clock, 'failback-ttl'), { what: 'a1 healthy' });
    expect(await client.who()).toBe('a1');

    /** Advances the clock by one check interval and waits for a1's check to be answered. */
    const check = async (what: string) => {
      const checks = [a1.healthChecks, b1.healthChecks];
      clock.advance(1_000);
      // Both answered before the clock moves on: a check in flight must not time out on a clock jump.
      await waitFor(() => a1.healthChecks > checks[0]! && b1.healthChecks > checks[1]!, { what });
    };
    // t0..t1: a1 fails its health checks for 3 s of clock time (its traffic port stays open).
    a1.healthStatus = 'NOT_SERVING';
    await check('failing check 1');
    await waitFor(() => endpointOf('failback-ttl', 'a1')?.health === 'unhealthy', { what: 'a1 unhealthy' });
    expect(await client.who()).toBe('b1');
    await check('failing check 2');
    await check('failing check 3');
    const t1 = clock.now();

    // t1: a1 recovers. It needs healthy_threshold (2) passing checks, one per second.
    a1.healthStatus = 'SERVING';
    await check('recovery check 1');
    await check('recovery check 2');
    await waitFor(() => endpointOf('failback-ttl', 'a1')?.health === 'healthy', { what: 'a1 healthy again' });
    // Cached from the last failed check (t1), not from the end of the recovery checks (t1 + 2 s).
    expect(endpointOf('failback-ttl', 'a1')!.failedInstanceUntil).toBe(new Date(t1 + TTL).toISOString());
    expect(await client.who()).toBe('b1');

    while (clock.now() + 1_000 < t1 + TTL) await check('quiet check');
    clock.advance(t1 + TTL - clock.now() - 1);
    expect(await client.who()).toBe('b1');
    clock.advance(1);
    await waitFor(() => snapshot('failback-ttl')?.tier === 'local', { what: 'zone-a back at t1 + TTL' });
    expect([...(await tally(client, 6)).keys()]).toEqual(['a1']);
  });

  it('reconnects as soon as a health check sees the endpoint again, not at the end of the reconnect backoff', async () => {
    const clock = new ManualLbClock();
    cleanups.push(useLbClock(clock, () => 0));
    const cluster = parseClusterConfig(
      {
        name: 'reset-backoff',
        type: 'static',
        endpoints: [
          { address: a1.address, id: 'a1', zone: 'zone-a' },
          { address: b1.address, id: 'b1', zone: 'zone-b' },
        ],
        outlier_detection: { enabled: false },
        health_checks: [{ ...HEALTH, interval: '60s' }],
        max_reconnect_backoff: '60s',
        zone_failover: { failed_instance_ttl: '0s' },
      },
      'cluster',
    );
    // A 30 s first reconnect backoff: without the reset, a1 stays disconnected far beyond the test's deadline.
    const options = { ...zonemeshChannelOptions({ zone: 'zone-a', cluster }), 'grpc.initial_reconnect_backoff_ms': 30_000 };
    const client = echoClient(clusterTarget(cluster), options, { keepBackoff: true });
    clients.push(client);
    expect(options['grpc.max_reconnect_backoff_ms']).toBe(60_000);
    await client.who();
    await waitFor(() => healthyAndReady(clock, 'reset-backoff'), { what: 'a1 healthy' });

    a1.stop();
    await waitFor(() => endpointOf('reset-backoff', 'a1')?.state === 'TRANSIENT_FAILURE', { what: 'a1 down' });
    clock.advance(60_000);
    await waitFor(() => endpointOf('reset-backoff', 'a1')?.health === 'unhealthy', { what: 'a1 unhealthy' });
    await a1.restart();
    for (let i = 1; i <= 2; i += 1) {
      const checks = a1.healthChecks;
      clock.advance(60_000);
      await waitFor(() => a1.healthChecks > checks, { what: `recovery check ${i}` });
    }
    await waitFor(() => endpointOf('reset-backoff', 'a1')?.state === 'READY', { what: 'a1 reconnected right after turning healthy', timeoutMs: 5_000 });
    await waitFor(async () => (await client.who()) === 'a1', { what: 'a1 serving' });
  });
});
