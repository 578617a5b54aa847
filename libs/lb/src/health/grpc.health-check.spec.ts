import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResolvedEndpoint } from '../endpoint.js';
import { ActiveHealthChecker } from './active-health-checker.js';
import { GrpcHealthProbe } from './grpc.health-check.js';
import { parseHealthCheckConfig } from './health-check.config.js';
import type { HealthCheckEvent } from './health-event-log.js';
import { GrpcHealthServer, closedPort, countingProxy, silentServer } from './testing/health-servers.test.js';
import { waitFor } from '../testing/wait-for.test.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function endpoint(id: string, port: number): ResolvedEndpoint {
  return { id, host: '127.0.0.1', port, zone: 'zone-a', metadata: {} };
}

function checker(yaml: Record<string, unknown>, onEvent?: (event: HealthCheckEvent) => void): ActiveHealthChecker {
  const config = parseHealthCheckConfig(
    { timeout: '2s', interval: '50ms', unhealthy_threshold: 3, healthy_threshold: 2, grpc_health_check: {}, ...yaml },
    'health_checks[0]',
  );
  const result = new ActiveHealthChecker({ cluster: 'catalog', config, onEvent });
  cleanups.push(() => result.stop());
  return result;
}

/** Records, at each change, the consecutive count that caused it. */
function transitions(hc: ActiveHealthChecker): Array<{ healthy: boolean; successes: number; failures: number }> {
  const seen: Array<{ healthy: boolean; successes: number; failures: number }> = [];
  hc.onChange((id, healthy) => {
    const s = hc.snapshotOf(id)!;
    seen.push({ healthy, successes: s.consecutiveSuccesses, failures: s.consecutiveFailures });
  });
  return seen;
}

async function startServer(statuses?: Parameters<typeof GrpcHealthServer.start>[0]): Promise<GrpcHealthServer> {
  const server = await GrpcHealthServer.start(statuses);
  cleanups.push(() => server.stop());
  return server;
}

describe('GrpcHealthProbe (real grpc-js server)', () => {
  const probe = (port: number, serviceName = ''): GrpcHealthProbe => {
    const p = new GrpcHealthProbe({ host: '127.0.0.1', port }, { kind: 'grpc', serviceName, authority: undefined });
    cleanups.push(() => p.close());
    return p;
  };
  const check = (p: GrpcHealthProbe) => p.check(new AbortController().signal, 2000);

  it('reads SERVING as healthy, NOT_SERVING and an unknown service as ACTIVE failures', async () => {
    const server = await startServer({ catalog: 'SERVING' });
    expect(await check(probe(server.port, 'catalog'))).toEqual({ healthy: true });
    server.health.setStatus('catalog', 'NOT_SERVING');
    expect(await check(probe(server.port, 'catalog'))).toEqual({ healthy: false, failureType: 'ACTIVE', reason: 'gRPC health status NOT_SERVING' });
    expect(await check(probe(server.port, 'nope'))).toMatchObject({ healthy: false, failureType: 'ACTIVE', reason: expect.stringMatching(/^gRPC NOT_FOUND/) });
  });

  it('reads a refused connection as a NETWORK failure', async () => {
    expect(await check(probe(await closedPort()))).toMatchObject({ healthy: false, failureType: 'NETWORK', reason: expect.stringMatching(/^gRPC UNAVAILABLE/) });
  });

  it('reuses one connection across checks', async () => {
    const server = await startServer();
    const proxy = await countingProxy(server.port);
    cleanups.push(() => proxy.close());
    const p = probe(proxy.port);
    for (let i = 0; i < 5; i += 1) expect(await check(p)).toEqual({ healthy: true });
    expect(proxy.connections()).toBe(1);
  });
});

