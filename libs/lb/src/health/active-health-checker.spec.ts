import { describe, expect, it } from 'vitest';
import { ActiveHealthChecker } from './active-health-checker.js';
import { parseHealthCheckConfig } from './health-check.config.js';
import type { HealthCheckEvent } from './health-event-log.js';
import { ManualClock } from './testing/manual-clock.test.js';
import { ScriptedProbes, endpoint } from './testing/scripted.probe.test.js';

/** A checker on a manual clock with scripted probes; intervals chosen distinct so a delay names its rule. */
function setup(yaml: Record<string, unknown> = {}, options: { awaitTraffic?: boolean; random?: () => number } = {}) {
  const clock = new ManualClock();
  const probes = new ScriptedProbes();
  const events: HealthCheckEvent[] = [];
  const changes: Array<[string, boolean]> = [];
  const config = parseHealthCheckConfig(
    {
      timeout: '100ms',
      interval: '1s',
      unhealthy_threshold: 3,
      healthy_threshold: 2,
      grpc_health_check: {},
      ...yaml,
    },
    'health_checks[0]',
  );
  const checker = new ActiveHealthChecker({
    cluster: 'catalog',
    config,
    clock,
    random: options.random ?? (() => 0),
    awaitTraffic: options.awaitTraffic,
    probeFactory: probes.factory,
    onEvent: (event) => events.push(event),
  });
  checker.onChange((id, healthy) => changes.push([id, healthy]));
  return { clock, probes, events, changes, checker };
}

const kinds = (events: HealthCheckEvent[]): string[] =>
  events.map((e) =>
    'add_healthy_event' in e
      ? `add(first=${e.add_healthy_event.first_check})`
      : 'eject_unhealthy_event' in e
        ? `eject(${e.eject_unhealthy_event.failure_type})`
        : `failure(${e.health_check_failure_event.failure_type},first=${e.health_check_failure_event.first_check})`,
  );

describe('ActiveHealthChecker thresholds (manual clock)', () => {
  it('reports unknown until the first answer, then healthy after a single success despite healthy_threshold 2', async () => {
    const { clock, probes, checker, changes, events } = setup();
    checker.setEndpoints([endpoint('a')]);
    expect(checker.isHealthy('a')).toBeUndefined();
    await clock.advance(0);
    expect(probes.count('a')).toBe(1);
    expect(checker.isHealthy('a')).toBe(true);
    expect(changes).toEqual([['a', true]]);
    expect(kinds(events)).toEqual(['add(first=true)']);
    expect(events[0]).toMatchObject({
      health_checker_type: 'GRPC',
      cluster_name: 'catalog',
      endpoint_id: 'a',
      zone: 'zone-a',
      host: { socket_address: { protocol: 'TCP', address: '127.0.0.1', port_value: 5000 } },
      timestamp: new Date(clock.now()).toISOString(),
    });
    checker.stop();
  });

  it('ejects a healthy host only after unhealthy_threshold consecutive network failures', async () => {
    const { clock, probes, checker, changes, events } = setup();
    checker.setEndpoints([endpoint('a')]);
    await clock.advance(0);
    probes.answers.set('a', 'NETWORK');
    await clock.advance(1000);
    await clock.advance(1000);
    expect(probes.count('a')).toBe(3);
    expect(checker.isHealthy('a')).toBe(true); // 2 failures < 3
    expect(checker.snapshotOf('a')).toMatchObject({ state: 'healthy', consecutiveFailures: 2, lastFailureType: 'NETWORK', lastFailureReason: 'scripted NETWORK' });
    await clock.advance(1000);
    expect(checker.isHealthy('a')).toBe(false);
    expect(changes).toEqual([['a', true], ['a', false]]);
    expect(kinds(events)).toEqual(['add(first=true)', 'eject(NETWORK)']);
    checker.stop();
  });

  it('a success in between resets the failure count', async () => {
    const { clock, probes, checker } = setup();
    checker.setEndpoints([endpoint('a')]);
    await clock.advance(0);
    for (const answer of ['NETWORK', 'NETWORK', 'ok', 'NETWORK', 'NETWORK'] as const) {
      probes.answers.set('a', answer);
      await clock.advance(1000);
    }
    expect(checker.isHealthy('a')).toBe(true);
    expect(checker.snapshotOf('a')?.consecutiveFailures).toBe(2);
  });

  it('marks the host unhealthy at once on an ACTIVE failure (HTTP status / NOT_SERVING)', async () => {
    const { clock, probes, checker, events } = setup();
    checker.setEndpoints([endpoint('a')]);
    await clock.advance(0);
    probes.answers.set('a', 'ACTIVE');
    await clock.advance(1000);
    expect(checker.isHealthy('a')).toBe(false);
    expect(kinds(events)).toEqual(['add(first=true)', 'eject(ACTIVE)']);
    checker.stop();
  });

  it('needs healthy_threshold consecutive successes to bring an unhealthy host back', async () => {
    const { clock, probes, checker, changes, events } = setup();
    probes.answers.set('a', 'NETWORK');
    checker.setEndpoints([endpoint('a')]);
    await clock.advance(0);
    // A failed first check decides at once (Envoy starts hosts as failed) and logs a first-check failure, no ejection.
    expect(checker.isHealthy('a')).toBe(false);
    expect(kinds(events)).toEqual(['failure(NETWORK,first=true)']);
    probes.answers.set('a', 'ok');
    await clock.advance(1000);
    expect(checker.isHealthy('a')).toBe(false);
    expect(checker.snapshotOf('a')?.consecutiveSuccesses).toBe(1);
    await clock.advance(1000);
    expect(checker.isHealthy('a')).toBe(true);
    expect(changes).toEqual([['a', false], ['a', true]]);
    expect(kinds(events)).toEqual(['failure(NETWORK,first=true)', 'add(first=false)']);
    checker.stop();
  });

  it('counts a check that outlives timeout as a NETWORK_TIMEOUT failure', async () => {
    const { clock, probes, checker, events } = setup({ unhealthy_threshold: 2 });
    checker.setEndpoints([endpoint('a')]);
    await clock.advance(0);
    probes.answers.set('a', 'hang');
    await clock.advance(1000);
    expect(checker.snapshotOf('a')?.consecutiveFailures).toBe(0); // in flight: the timeout has not fired
    await clock.advance(100);
    expect(checker.snapshotOf('a')).toMatchObject({ consecutiveFailures: 1, lastFailureType: 'NETWORK_TIMEOUT', lastFailureReason: 'no answer within 100ms' });
    expect(checker.isHealthy('a')).toBe(true);
    await clock.advance(1100);
    expect(checker.isHealthy('a')).toBe(false);
    expect(kinds(events)).toEqual(['add(first=true)', 'eject(NETWORK_TIMEOUT)']);
    checker.stop();
  });

  it('logs every failure with always_log_health_check_failures, only first-check failures and ejections without', async () => {
    for (const always of [false, true]) {
      const { clock, probes, checker, events } = setup({ always_log_health_check_failures: always, unhealthy_threshold: 2 });
      checker.setEndpoints([endpoint('a')]);
      await clock.advance(0);
      probes.answers.set('a', 'NETWORK');
      await clock.advance(3000);
      expect(kinds(events)).toEqual(
        always
          ? ['add(first=true)', 'failure(NETWORK,first=false)', 'eject(NETWORK)', 'failure(NETWORK,first=false)', 'failure(NETWORK,first=false)']
          : ['add(first=true)', 'eject(NETWORK)'],
      );
      checker.stop();
    }
  });
});

