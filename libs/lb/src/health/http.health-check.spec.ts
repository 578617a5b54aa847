import { afterEach, describe, expect, it } from 'vitest';
import type { ResolvedEndpoint } from '../endpoint.js';
import { ActiveHealthChecker } from './active-health-checker.js';
import { parseHealthCheckConfig, type HttpHealthCheckConfig } from './health-check.config.js';
import { HttpHealthProbe } from './http.health-check.js';
import { closedPort, silentServer, statusServer } from './testing/health-servers.test.js';
import { waitFor } from '../testing/wait-for.test.js';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function endpoint(id: string, port: number): ResolvedEndpoint {
  return { id, host: '127.0.0.1', port, zone: 'zone-b', metadata: {} };
}

async function server(status = 200) {
  const s = await statusServer(status);
  cleanups.push(() => s.close());
  return s;
}

function probe(port: number, checker: Partial<HttpHealthCheckConfig> = {}, timeoutMs = 2000): HttpHealthProbe {
  const p = new HttpHealthProbe(
    { host: '127.0.0.1', port },
    { kind: 'http', path: '/healthz', host: undefined, expectedStatuses: [{ start: 200, end: 201 }], ...checker },
    timeoutMs,
  );
  cleanups.push(() => p.close());
  return p;
}
const check = (p: HttpHealthProbe, signal = new AbortController().signal) => p.check(signal);

describe('HttpHealthProbe (real HTTP server)', () => {
  it('GETs the path with the Host header, reusing one keep-alive connection', async () => {
    const s = await server();
    const p = probe(s.port, { host: 'catalog.internal' });
    for (let i = 0; i < 3; i += 1) expect(await check(p)).toEqual({ healthy: true });
    expect(s.requests).toEqual(Array(3).fill({ url: '/healthz', host: 'catalog.internal' }));
    expect(s.connections()).toBe(1);
  });

  it('fails a status outside expected_statuses as ACTIVE; a range admits what it covers', async () => {
    const s = await server(503);
    expect(await check(probe(s.port))).toEqual({ healthy: false, failureType: 'ACTIVE', reason: 'HTTP 503' });
    s.status = 302;
    expect(await check(probe(s.port))).toEqual({ healthy: false, failureType: 'ACTIVE', reason: 'HTTP 302' });
    expect(await check(probe(s.port, { expectedStatuses: [{ start: 200, end: 400 }] }))).toEqual({ healthy: true });
  });

  it('reads a refused connection as NETWORK and an aborted check as NETWORK_TIMEOUT', async () => {
    expect(await check(probe(await closedPort()))).toMatchObject({ healthy: false, failureType: 'NETWORK', reason: expect.stringContaining('ECONNREFUSED') });
    const silent = await silentServer();
    cleanups.push(() => silent.close());
    expect(await check(probe(silent.port), AbortSignal.timeout(100))).toMatchObject({ healthy: false, failureType: 'NETWORK_TIMEOUT' });
  });
});

describe('ActiveHealthChecker with HTTP checks (real sockets, real clock)', () => {
  function checker(yaml: Record<string, unknown> = {}): ActiveHealthChecker {
    const config = parseHealthCheckConfig(
      { timeout: '2s', interval: '50ms', unhealthy_threshold: 3, healthy_threshold: 2, http_health_check: { path: '/healthz' }, ...yaml },
      'health_checks[0]',
    );
    const hc = new ActiveHealthChecker({ cluster: 'gateway', config });
    cleanups.push(() => hc.stop());
    return hc;
  }

  it('marks a host unhealthy at the first 503 and healthy after healthy_threshold 200s', async () => {
    const s = await server(200);
    const hc = checker();
    const seen: Array<[boolean, number]> = [];
    hc.onChange((id, healthy) => seen.push([healthy, hc.snapshotOf(id)!.consecutiveSuccesses]));
    hc.setEndpoints([endpoint('b', s.port)]);
    await waitFor(() => hc.isHealthy('b') === true, { what: 'first 200' });
    s.status = 503;
    await waitFor(() => hc.isHealthy('b') === false, { what: '503' });
    expect(hc.snapshotOf('b')).toMatchObject({ consecutiveFailures: 1, lastFailureType: 'ACTIVE', lastFailureReason: 'HTTP 503' });
    s.status = 200;
    await waitFor(() => hc.isHealthy('b') === true, { what: 'recovery' });
    expect(seen).toEqual([[true, 1], [false, 0], [true, 2]]);
  });

  it('times out a server that never answers', async () => {
    const silent = await silentServer();
    cleanups.push(() => silent.close());
    const hc = checker({ timeout: '150ms' });
    hc.setEndpoints([endpoint('b', silent.port)]);
    await waitFor(() => hc.isHealthy('b') === false, { what: 'timeout' });
    expect(hc.snapshotOf('b')).toMatchObject({ lastFailureType: 'NETWORK_TIMEOUT', lastFailureReason: 'no answer within 150ms' });
  });
});