describe('ActiveHealthChecker with gRPC checks (real sockets, real clock)', () => {
  it('follows SERVING / NOT_SERVING: unhealthy on the first NOT_SERVING, healthy again after healthy_threshold', async () => {
    const server = await startServer({ catalog: 'SERVING' });
    const hc = checker({ grpc_health_check: { service_name: 'catalog' } });
    const seen = transitions(hc);
    hc.setEndpoints([endpoint('a', server.port)]);
    expect(hc.isHealthy('a')).toBeUndefined();
    await waitFor(() => hc.isHealthy('a') === true, { what: 'first success' });
    server.health.setStatus('catalog', 'NOT_SERVING');
    await waitFor(() => hc.isHealthy('a') === false, { what: 'NOT_SERVING' });
    server.health.setStatus('catalog', 'SERVING');
    await waitFor(() => hc.isHealthy('a') === true, { what: 'recovery' });
    expect(seen).toEqual([
      { healthy: true, successes: 1, failures: 0 },
      { healthy: false, successes: 0, failures: 1 }, // at once, despite unhealthy_threshold 3
      { healthy: true, successes: 2, failures: 0 },
    ]);
    expect(hc.snapshotOf('a')?.lastFailureReason).toBe('gRPC health status NOT_SERVING');
  });

  it('ejects a stopped server after unhealthy_threshold refused checks and brings it back after healthy_threshold, logging both', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zonemesh-hc-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const logPath = join(dir, 'health.jsonl');
    const server = await startServer();
    const hc = checker({ event_log_path: logPath });
    const seen = transitions(hc);
    hc.setEndpoints([endpoint('a', server.port)]);
    await waitFor(() => hc.isHealthy('a') === true, { what: 'first success' });
    server.stop();
    await waitFor(() => hc.isHealthy('a') === false, { what: 'ejection' });
    await server.restart();
    await waitFor(() => hc.isHealthy('a') === true, { what: 'recovery' });
    expect(seen).toEqual([
      { healthy: true, successes: 1, failures: 0 },
      { healthy: false, successes: 0, failures: 3 },
      { healthy: true, successes: 2, failures: 0 },
    ]);
    const lines = readFileSync(logPath, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      expect.objectContaining({ cluster_name: 'catalog', endpoint_id: 'a', health_checker_type: 'GRPC', add_healthy_event: { first_check: true } }),
      expect.objectContaining({ eject_unhealthy_event: { failure_type: 'NETWORK', reason: expect.stringMatching(/^gRPC UNAVAILABLE/) } }),
      expect.objectContaining({ add_healthy_event: { first_check: false } }),
    ]);
    expect(lines[1]).toMatchObject({ host: { socket_address: { address: '127.0.0.1', port_value: server.port } } });
  });

  it('checks health_check_config.port_value instead of the traffic port', async () => {
    const health = await startServer();
    const dead = await closedPort();
    const viaHealthPort = checker({ health_check_config: { port_value: health.port } });
    viaHealthPort.setEndpoints([endpoint('a', dead)]);
    const viaTrafficPort = checker({});
    viaTrafficPort.setEndpoints([endpoint('a', dead)]);
    await waitFor(() => viaHealthPort.isHealthy('a') === true && viaTrafficPort.isHealthy('a') === false, { what: 'both verdicts' });
    expect(viaHealthPort.snapshotOf('a')?.checkedAddress).toBe(`127.0.0.1:${health.port}`);
  });

  it('counts checks that get no answer within timeout as NETWORK_TIMEOUT failures', async () => {
    const silent = await silentServer();
    cleanups.push(() => silent.close());
    const events: HealthCheckEvent[] = [];
    const hc = checker({ timeout: '150ms', always_log_health_check_failures: true }, (event) => events.push(event));
    hc.setEndpoints([endpoint('a', silent.port)]);
    await waitFor(() => (hc.snapshotOf('a')?.consecutiveFailures ?? 0) >= 2, { what: 'two timeouts' });
    expect(hc.isHealthy('a')).toBe(false);
    expect(hc.snapshotOf('a')).toMatchObject({ lastFailureType: 'NETWORK_TIMEOUT', lastFailureReason: 'no answer within 150ms' });
    expect(events[0]).toMatchObject({ health_check_failure_event: { failure_type: 'NETWORK_TIMEOUT', first_check: true } });
    expect(events[1]).toMatchObject({ health_check_failure_event: { failure_type: 'NETWORK_TIMEOUT', first_check: false } });
  });
});