describe('ActiveHealthChecker intervals (manual clock)', () => {
  const intervals = {
    interval: '1s',
    unhealthy_interval: '5s',
    healthy_edge_interval: '200ms',
    unhealthy_edge_interval: '300ms',
  };

  it('waits interval, unhealthy_edge_interval, unhealthy_interval and healthy_edge_interval as Envoy does', async () => {
    const { clock, probes, checker } = setup(intervals);
    checker.setEndpoints([endpoint('a')]);
    await clock.advance(0);
    expect(clock.pendingDelays()).toEqual([1000]); // healthy
    probes.answers.set('a', 'NETWORK');
    await clock.advance(1000);
    expect(clock.pendingDelays()).toEqual([300]); // failing, not yet unhealthy
    await clock.advance(300);
    await clock.advance(300);
    expect(checker.isHealthy('a')).toBe(false);
    expect(clock.pendingDelays()).toEqual([5000]); // unhealthy
    probes.answers.set('a', 'ok');
    await clock.advance(5000);
    expect(clock.pendingDelays()).toEqual([200]); // recovering, not yet healthy
    await clock.advance(200);
    expect(checker.isHealthy('a')).toBe(true);
    expect(clock.pendingDelays()).toEqual([1000]);
    checker.stop();
  });

  it('adds interval_jitter and interval_jitter_percent to every interval', async () => {
    const { clock, probes, checker } = setup({ ...intervals, interval_jitter: '100ms', interval_jitter_percent: 10 }, { random: () => 0.5 });
    checker.setEndpoints([endpoint('a')]);
    await clock.advance(0);
    expect(clock.pendingDelays()).toEqual([1000 + 50 + 50]);
    probes.answers.set('a', 'NETWORK');
    await clock.advance(1100);
    expect(clock.pendingDelays()).toEqual([300 + 15 + 50]);
  });

  it('spreads first checks over initial_jitter', async () => {
    const { clock, probes, checker } = setup({ initial_jitter: '400ms' }, { random: () => 0.5 });
    checker.setEndpoints([endpoint('a')]);
    await clock.advance(199);
    expect(probes.count('a')).toBe(0);
    await clock.advance(1);
    expect(probes.count('a')).toBe(1);
    checker.stop();
  });

  it('checks at no_traffic_interval until traffic is noted, then at once and at interval', async () => {
    const { clock, probes, checker } = setup({ no_traffic_interval: '60s' }, { awaitTraffic: true });
    checker.setEndpoints([endpoint('a')]);
    await clock.advance(0); // the first check never waits
    expect(probes.count('a')).toBe(1);
    expect(clock.pendingDelays()).toEqual([60_000]);
    await clock.advance(30_000);
    expect(probes.count('a')).toBe(1);
    checker.noteTraffic();
    await clock.advance(0);
    expect(probes.count('a')).toBe(2);
    expect(clock.pendingDelays()).toEqual([1000]);
    checker.stop();
  });
});

