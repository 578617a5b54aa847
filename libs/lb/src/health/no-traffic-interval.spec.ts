import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseClusterConfig } from '../cluster/cluster-config.parse.js';
import { clusterTarget } from '../cluster/cluster-target.js';
import { ManualLbClock, useLbClock } from '../lb-clock.js';
import { zonemeshChannelOptions } from '../policy/zonemesh.config.js';
import { setupZonemeshLb } from '../setup.js';
import { EchoServer, echoClient, type EchoClient } from '../testing/echo-servers.test.js';
import { waitFor } from '../testing/wait-for.test.js';

/**
 * `health_checks[].no_traffic_interval` on a real channel, time on a manual
 * clock: until the channel's first call its endpoints are checked at
 * no_traffic_interval (Envoy: a cluster that has never had traffic), from
 * the first call on at `interval`, the parked host at once.
 */
describe('no_traffic_interval on a zonemesh channel', () => {
  let server: EchoServer;
  let client: EchoClient | undefined;
  let restore: (() => void) | undefined;

  beforeAll(async () => {
    setupZonemeshLb();
    server = await EchoServer.start('a1');
  });
  afterEach(() => {
    client?.close();
    restore?.();
  });
  afterAll(() => server.stop());

  function connect(name: string, check: Record<string, unknown>): ManualLbClock {
    const clock = new ManualLbClock();
    restore = useLbClock(clock, () => 0);
    const cluster = parseClusterConfig(
      { name, type: 'static', endpoints: [{ address: server.address, zone: 'zone-a', id: 'a1' }], outlier_detection: { enabled: false }, health_checks: [{ grpc_health_check: {}, interval: '1s', timeout: '1s', ...check }] },
      'cluster',
    );
    client = echoClient(clusterTarget(cluster), zonemeshChannelOptions({ zone: 'zone-a', cluster }));
    client.client.getChannel().getConnectivityState(true);
    return clock;
  }

  it('checks at no_traffic_interval until the first call, then at once and at interval', async () => {
    server.healthChecks = 0;
    const clock = connect('no-traffic', { no_traffic_interval: '60s' });
    await waitFor(() => clock.pending > 0, { what: 'the first check scheduled', timeoutMs: 10_000 });
    clock.advance(0);
    // The answer reaches the checker after the server counted it: wait for the next check's timer.
    await waitFor(() => clock.pendingDelays().includes(60_000), { what: 'next check at no_traffic_interval', timeoutMs: 10_000 });
    expect(server.healthChecks).toBe(1);
    // Ten intervals later the host is still parked: its next check is 50 s away, none ran.
    clock.advance(10_000);
    expect(clock.pendingDelays()).toContain(50_000);
    expect(server.healthChecks).toBe(1);

    await client!.who();
    clock.advance(0);
    await waitFor(() => server.healthChecks === 2, { what: 'the parked host checked at the first call', timeoutMs: 10_000 });
    await waitFor(() => clock.pendingDelays().includes(1000), { what: 'next check at interval', timeoutMs: 10_000 });
  });

  it('without traffic uses no_traffic_interval as configured (3s here, not the 60s default)', async () => {
    server.healthChecks = 0;
    const clock = connect('no-traffic-short', { no_traffic_interval: '3s' });
    await waitFor(() => clock.pending > 0, { what: 'the first check scheduled', timeoutMs: 10_000 });
    clock.advance(0);
    await waitFor(() => clock.pendingDelays().includes(3000), { what: 'next check at the 3 s no_traffic_interval', timeoutMs: 10_000 });
    expect(clock.pendingDelays()).not.toContain(60_000);
  });
});
