import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterSnapshots } from '../admin/cluster-snapshots.js';
import { parseClusterConfig } from '../cluster/cluster-config.parse.js';
import { clusterTarget } from '../cluster/cluster-target.js';
import { zonemeshChannelOptions } from '../policy/zonemesh.config.js';
import { setupZonemeshLb } from '../setup.js';
import { EchoServer, echoClient } from '../testing/echo-servers.test.js';
import { waitFor } from '../testing/wait-for.test.js';
import { LIVE_CONFIG_KEY, publishServiceConfig } from './live-service-config.js';

/** A reload pushed to a running channel: new LB settings take effect under steady calls, none fails, connections stay. */
describe('publishServiceConfig', () => {
  let servers: EchoServer[];

  beforeAll(async () => {
    setupZonemeshLb();
    servers = await Promise.all(['a1', 'a2'].map((id) => EchoServer.start(id)));
  });
  afterAll(() => servers.forEach((s) => s.stop()));

  it('applies a new lb_policy and failed_instance_ttl to a running channel without failing a call', async () => {
    const config = (policy: string, ttl: string) =>
      parseClusterConfig(
        { name: 'live-reload', type: 'static', endpoints: servers.map((s) => ({ address: s.address, zone: 'zone-a', id: s.id })), lb_policy: policy, zone_failover: { failed_instance_ttl: ttl } },
        'cluster',
      );
    const first = config('round_robin', '20m');
    const client = echoClient(clusterTarget(first), { ...zonemeshChannelOptions({ zone: 'zone-a', cluster: first }), [LIVE_CONFIG_KEY]: 'live-reload' });
    const snapshot = () => clusterSnapshots().find((c) => c.cluster === 'live-reload');
    let failures = 0;
    let calls = 0;
    let running = true;
    const load = (async () => {
      while (running) {
        await client.who().then(
          () => void (calls += 1),
          () => void (failures += 1),
        );
      }
    })();
    try {
      await waitFor(() => calls >= 20, { what: 'steady calls', timeoutMs: 15_000 });
      expect(snapshot()).toMatchObject({ lbPolicy: 'round_robin', failedInstanceTtlMs: 20 * 60_000 });
      const succeeded = () => snapshot()!.endpoints.reduce((sum, e) => sum + e.succeeded, 0);
      const before = succeeded();
      publishServiceConfig('live-reload', zonemeshChannelOptions({ zone: 'zone-a', cluster: config('least_request', '3s') })['grpc.service_config']);
      await waitFor(() => snapshot()?.lbPolicy === 'least_request', { what: 'the new policy applied', timeoutMs: 15_000 });
      expect(snapshot()!.failedInstanceTtlMs).toBe(3_000);
      const after = calls;
      await waitFor(() => calls >= after + 20, { what: 'calls after the reload', timeoutMs: 15_000 });
      expect(failures).toBe(0);
      // The same balancer and endpoints (their counters kept), not a new one.
      expect(succeeded()).toBeGreaterThan(before);
    } finally {
      running = false;
      await load;
      client.close();
    }
  });
});
