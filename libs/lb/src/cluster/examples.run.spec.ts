import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { clusterSnapshots } from '../admin/cluster-snapshots.js';
import { statusServer } from '../health/testing/health-servers.test.js';
import { ManualLbClock, useLbClock } from '../lb-clock.js';
import { setupZonemeshLb } from '../setup.js';
import { EchoServer, echoClient, type EchoClient } from '../testing/echo-servers.test.js';
import { waitFor } from '../testing/wait-for.test.js';
import { clusterChannel } from './cluster-target.js';
import { readEnvoyClusters } from './envoy/envoy-cluster.parse.js';
import { readSpringClusters } from './spring/spring-cluster.parse.js';

/**
 * The two shipped seed configurations (libs/lb/examples) drive real channels:
 * each file is read as written, with only its ports pointed at servers on free
 * loopback ports (and the event log at a temp file). Time-dependent behaviour
 * runs on a manual clock, so 10 s ejections and a 20-minute TTL take no time.
 */
const example = async (name: string) => parseYaml(await readFile(new URL(`../../examples/${name}`, import.meta.url), 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const clients: EchoClient[] = [];
const cleanups: Array<() => void | Promise<void>> = [];
let clock: ManualLbClock;

beforeAll(() => setupZonemeshLb());
afterEach(async () => {
  clients.splice(0).forEach((c) => c.close());
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function connect(target: string, options: Parameters<typeof echoClient>[1]): EchoClient {
  const client = echoClient(target, options);
  clients.push(client);
  client.client.getChannel().getConnectivityState(true); // leave IDLE: the policy connects every endpoint
  return client;
}
const snapshot = (cluster: string) => clusterSnapshots().find((c) => c.cluster === cluster);
const endpoint = (cluster: string, id: string) => snapshot(cluster)!.endpoints.find((e) => e.id === id)!;
/** Runs `count` calls, returning who answered or the error code. */
async function run(client: EchoClient, count: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < count; i += 1) out.push(await client.who().catch((e: { code: number }) => `error:${e.code}`));
  return out;
}

describe('the Envoy seed cluster (libs/lb/examples/envoy-cluster.yaml) runs as written', () => {
  const CLUSTER = 'internal_service_A';
  let servers: EchoServer[];
  let health: Array<Awaited<ReturnType<typeof statusServer>>>;
  let dir: string;

  beforeAll(async () => {
    servers = await Promise.all([EchoServer.start('host-1'), EchoServer.start('host-2')]);
    health = await Promise.all([statusServer(200), statusServer(200)]);
    dir = await mkdtemp(join(tmpdir(), 'envoy-seed-'));
  });
  afterAll(async () => {
    servers.forEach((s) => s.stop());
    await Promise.all(health.map((h) => h.close()));
    await rm(dir, { recursive: true, force: true });
  });

  /** The example with each endpoint's traffic and health ports pointed at our servers, all on 127.0.0.1. */
  async function start(): Promise<{ client: EchoClient; ids: string[]; logPath: string }> {
    const document = await example('envoy-cluster.yaml');
    const cluster = document.static_resources.clusters[0];
    const logPath = join(dir, `health_check-${Date.now()}.log`);
    cluster.health_checks[0].event_log_path = logPath;
    // Envoy's 60 s no_traffic_interval would check both hosts again at the first call, half-way
    // through a manual-clock step; checking at `interval` from the start keeps each step one interval.
    cluster.health_checks[0].no_traffic_interval = cluster.health_checks[0].interval;
    cluster.load_assignment.endpoints[0].lb_endpoints.forEach((lb: Record<string, any>, i: number) => { // eslint-disable-line @typescript-eslint/no-explicit-any
      lb.endpoint.address.socket_address = { address: '127.0.0.1', port_value: servers[i]!.port };
      lb.endpoint.health_check_config.port_value = health[i]!.port;
    });
    clock = new ManualLbClock();
    cleanups.push(useLbClock(clock));
    const { config } = readEnvoyClusters(document).clusters[0]!;
    const { target, options } = clusterChannel(config, undefined);
    const client = connect(target, options);
    const ids = servers.map((s) => s.address);
    // The first checks are due at once (no initial jitter): run them, then wait for their answers.
    await waitFor(() => {
      clock.advance(0);
      return snapshot(CLUSTER)?.endpoints.every((e) => e.state === 'READY' && e.health === 'healthy') ?? false;
    }, { what: 'both hosts READY and healthy' });
    return { client, ids, logPath };
  }

  it('checks GET /heathcheck on the separate health port with thresholds 1/1: out at the first 503 although its traffic port works, back at the first 200, logged', async () => {
    const { client, ids, logPath } = await start();
    expect(new Set(await run(client, 6))).toEqual(new Set(['host-1', 'host-2']));

    health[0]!.status = 503;
    clock.advance(2_000); // one interval: one failed check is enough (unhealthy_threshold 1)
    await waitFor(() => endpoint(CLUSTER, ids[0]!).health === 'unhealthy', { what: 'host-1 unhealthy' });
    const callsBefore = servers[0]!.calls;
    expect(new Set(await run(client, 6))).toEqual(new Set(['host-2']));
    expect(servers[0]!.calls).toBe(callsBefore);
    const direct = connect(servers[0]!.address, {});
    expect(await direct.who()).toBe('host-1'); // its traffic port works: only the health port said no

    health[0]!.status = 200;
    clock.advance(2_000); // one success is enough (healthy_threshold 1)
    await waitFor(() => endpoint(CLUSTER, ids[0]!).health === 'healthy', { what: 'host-1 healthy again' });
    expect(new Set(await run(client, 6))).toEqual(new Set(['host-1', 'host-2']));

    expect(new Set([...health[0]!.requests, ...health[1]!.requests].map((r) => r.url))).toEqual(new Set(['/heathcheck']));
    const lines = (await readFile(logPath, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
    const host1 = lines.filter((l) => l.endpoint_id === ids[0]);
    expect(host1.map((l) => Object.keys(l).find((k) => k.endsWith('_event')))).toEqual([
      'add_healthy_event', // first check
      'eject_unhealthy_event', // at the first failure
      'health_check_failure_event', // and the failure itself: always_log_health_check_failures
      'add_healthy_event',
    ]);
    expect(host1[1]).toMatchObject({ health_checker_type: 'HTTP', cluster_name: CLUSTER, host: { socket_address: { port_value: servers[0]!.port } }, eject_unhealthy_event: { failure_type: 'ACTIVE' } });
    expect(host1[3]!.add_healthy_event).toEqual({ first_check: false });
  });

  it('ejects after 3 consecutive errors for base_ejection_time × ejections, never more than 50% of the hosts', async () => {
    const { client, ids } = await start();
    servers[0]!.failWith = 14; // UNAVAILABLE: a 503 in Envoy's terms
    cleanups.push(() => void (servers[0]!.failWith = servers[1]!.failWith = undefined));
    expect((await run(client, 6)).filter((r) => r === 'error:14')).toHaveLength(3); // round robin: host-1's 3 failures
    expect(endpoint(CLUSTER, ids[0]!).outlier).toMatchObject({ ejected: true, reason: 'consecutive_errors', ejectionCount: 1 });
    expect(endpoint(CLUSTER, ids[0]!).outlier.ejectedUntil).toBe(new Date(clock.now() + 10_000).toISOString());

    // The other host fails too, but max_ejection_percent 50 of 2 hosts: one ejected at most.
    servers[1]!.failWith = 14;
    expect(await run(client, 4)).toEqual(['error:14', 'error:14', 'error:14', 'error:14']);
    expect(endpoint(CLUSTER, ids[1]!).outlier.ejected).toBe(false);
    servers[1]!.failWith = undefined;

    servers[0]!.failWith = undefined;
    clock.advance(9_999);
    expect(endpoint(CLUSTER, ids[0]!).outlier.ejected).toBe(true);
    clock.advance(1);
    expect(endpoint(CLUSTER, ids[0]!).outlier.ejected).toBe(false);
    expect(new Set(await run(client, 6))).toEqual(new Set(['host-1', 'host-2']));

    // A second streak: ejected for base_ejection_time × 2.
    servers[0]!.failWith = 14;
    await run(client, 6);
    expect(endpoint(CLUSTER, ids[0]!).outlier).toMatchObject({ ejected: true, ejectionCount: 2 });
    expect(endpoint(CLUSTER, ids[0]!).outlier.ejectedUntil).toBe(new Date(clock.now() + 20_000).toISOString());
  });
});

describe('the eurekube seed (libs/lb/examples/eurekube-zone-failover.yaml) runs as written', () => {
  let servers: EchoServer[];
  beforeAll(async () => {
    servers = await Promise.all(['idc-1', 'idc-2', 'eks-1', 'eks-2'].map((id) => EchoServer.start(id)));
  });
  afterAll(() => servers.forEach((s) => s.stop()));

  it('prefers zone eks, remembers a failed instance for 20 minutes (on the injected clock), has 5 s timeouts', async () => {
    const document = await example('eurekube-zone-failover.yaml');
    document.spring.cloud.discovery.simple.instances['[serviceId]'].forEach((instance: { host: string; port: number }, i: number) => {
      instance.host = '127.0.0.1';
      instance.port = servers[i]!.port;
    });
    clock = new ManualLbClock();
    cleanups.push(useLbClock(clock));
    const { config, callerZone } = readSpringClusters(document).clusters[0]!;
    const { target, options } = clusterChannel(config, callerZone);
    const serviceConfig = JSON.parse(String(options['grpc.service_config'])) as { loadBalancingConfig: Array<{ zonemesh: Record<string, unknown> }> };
    // Spring's read timeout bounds each try (a retry is a new exchange): the channel's per-try timeout.
    expect(serviceConfig.loadBalancingConfig[0]!.zonemesh).toMatchObject({ zone: 'eks', connect_timeout: '5s', retry_policy: { per_try_timeout: '5s' } });

    const client = connect(target, options);
    await waitFor(() => snapshot('serviceId')?.endpoints.every((e) => e.state === 'READY') ?? false, { what: 'every instance READY' });
    expect(new Set(await run(client, 10))).toEqual(new Set(['eks-1', 'eks-2']));

    const eks1 = servers[2]!;
    eks1.stop();
    await waitFor(() => endpoint('serviceId', eks1.address).failedInstanceUntil !== undefined, { what: 'eks-1 in the failed-instance cache' });
    expect(endpoint('serviceId', eks1.address).failedInstanceUntil).toBe(new Date(clock.now() + 20 * 60_000).toISOString());
    expect(new Set(await run(client, 10))).toEqual(new Set(['eks-2'])); // still the preferred zone, minus the failed instance

    await eks1.restart();
    await waitFor(() => endpoint('serviceId', eks1.address).state === 'READY', { what: 'eks-1 reconnected' });
    expect(new Set(await run(client, 10))).toEqual(new Set(['eks-2'])); // back, but remembered: no flapping
    clock.advance(20 * 60_000 - 1);
    expect(new Set(await run(client, 10))).toEqual(new Set(['eks-2']));
    clock.advance(1);
    await waitFor(async () => new Set(await run(client, 4)).has('eks-1'), { what: 'failback to eks-1 after 20 minutes' });

    // Neither eks instance left: the other zone takes the calls.
    servers[2]!.stop();
    servers[3]!.stop();
    cleanups.push(() => Promise.all([servers[2]!.restart(), servers[3]!.restart()]).then(() => undefined));
    await waitFor(async () => (await run(client, 4)).every((id) => id.startsWith('idc-')), { what: 'failover to idc' });
  });
});
