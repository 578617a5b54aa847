import { afterEach, describe, expect, it } from 'vitest';
import { clusterSnapshots } from '../admin/cluster-snapshots.js';
import { parseClusterConfig } from '../cluster/cluster-config.parse.js';
import { clusterTarget } from '../cluster/cluster-target.js';
import { zonemeshChannelOptions } from '../policy/zonemesh.config.js';
import { setupZonemeshLb } from '../setup.js';
import { EchoServer, echoClient, tally } from '../testing/echo-servers.test.js';
import { waitFor } from '../testing/wait-for.test.js';

/**
 * zone_failover.latency through real gRPC servers and real active health
 * checks: zone-a's checks answer 200 ms late (under the 1 s check timeout,
 * so every check passes), and traffic leaves zone-a although nothing fails;
 * once zone-a is fast again it comes back after failed_instance_ttl.
 */
describe('latency spill (zone_failover.latency)', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  async function start(latency: Record<string, unknown> | undefined) {
    setupZonemeshLb();
    const servers = await Promise.all(['a1', 'a2', 'b1', 'b2'].map((id) => EchoServer.start(id)));
    cleanups.push(() => servers.forEach((s) => s.stop()));
    const name = `latency-spill-${latency ? 'on' : 'off'}`;
    const cluster = parseClusterConfig(
      {
        name,
        type: 'static',
        endpoints: servers.map((s) => ({ address: s.address, id: s.id, zone: `zone-${s.id[0]}` })),
        health_checks: [{ grpc_health_check: {}, interval: '100ms', timeout: '1s', unhealthy_threshold: 2, healthy_threshold: 1 }],
        zone_failover: { failed_instance_ttl: '1s', ...(latency ? { latency } : {}) },
      },
      'cluster',
    );
    const client = echoClient(clusterTarget(cluster), zonemeshChannelOptions({ zone: 'zone-a', cluster }));
    cleanups.push(() => client.close());
    const latencyOf = (id: string) => clusterSnapshots().find((c) => c.cluster === name)?.endpoints.find((e) => e.id === id)?.checkLatencyMs;
    // Traffic first: until a cluster's first call its checks run at no_traffic_interval (Envoy's 60 s).
    expect([...(await tally(client, 8)).keys()].every((id) => id.startsWith('a'))).toBe(true);
    await waitFor(() => servers.every((s) => latencyOf(s.id) !== undefined), { what: 'a health-check latency for every endpoint', timeoutMs: 15_000 });
    return { servers, client, latencyOf };
  }

  const zoneBShare = async (client: Parameters<typeof tally>[0]) => {
    const counts = await tally(client, 20);
    return ((counts.get('b1') ?? 0) + (counts.get('b2') ?? 0)) / 20;
  };

  it('without it, a zone whose checks pass slowly keeps all its traffic (the control)', async () => {
    const { servers, client, latencyOf } = await start(undefined);
    servers[0]!.healthDelayMs = servers[1]!.healthDelayMs = 200;
    await waitFor(() => (latencyOf('a1') ?? 0) > 120 && (latencyOf('a2') ?? 0) > 120, { what: "zone-a's check latency up", timeoutMs: 15_000 });
    expect(await zoneBShare(client)).toBe(0);
  });

  it('spills a zone that is 3x slower (and 50 ms more) than the other, and fails back after the TTL once it is fast', async () => {
    const { servers, client } = await start({ factor: 3, min_added: '50ms' });
    servers[0]!.healthDelayMs = servers[1]!.healthDelayMs = 200;
    await waitFor(async () => (await zoneBShare(client)) === 1, { what: 'every call in zone-b', timeoutMs: 15_000, intervalMs: 100 });
    for (const s of servers.slice(0, 2)) expect(s.healthDelayMs).toBe(200); // slow, and never unhealthy: checks answer within 1 s
    servers[0]!.healthDelayMs = servers[1]!.healthDelayMs = 0;
    await waitFor(async () => (await zoneBShare(client)) === 0, { what: 'calls back in zone-a', timeoutMs: 20_000, intervalMs: 100 });
  });
});