describe('ActiveHealthChecker endpoints', () => {
  it('starts new endpoints, stops removed ones and keeps the state of kept ones', async () => {
    const { clock, probes, checker } = setup();
    checker.setEndpoints([endpoint('a', 5000), endpoint('b', 5001)]);
    await clock.advance(0);
    probes.answers.set('a', 'ACTIVE');
    await clock.advance(1000);
    checker.setEndpoints([endpoint('a', 5000), endpoint('c', 5002)]);
    expect(checker.isHealthy('a')).toBe(false); // kept, state kept
    expect(checker.isHealthy('b')).toBeUndefined();
    expect(checker.isHealthy('c')).toBeUndefined();
    expect(probes.closed.has('b')).toBe(true);
    const bChecks = probes.count('b');
    await clock.advance(3000);
    expect(probes.count('b')).toBe(bChecks);
    expect(checker.isHealthy('c')).toBe(true);
    expect(checker.snapshot().map((s) => s.endpointId)).toEqual(['a', 'c']);
    checker.stop();
  });

  it('starts over when an endpoint id moves to another address', async () => {
    const { clock, probes, checker } = setup();
    probes.answers.set('a', 'ACTIVE');
    checker.setEndpoints([endpoint('a', 5000)]);
    await clock.advance(0);
    expect(checker.isHealthy('a')).toBe(false);
    checker.setEndpoints([endpoint('a', 6000)]);
    expect(checker.isHealthy('a')).toBeUndefined();
    expect(probes.ports.get('a')).toBe(6000);
    checker.stop();
  });

  it('checks health_check_config.port_value, or the endpoint metadata health_check_port, instead of the traffic port', async () => {
    const { clock, probes, checker } = setup({ health_check_config: { port_value: 9100 } });
    checker.setEndpoints([endpoint('a', 5000), endpoint('b', 5001, { health_check_port: '9200' })]);
    await clock.advance(0);
    expect(probes.ports.get('a')).toBe(9100);
    expect(probes.ports.get('b')).toBe(9200);
    expect(checker.snapshotOf('a')?.checkedAddress).toBe('127.0.0.1:9100');
    checker.stop();
  });

  it('snapshots each endpoint for /admin/clusters', async () => {
    const { clock, probes, checker } = setup();
    checker.setEndpoints([endpoint('a')]);
    const start = clock.now();
    await clock.advance(0);
    probes.answers.set('a', 'NETWORK');
    await clock.advance(1000);
    expect(checker.snapshotOf('a')).toEqual({
      endpointId: 'a',
      zone: 'zone-a',
      checkedAddress: '127.0.0.1:5000',
      state: 'healthy',
      lastCheckAt: start + 1000,
      lastSuccessAt: start,
      lastFailureAt: start + 1000,
      lastFailureType: 'NETWORK',
      lastFailureReason: 'scripted NETWORK',
      consecutiveSuccesses: 0,
      consecutiveFailures: 1,
      checksTotal: 2,
      failuresTotal: 1,
      nextCheckAt: start + 2000,
    });
    checker.stop();
  });

  it('stop() cancels every timer, closes every probe and ignores later endpoint lists', async () => {
    const { clock, probes, checker } = setup();
    checker.setEndpoints([endpoint('a'), endpoint('b')]);
    await clock.advance(0);
    checker.stop();
    expect(clock.pendingDelays()).toEqual([]);
    expect([...probes.closed].sort()).toEqual(['a', 'b']);
    checker.setEndpoints([endpoint('c')]);
    await clock.advance(5000);
    expect(probes.count('c')).toBe(0);
    expect(checker.isHealthy('a')).toBeUndefined();
  });

  it('an unsubscribed listener hears nothing more', async () => {
    const { clock, probes, checker } = setup();
    const heard: boolean[] = [];
    const off = checker.onChange((_id, healthy) => heard.push(healthy));
    checker.setEndpoints([endpoint('a')]);
    await clock.advance(0);
    off();
    probes.answers.set('a', 'ACTIVE');
    await clock.advance(1000);
    expect(checker.isHealthy('a')).toBe(false);
    expect(heard).toEqual([true]);
    checker.stop();
  });
});
