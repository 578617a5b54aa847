import { describe, expect, it } from 'vitest';
import { ConfigError } from '@zonemesh/config';
import { isExpectedStatus, parseHealthCheckConfig } from './health-check.config.js';

function problem(value: unknown): string {
  try {
    parseHealthCheckConfig(value, 'clusters[1].health_checks[0]');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('parseHealthCheckConfig', () => {
  it('fills Envoy-like defaults, the edge intervals following their base interval', () => {
    expect(parseHealthCheckConfig({ interval: '1s', unhealthy_interval: '3s', grpc_health_check: null }, 'hc')).toEqual({
      timeoutMs: 1000,
      intervalMs: 1000,
      intervalJitterMs: 0,
      intervalJitterPercent: 0,
      initialJitterMs: 0,
      unhealthyThreshold: 3,
      healthyThreshold: 2,
      noTrafficIntervalMs: 60_000,
      unhealthyIntervalMs: 3000,
      healthyEdgeIntervalMs: 1000,
      unhealthyEdgeIntervalMs: 3000,
      eventLogPath: undefined,
      alwaysLogHealthCheckFailures: false,
      portValue: undefined,
      checker: { kind: 'grpc', serviceName: '', authority: undefined },
    });
  });

  it('reads every field', () => {
    const config = parseHealthCheckConfig(
      {
        timeout: '250ms',
        interval: '2s',
        interval_jitter: '100ms',
        interval_jitter_percent: 10,
        initial_jitter: '1s',
        unhealthy_threshold: 5,
        healthy_threshold: 1,
        no_traffic_interval: '30s',
        unhealthy_interval: '4s',
        healthy_edge_interval: '500ms',
        unhealthy_edge_interval: '600ms',
        event_log_path: '/tmp/hc.log',
        always_log_health_check_failures: true,
        health_check_config: { port_value: 9001 },
        http_health_check: { path: '/healthz', host: 'catalog', expected_statuses: [[200, 300], 404] },
      },
      'hc',
    );
    expect(config).toMatchObject({
      timeoutMs: 250,
      intervalMs: 2000,
      intervalJitterMs: 100,
      intervalJitterPercent: 10,
      initialJitterMs: 1000,
      unhealthyThreshold: 5,
      healthyThreshold: 1,
      noTrafficIntervalMs: 30_000,
      unhealthyIntervalMs: 4000,
      healthyEdgeIntervalMs: 500,
      unhealthyEdgeIntervalMs: 600,
      eventLogPath: '/tmp/hc.log',
      alwaysLogHealthCheckFailures: true,
      portValue: 9001,
      checker: { kind: 'http', path: '/healthz', host: 'catalog', expectedStatuses: [{ start: 200, end: 300 }, { start: 404, end: 405 }] },
    });
  });

  it('expects HTTP 200 only by default and treats ranges as [start, end)', () => {
    const config = parseHealthCheckConfig({ http_health_check: { path: '/' } }, 'hc');
    const ranges = config.checker.kind === 'http' ? config.checker.expectedStatuses : [];
    expect(isExpectedStatus(200, ranges)).toBe(true);
    expect(isExpectedStatus(204, ranges)).toBe(false);
    expect(isExpectedStatus(399, [{ start: 200, end: 400 }])).toBe(true);
    expect(isExpectedStatus(400, [{ start: 200, end: 400 }])).toBe(false);
  });

  it('names the path of every mistake', () => {
    const grpc = { grpc_health_check: {} };
    expect(problem({ ...grpc, interval: 'often' })).toBe('clusters[1].health_checks[0].interval: expected a duration like "10s"');
    expect(problem({ ...grpc, timeout: '0ms' })).toBe('clusters[1].health_checks[0].timeout: must be at least 1ms');
    expect(problem({ ...grpc, unhealthy_threshold: 0 })).toBe('clusters[1].health_checks[0].unhealthy_threshold: must be between 1 and 1000, got 0');
    expect(problem({ ...grpc, interval_jitter_percent: 150 })).toBe(
      'clusters[1].health_checks[0].interval_jitter_percent: must be between 0 and 100, got 150',
    );
    expect(problem({ ...grpc, always_log_health_check_failures: 'yes' })).toBe(
      'clusters[1].health_checks[0].always_log_health_check_failures: expected true or false, got "yes"',
    );
    expect(problem({ ...grpc, healthy_treshold: 2 })).toMatch(/^clusters\[1\]\.health_checks\[0\]\.healthy_treshold: unknown key/);
    expect(problem({ ...grpc, health_check_config: { port_value: 70000 } })).toBe(
      'clusters[1].health_checks[0].health_check_config.port_value: must be between 0 and 65535, got 70000',
    );
    expect(problem({ grpc_health_check: { service: 'x' } })).toMatch(/^clusters\[1\]\.health_checks\[0\]\.grpc_health_check\.service: unknown key/);
    expect(problem({ interval: '1s' })).toBe('clusters[1].health_checks[0]: set exactly one of grpc_health_check, http_health_check');
    expect(problem({ grpc_health_check: {}, http_health_check: { path: '/' } })).toBe(
      'clusters[1].health_checks[0]: set exactly one of grpc_health_check, http_health_check, not both',
    );
    expect(problem({ http_health_check: {} })).toBe('clusters[1].health_checks[0].http_health_check.path: required (e.g. "/healthz")');
    expect(problem({ http_health_check: { path: 'healthz' } })).toBe('clusters[1].health_checks[0].http_health_check.path: must start with "/"');
    expect(problem({ http_health_check: { path: '/', expected_statuses: [[200, 400], [500, 500]] } })).toBe(
      'clusters[1].health_checks[0].http_health_check.expected_statuses[1]: end must be greater than start (the range is [start, end)), got [500, 500]',
    );
    expect(problem({ http_health_check: { path: '/', expected_statuses: [[200, 'x']] } })).toBe(
      'clusters[1].health_checks[0].http_health_check.expected_statuses[0][1]: expected a number, got "x"',
    );
  });
});
