import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { parse as parseYaml } from 'yaml';
import { clusterSnapshots } from '../admin/cluster-snapshots.js';
import { parseClustersConfig } from './cluster-config.parse.js';
import { clusterChannel } from './cluster-target.js';
import { registerLbMetrics } from '../lifecycle/lb-metrics.js';
import { setupZonemeshLb } from '../setup.js';
import { EchoServer, echoClient, tally, type EchoClient } from '../testing/echo-servers.test.js';
import { waitFor } from '../testing/wait-for.test.js';

describe('behaviour changed through YAML alone', () => {
  let s1: EchoServer, s2: EchoServer;
  let health1: HttpServer, health2: HttpServer;
  const healthStatus = new Map<string, number>([
    ['s1', 200],
    ['s2', 200],
  ]);
  const clients: EchoClient[] = [];

  const httpHealth = async (id: string): Promise<HttpServer> => {
    const server = createServer((_req, res) => res.writeHead(healthStatus.get(id)!).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return server;
  };
  const port = (server: HttpServer) => (server.address() as AddressInfo).port;

  beforeAll(async () => {
    setupZonemeshLb();
    [s1, s2] = await Promise.all([EchoServer.start('s1'), EchoServer.start('s2')]);
    [health1, health2] = await Promise.all([httpHealth('s1'), httpHealth('s2')]);
  });
  afterEach(() => clients.splice(0).forEach((c) => c.close()));
  afterAll(() => {
    [s1, s2].forEach((s) => s.stop());
    [health1, health2].forEach((h) => h.close());
  });

  /** mesh.yaml-like text: the same two endpoints, `policy` lines spliced into the cluster. */
  function yaml(name: string, policy: string): string {
    return `
clusters:
  - name: ${name}
    type: static
    endpoints:
      - { address: "${s1.address}", zone: zone-a, id: s1, metadata: { weight: 1, health_check_port: ${port(health1)} } }
      - { address: "${s2.address}", zone: zone-a, id: s2, metadata: { weight: 3, health_check_port: ${port(health2)} } }
${policy
  .split('\n')
  .map((line) => `    ${line}`)
  .join('\n')}
`;
  }

  async function connect(text: string): Promise<EchoClient> {
    const [cluster] = parseClustersConfig(parseYaml(text));
    const { target, options } = clusterChannel(cluster!, 'zone-a');
    const client = echoClient(target, options);
    clients.push(client);
    await client.who();
    await waitFor(() => clusterSnapshots().find((c) => c.cluster === cluster!.name)?.endpoints.every((e) => e.state === 'READY') ?? false, {
      what: 'READY',
    });
    return client;
  }

  it('lb_policy: weighted follows metadata weights; round_robin ignores them', async () => {
    const weighted = await connect(yaml('yaml-weighted', 'lb_policy: weighted'));
    const w = await tally(weighted, 40);
    expect([w.get('s1'), w.get('s2')]).toEqual([10, 30]);
    const plain = await connect(yaml('yaml-rr', 'lb_policy: round_robin'));
    const r = await tally(plain, 40);
    expect([r.get('s1'), r.get('s2')]).toEqual([20, 20]);
  });

  it('least_request spreads sequential calls (ties broken at random)', async () => {
    const client = await connect(yaml('yaml-least', 'lb_policy: least_request'));
    expect((await tally(client, 60)).size).toBe(2);
    expect(clusterSnapshots().find((c) => c.cluster === 'yaml-least')!.lbPolicy).toBe('least_request');
  });

  it('peak_ewma learns that an endpoint is slow and sends most calls to the fast one', async () => {
    s1.delayMs = 60;
    try {
      const client = await connect(yaml('yaml-ewma', 'lb_policy: peak_ewma'));
      await tally(client, 10); // learn
      const counts = await tally(client, 40);
      expect(counts.get('s2') ?? 0).toBeGreaterThan(counts.get('s1') ?? 0);
      const rtt = Object.fromEntries(clusterSnapshots().find((c) => c.cluster === 'yaml-ewma')!.endpoints.map((e) => [e.id, e.rttMs]));
      expect(rtt.s1).toBeGreaterThan(rtt.s2!);
    } finally {
      s1.delayMs = 0;
    }
  });

  it('health_checks in YAML take a failing endpoint out, and bring it back when it passes', async () => {
    healthStatus.set('s1', 503);
    try {
      const client = await connect(
        yaml(
          'yaml-health',
          `health_checks:
  - { interval: 100ms, timeout: 1s, unhealthy_threshold: 1, healthy_threshold: 1, http_health_check: { path: /healthz } }
zone_failover: { failed_instance_ttl: 0s, panic_threshold: 0 }`,
        ),
      );
      const snapshot = () => clusterSnapshots().find((c) => c.cluster === 'yaml-health')!;
      await waitFor(() => snapshot().endpoints.find((e) => e.id === 's1')!.health === 'unhealthy', { what: 's1 unhealthy' });
      expect([...(await tally(client, 10)).keys()]).toEqual(['s2']);
      healthStatus.set('s1', 200);
      await waitFor(() => snapshot().endpoints.find((e) => e.id === 's1')!.health === 'healthy', { what: 's1 healthy' });
      expect((await tally(client, 10)).size).toBe(2);
    } finally {
      healthStatus.set('s1', 200);
    }
  });

  it('exports metrics with bounded labels built on the lifecycle hooks', async () => {
    const registry = new Registry();
    const metrics = registerLbMetrics(registry);
    try {
      const client = await connect(yaml('yaml-metrics', 'lb_policy: round_robin'));
      await tally(client, 10); // plus the first call connect() made
      const text = await registry.metrics();
      expect(text).toContain('zonemesh_lb_picks_total{cluster="yaml-metrics",source_zone="zone-a",destination_zone="zone-a"} 11');
      expect(text).toContain('zonemesh_grpc_client_requests_total{cluster="yaml-metrics",code="OK"} 11');
      expect(text).toContain('zonemesh_grpc_client_request_duration_seconds_count{cluster="yaml-metrics"} 11');
      expect(text).toContain('zonemesh_lb_endpoints{cluster="yaml-metrics",zone="zone-a",state="serving"} 2');
      expect(text).toContain('zonemesh_lb_panic{cluster="yaml-metrics"} 0');
      expect(text).not.toMatch(/s1|s2|127\.0\.0\.1/);
    } finally {
      metrics.stop();
    }
  });
});
