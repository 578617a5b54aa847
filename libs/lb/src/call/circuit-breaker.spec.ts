import { Metadata, connectivityState, experimental, status } from '@grpc/grpc-js';
import { Registry } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../testing/wait-for.test.js';
import { FakeChannelHelper } from '../../bench/fake-channel.helper.js';
import { clusterSnapshots } from '../admin/cluster-snapshots.js';
import { parseClusterConfig } from '../cluster/cluster-config.parse.js';
import { clusterTarget } from '../cluster/cluster-target.js';
import { registerLbMetrics } from '../lifecycle/lb-metrics.js';
import { setupZonemeshLb } from '../setup.js';
import { ZonemeshLoadBalancingConfig, zonemeshChannelOptions } from '../policy/zonemesh.config.js';
import { ZonemeshLoadBalancer } from '../policy/zonemesh.balancer.js';
import { ENDPOINTS_ATTRIBUTE, TARGET_ATTRIBUTE } from '../resolver/resolver-attributes.js';
import { EchoServer, echoClient, type EchoClient } from '../testing/echo-servers.test.js';

type Outcome = { ok: true; id: string } | { ok: false; code: number; details: string; ms: number };

describe('circuit breakers, enforced by the picker on real channels', () => {
  let s1: EchoServer, s2: EchoServer;
  const clients: EchoClient[] = [];
  const cleanups: Array<() => void> = [];

  beforeAll(async () => {
    setupZonemeshLb();
    [s1, s2] = await Promise.all([EchoServer.start('cb1'), EchoServer.start('cb2')]);
  });
  afterEach(() => {
    clients.splice(0).forEach((c) => c.close());
    cleanups.splice(0).forEach((c) => c());
    for (const s of [s1, s2]) {
      s.delayMs = 0;
      s.failWith = undefined;
    }
  });
  afterAll(() => [s1, s2].forEach((s) => s.stop()));

  function connect(name: string, extra: Record<string, unknown>): EchoClient {
    const cluster = parseClusterConfig(
      { name, type: 'static', endpoints: [s1, s2].map((s) => ({ address: s.address, id: s.id })), outlier_detection: { enabled: false }, ...extra },
      'cluster',
    );
    const client = echoClient(clusterTarget(cluster), zonemeshChannelOptions({ cluster }));
    clients.push(client);
    return client;
  }

  const call = (client: EchoClient, deadlineMs = 10_000): Promise<Outcome> => {
    const started = Date.now();
    return client.who(deadlineMs).then(
      (id) => ({ ok: true as const, id }),
      (e: { code: number; details: string }) => ({ ok: false as const, code: e.code, details: e.details, ms: Date.now() - started }),
    );
  };

  it('max_requests: calls over the limit fail fast with RESOURCE_EXHAUSTED naming the cluster and the threshold; the rest succeed', async () => {
    const client = connect('cb-requests', { circuit_breakers: { thresholds: [{ priority: 'DEFAULT', max_requests: 4 }] } });
    expect(await call(client)).toMatchObject({ ok: true }); // connected
    s1.delayMs = s2.delayMs = 1_500;
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => call(client)));
    const refused = outcomes.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(4);
    expect(refused).toHaveLength(6);
    for (const o of refused) {
      expect(o.code).toBe(status.RESOURCE_EXHAUSTED);
      expect(o.details).toBe('zonemesh: circuit breaker of cluster cb-requests open: max_requests (4) calls in flight');
      // Refused at the pick, not after waiting for a server.
      expect(o.ms).toBeLessThan(1_000);
    }
    const snapshot = clusterSnapshots().find((c) => c.cluster === 'cb-requests')!;
    expect(snapshot.circuitBreakers).toMatchObject({
      thresholds: { max_requests: 4, max_pending_requests: 1024, max_connections: 1024, max_retries: 3 },
      overflow: { max_requests: 6, max_pending_requests: 0, max_retries: 0 },
      peakRequests: 4,
    });
    // Once the calls ended, the breaker closes again.
    await waitFor(() => clusterSnapshots().find((c) => c.cluster === 'cb-requests')!.circuitBreakers!.active.max_requests === 0, { timeoutMs: 10_000 });
    s1.delayMs = s2.delayMs = 0;
    expect(await call(client)).toMatchObject({ ok: true });
  });

  it('max_retries: budgeted retries beyond the limit are not attempted, and counted', async () => {
    const client = connect('cb-retries', {
      lb_policy: 'round_robin',
      retry_policy: { max_attempts: 2, base_interval: '10ms', max_interval: '20ms', budget: { ratio: 10, min_per_second: 1000, window: '10s' } },
      circuit_breakers: { thresholds: [{ max_retries: 1 }] },
    });
    expect(await call(client)).toMatchObject({ ok: true });
    // Every first attempt fails with an application answer (not transparent); the retries are slow, so they pile up.
    s1.failWith = s2.failWith = status.UNAVAILABLE;
    s1.delayMs = s2.delayMs = 400;
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => call(client)));
    expect(outcomes.every((o) => !o.ok && o.code === status.UNAVAILABLE)).toBe(true);
    const dropped = outcomes.filter((o) => !o.ok && o.details.includes('max_retries (1) retries in flight, retry not attempted'));
    expect(dropped.length).toBeGreaterThan(0);
    const snapshot = clusterSnapshots().find((c) => c.cluster === 'cb-retries')!.circuitBreakers!;
    expect(snapshot.overflow.max_retries).toBe(dropped.length);
    expect(snapshot.overflow.max_requests).toBe(0);
  });

  it('without circuit_breakers nothing is refused (and /admin/clusters shows no breaker)', async () => {
    const client = connect('cb-none', {});
    s1.delayMs = s2.delayMs = 300;
    const outcomes = await Promise.all(Array.from({ length: 40 }, () => call(client)));
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(clusterSnapshots().find((c) => c.cluster === 'cb-none')!.circuitBreakers).toBeUndefined();
  });
});

