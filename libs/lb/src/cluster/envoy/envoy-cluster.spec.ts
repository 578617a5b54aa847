import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '@zonemesh/config';
import { GRPC_CODES, OUTLIER_DETECTION_DEFAULTS } from '../cluster-config.js';
import { readEnvoyClusters } from './envoy-cluster.parse.js';
import { ENVOY_5XX_CODES, ENVOY_GATEWAY_CODES } from './envoy-outlier.parse.js';

const EXAMPLE = parseYaml(readFileSync(new URL('../../../examples/envoy-cluster.yaml', import.meta.url), 'utf8')) as unknown;
const codes = (names: string[]) => names.map((n) => GRPC_CODES[n]);

/** A minimal Envoy cluster; `extra` fields are spliced in. */
function cluster(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'svc',
    load_assignment: { endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: 7001 } } } }] }] },
    ...extra,
  };
}
function problem(document: unknown): string {
  try {
    readEnvoyClusters(document);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('Envoy v3 Cluster, read as written', () => {
  it('maps the seed cluster field by field, with notes for what grpc-js decides', () => {
    const read = readEnvoyClusters(EXAMPLE);
    expect(read.format).toBe('envoy');
    expect(read.clusters).toHaveLength(1);
    const { config, origins } = read.clusters[0]!;
    expect(config).toMatchObject({ name: 'internal_service_A', type: 'static', lbPolicy: 'round_robin', connectTimeoutMs: 30_000 });
    expect(config.endpoints).toEqual([
      { address: '127.0.0.1:80', zone: undefined, id: undefined, metadata: { health_check_port: '8282' } },
      { address: '127.0.0.2:80', zone: undefined, id: undefined, metadata: { health_check_port: '8282' } },
    ]);
    expect(config.healthChecks).toHaveLength(1);
    expect(config.healthChecks[0]).toMatchObject({
      timeoutMs: 2_000,
      intervalMs: 2_000,
      unhealthyThreshold: 1,
      healthyThreshold: 1,
      alwaysLogHealthCheckFailures: true,
      eventLogPath: '/var/log/envoy/health_check.log',
      checker: { kind: 'http', path: '/heathcheck' },
    });
    expect(config.outlierDetection).toMatchObject({
      enabled: true,
      consecutiveErrors: 3,
      consecutiveLocalOriginFailure: 3,
      failureCodes: codes(ENVOY_5XX_CODES),
      intervalMs: 10_000,
      baseEjectionTimeMs: 10_000,
      maxEjectionTimeMs: 300_000,
      maxEjectionPercent: 50,
      alwaysEjectOne: false,
    });
    // Envoy has no failed-instance memory: failback as soon as a host is healthy again.
    expect(config.zoneFailover.failedInstanceTtlMs).toBe(0);
    expect(read.notes).toEqual([
      'static_resources.clusters[0].http2_protocol_options: accepted; grpc-js negotiates HTTP/2 and manages its connections itself',
    ]);
    expect(origins['outlier_detection.consecutive_errors']).toEqual(['static_resources', 'clusters', 0, 'outlier_detection', 'consecutive_5xx']);
    expect(origins['endpoints[1].metadata.health_check_port']).toEqual(
      ['static_resources', 'clusters', 0, 'load_assignment', 'endpoints', 0, 'lb_endpoints', 1, 'endpoint', 'health_check_config', 'port_value'],
    );
    expect(origins['outlier_detection.max_ejection_time']).toBeUndefined(); // Envoy's default
  });

  it('reads one cluster, a clusters list, and JSON alike', () => {
    expect(readEnvoyClusters(cluster()).clusters[0]!.config.name).toBe('svc');
    expect(readEnvoyClusters({ clusters: [cluster(), cluster({ name: 'other' })] }).clusters.map((c) => c.config.name)).toEqual(['svc', 'other']);
    expect(readEnvoyClusters(JSON.parse(JSON.stringify({ static_resources: { clusters: [cluster()] } }))).clusters).toHaveLength(1);
    expect(problem({ clusters: [cluster(), cluster()] })).toBe('clusters[1].name: cluster "svc" is defined twice');
  });

  it("applies Envoy's defaults where they differ from ours", () => {
    const bare = readEnvoyClusters(cluster()).clusters[0]!.config;
    expect(bare.outlierDetection.enabled).toBe(false); // no outlier_detection block: Envoy ejects nothing
    expect(bare.lbPolicy).toBe('round_robin');
    expect(bare.connectTimeoutMs).toBe(5_000);
    expect(bare.zoneFailover.healthyThreshold).toBeCloseTo(1 / 1.4);
    const od = readEnvoyClusters(cluster({ outlier_detection: {} })).clusters[0]!.config.outlierDetection;
    expect(od).toMatchObject({ enabled: true, consecutiveErrors: 5, intervalMs: 10_000, baseEjectionTimeMs: 30_000, maxEjectionTimeMs: 300_000, maxEjectionPercent: 10, alwaysEjectOne: false });
    expect(od.successRateStdevFactor).toBe(OUTLIER_DETECTION_DEFAULTS.successRateStdevFactor);
  });

  it('maps Envoy spellings: policies, locality zones, overprovisioning, panic threshold, gateway failures, stdev in thousandths', () => {
    const read = readEnvoyClusters(
      cluster({
        lb_policy: 'LEAST_REQUEST',
        least_request_lb_config: { choice_count: 2 },
        common_lb_config: { healthy_panic_threshold: { value: 25 } },
        load_assignment: {
          policy: { overprovisioning_factor: 125 },
          endpoints: [
            { locality: { zone: 'zone-a' }, lb_endpoints: [{ endpoint: { address: { socket_address: { address: '::1', port_value: 7001 } } } }] },
          ],
        },
        outlier_detection: { enforcing_consecutive_5xx: 0, enforcing_consecutive_gateway_failure: 100, consecutive_gateway_failure: 2, success_rate_stdev_factor: 1500 },
      }),
    ).clusters[0]!.config;
    expect(read.lbPolicy).toBe('least_request');
    expect(read.endpoints[0]).toMatchObject({ address: '[::1]:7001', zone: 'zone-a' });
    expect(read.zoneFailover).toMatchObject({ healthyThreshold: 0.8, panicThreshold: 0.25 });
    expect(read.outlierDetection).toMatchObject({ consecutiveErrors: 2, failureCodes: codes(ENVOY_GATEWAY_CODES), successRateStdevFactor: 1.5 });
    expect(readEnvoyClusters(cluster({ lb_policy: 'RANDOM' })).clusters[0]!.config.lbPolicy).toBe('random');
  });

  it.each([
    [cluster({ lb_polcy: 'RANDOM' }), /^lb_polcy: unknown field of Envoy's Cluster \(zonemesh reads /],
    [cluster({ circuit_breakers: { per_host_thresholds: [] } }), "circuit_breakers.per_host_thresholds: Envoy's CircuitBreakers.per_host_thresholds is known but not implemented by zonemesh: limits are per cluster (per channel) only"],
    [cluster({ circuit_breakers: { thresholds: [{ max_requests: -1 }] } }), /^circuit_breakers\.thresholds\[0\]\.max_requests: /],
    [cluster({ circuit_breakers: { thresholds: [{ retry_budget: { budget_percent: { value: 20 } } }] } }), /^circuit_breakers\.thresholds\[0\]\.retry_budget: Envoy's CircuitBreakers.Thresholds.retry_budget is known but not implemented by zonemesh: the retry budget is retry_policy.budget/],
    [cluster({ round_robin_lb_config: { slow_start_config: { aggression: { default_value: 2 } } } }), 'round_robin_lb_config.slow_start_config.slow_start_window: required: without a window Envoy applies no slow start'],
    [cluster({ lb_policy: 'RANDOM', round_robin_lb_config: {} }), 'round_robin_lb_config: applies only with lb_policy ROUND_ROBIN'],
    [cluster({ lb_policy: 'RING_HASH' }), 'lb_policy: expected one of ROUND_ROBIN, LEAST_REQUEST, RANDOM (zonemesh implements these Envoy policies), got "RING_HASH"'],
    [cluster({ type: 'STRICT_DNS' }), /^type: type STRICT_DNS is not supported: DNS re-resolution is not implemented/],
    [{ clusters: [cluster({ health_checks: [{ interval: '1s', unhealthy_threshold: 1, healthy_threshold: 1, http_health_check: { path: '/' } }] })] }, 'clusters[0].health_checks[0].timeout: required by Envoy (it has no default)'],
    [cluster({ health_checks: [{ timeout: '1s', interval: '1s', unhealthy_threshold: 1, healthy_threshold: 1, tcp_health_check: {} }] }), /^health_checks\[0\]\.tcp_health_check: Envoy's HealthCheck.tcp_health_check is known but not implemented/],
    [cluster({ health_checks: [{ timeout: '1s', interval: '1s', unhealthy_threshold: 1, healthy_threshold: 1, no_traffic_healthy_interval: '60s', http_health_check: { path: '/' } }] }), /^health_checks\[0\]\.no_traffic_healthy_interval: Envoy's HealthCheck.no_traffic_healthy_interval is known but not implemented by zonemesh: not implemented/],
    [cluster({ outlier_detection: { enforcing_consecutive_5xx: 50 } }), /^outlier_detection\.enforcing_consecutive_5xx: only 0 or 100 is supported/],
    [cluster({ outlier_detection: { enforcing_consecutive_gateway_failure: 100 } }), /^outlier_detection\.enforcing_consecutive_gateway_failure: enforcing both consecutive_5xx and consecutive_gateway_failure is not implemented/],
    [cluster({ outlier_detection: { consecutive_local_origin_failure: 2 } }), 'outlier_detection.consecutive_local_origin_failure: applies only with split_external_local_origin_errors: true (Envoy ignores it otherwise)'],
    [cluster({ outlier_detection: { interval: 'soon' } }), 'outlier_detection.interval: expected a duration like "10s"'],
    [cluster({ load_assignment: { endpoints: [{ priority: 1, lb_endpoints: [] }] } }), /^load_assignment\.endpoints\[0\]\.priority: priorities are not implemented/],
  ])('refuses %j naming the field', (document, message) => {
    if (typeof message === 'string') expect(problem(document)).toBe(message);
    else expect(problem(document)).toMatch(message);
  });

  it("gives every cluster Envoy's circuit breakers: its defaults without the block, the DEFAULT threshold's limits with it", () => {
    expect(readEnvoyClusters(cluster()).clusters[0]!.config.circuitBreakers).toEqual({ maxConnections: 1024, maxPendingRequests: 1024, maxRequests: 1024, maxRetries: 3 });
    const read = readEnvoyClusters(
      cluster({
        circuit_breakers: {
          thresholds: [
            { priority: 'HIGH', max_requests: 5 },
            { priority: 'DEFAULT', max_connections: 64, max_pending_requests: { value: 32 }, max_requests: 100, max_retries: 4, track_remaining: true },
          ],
        },
      }),
    );
    const { config, origins } = read.clusters[0]!;
    expect(config.circuitBreakers).toEqual({ maxConnections: 64, maxPendingRequests: 32, maxRequests: 100, maxRetries: 4 });
    expect(origins['circuit_breakers.thresholds[0].max_requests']).toEqual(['circuit_breakers', 'thresholds', 1, 'max_requests']);
    expect(read.notes).toEqual(
      expect.arrayContaining([
        'circuit_breakers.thresholds[0]: accepted; priority HIGH thresholds are not used (no route has priority HIGH)',
        'circuit_breakers.thresholds[1].track_remaining: accepted; remaining counts are always in /admin/clusters (circuitBreakers.active)',
      ]),
    );
  });

  it('reads slow_start_config of round robin and least request (window, aggression.default_value, min_weight_percent.value)', () => {
    const rr = readEnvoyClusters(cluster({ round_robin_lb_config: { slow_start_config: { slow_start_window: '30s' } } })).clusters[0]!.config;
    expect(rr.slowStart).toEqual({ windowMs: 30_000, aggression: 1, minWeightPercent: 10 });
    const lr = readEnvoyClusters(
      cluster({
        lb_policy: 'LEAST_REQUEST',
        least_request_lb_config: { slow_start_config: { slow_start_window: '10s', aggression: { default_value: 2, runtime_key: 'x' }, min_weight_percent: { value: 25 } } },
      }),
    );
    expect(lr.clusters[0]!.config.slowStart).toEqual({ windowMs: 10_000, aggression: 2, minWeightPercent: 25 });
    expect(lr.notes).toContain('least_request_lb_config.slow_start_config.aggression.runtime_key: accepted; no Envoy runtime here: default_value applies');
  });

  it('splits local-origin failures only when asked, as Envoy does', () => {
    const od = readEnvoyClusters(cluster({ outlier_detection: { consecutive_5xx: 4, split_external_local_origin_errors: true, consecutive_local_origin_failure: 2 } })).clusters[0]!.config.outlierDetection;
    expect(od).toMatchObject({ consecutiveErrors: 4, consecutiveLocalOriginFailure: 2 });
  });
});
