import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { clusterSnapshots } from '../admin/cluster-snapshots.js';
import { parseClusterConfig } from '../cluster/cluster-config.parse.js';
import { clusterTarget } from '../cluster/cluster-target.js';
import { useLbClock, systemLbClock } from '../lb-clock.js';
import { addLbLifecycle, type LbCallTarget, type LbRequest } from '../lifecycle/lb-lifecycle.js';
import { setupZonemeshLb } from '../setup.js';
import { zonemeshChannelOptions } from '../policy/zonemesh.config.js';
import { EchoServer, echoClient, type EchoClient } from '../testing/echo-servers.test.js';

describe('retries through the service config, steered by the picker', () => {
  let s1: EchoServer, s2: EchoServer;
  const clients: EchoClient[] = [];
  const cleanups: Array<() => void> = [];

  beforeAll(async () => {
    setupZonemeshLb();
    [s1, s2] = await Promise.all([EchoServer.start('s1'), EchoServer.start('s2')]);
  });
  afterEach(() => {
    clients.splice(0).forEach((c) => c.close());
    cleanups.splice(0).forEach((c) => c());
    s1.failWith = undefined;
  });
  afterAll(() => [s1, s2].forEach((s) => s.stop()));

  /** `random` pinned to 0: the random policy always picks the first endpoint, s1 — unless the picker steers. */
  function connect(name: string, retry: Record<string, unknown> | undefined): EchoClient {
    cleanups.push(useLbClock(systemLbClock, () => 0));
    const cluster = parseClusterConfig(
      {
        name,
        type: 'static',
        endpoints: [s1, s2].map((s) => ({ address: s.address, id: s.id })),
        lb_policy: 'random',
        outlier_detection: { enabled: false },
        ...(retry ? { retry_policy: retry } : {}),
      },
      'cluster',
    );
    const client = echoClient(clusterTarget(cluster), zonemeshChannelOptions({ cluster }));
    clients.push(client);
    return client;
  }

  async function run(client: EchoClient, count: number): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < count; i += 1) out.push(await client.who().catch((e: { code: number; details: string }) => `error:${e.code}:${e.details}`));
    return out;
  }

  it('control: without a retry policy the failing endpoint fails the calls', async () => {
    const client = connect('no-retry', undefined);
    s1.failWith = 14;
    const results = await run(client, 5);
    expect(results.every((r) => r.startsWith('error:14'))).toBe(true);
  });

  it('retries UNAVAILABLE on a different endpoint: every call succeeds', async () => {
    const attempts: Array<[LbRequest, LbCallTarget]> = [];
    cleanups.push(addLbLifecycle({ onStartRequest: (r, t) => r.cluster === 'retry' && attempts.push([r, t]) }));
    const client = connect('retry', { max_attempts: 3, base_interval: '10ms', max_interval: '20ms' });
    s1.failWith = 14;
    const results = await run(client, 10);
    expect(results).toEqual(Array(10).fill('s2'));
    // Each call: attempt 1 on s1 (the pinned pick), attempt 2 steered to s2.
    expect(attempts.map(([r, t]) => `${r.attempt}@${t.endpoint.id}`)).toEqual(Array(10).fill(['1@s1', '2@s2']).flat());
    expect(clusterSnapshots().find((c) => c.cluster === 'retry')!.retries).toBe(10);
  });

  it('does not retry codes outside retry_on', async () => {
    const client = connect('retry-codes', { max_attempts: 3, base_interval: '10ms' });
    s1.failWith = 13; // INTERNAL
    const results = await run(client, 3);
    expect(results.every((r) => r.startsWith('error:13'))).toBe(true);
  });

  it('stops retrying when the retry budget is spent', async () => {
    const client = connect('budget', { max_attempts: 3, base_interval: '10ms', budget_percent: 0, min_retry_concurrency: 0 });
    s1.failWith = 14;
    const results = await run(client, 3);
    expect(results.every((r) => r.includes('retry budget of cluster budget exhausted'))).toBe(true);
  });
});