describe('circuit breakers: pending calls and metrics (picker level)', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => cleanups.splice(0).forEach((c) => c()));

  it('max_pending_requests: calls queued while no endpoint is ready are bounded; the overflow is a metric with bounded labels', async () => {
    const registry = new Registry();
    cleanups.push(registerLbMetrics(registry).stop);
    // The fake helper's subchannels never connect: every pick queues.
    const helper = new FakeChannelHelper(connectivityState.CONNECTING);
    const balancer = new ZonemeshLoadBalancer(helper);
    cleanups.push(() => balancer.destroy());
    const config = ZonemeshLoadBalancingConfig.createFromJson({
      zone: 'zone-a',
      cluster: 'cb-pending',
      circuit_breakers: { thresholds: [{ max_pending_requests: 3, max_requests: 100 }] },
    });
    const infos = [{ id: 'e1', host: '10.0.0.9', port: 1, zone: 'zone-a', metadata: {} }];
    balancer.updateAddressList(experimental.statusOrFromValue([{ addresses: [{ host: '10.0.0.9', port: 1 }] }]), config, { [ENDPOINTS_ATTRIBUTE]: infos, [TARGET_ATTRIBUTE]: 'static:///p' }, '');
    const picker = helper.picker!;
    const results = Array.from({ length: 5 }, () => picker.pick({ metadata: new Metadata(), extraPickInfo: {} }));
    expect(results.map((r) => r.pickResultType)).toEqual([
      experimental.PickResultType.QUEUE,
      experimental.PickResultType.QUEUE,
      experimental.PickResultType.QUEUE,
      experimental.PickResultType.DROP,
      experimental.PickResultType.DROP,
    ]);
    expect(results[3]!.status).toMatchObject({
      code: status.RESOURCE_EXHAUSTED,
      details: 'zonemesh: circuit breaker of cluster cb-pending open: max_pending_requests (3) calls waiting for a connection',
    });
    const text = await registry.metrics();
    expect(text).toContain('zonemesh_lb_circuit_breaker_overflow_total{cluster="cb-pending",threshold="max_pending_requests"} 2');
    expect(text).toContain('zonemesh_lb_circuit_breaker_overflow_total{cluster="cb-pending",threshold="max_requests"} 0');
    expect(text).toContain('zonemesh_lb_circuit_breaker_limit{cluster="cb-pending",threshold="max_pending_requests"} 3');
    expect(text).toContain('zonemesh_lb_requests_active{cluster="cb-pending"} 0');
  });
});
