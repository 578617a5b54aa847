import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '@zonemesh/config';
import { policySettingsToJson } from './cluster-config.json.js';
import { parseClusterList, parseClustersConfig, parsePolicySettings } from './cluster-config.parse.js';
import { clusterTarget } from './cluster-target.js';
import { zonemeshChannelOptions, ZonemeshLoadBalancingConfig } from '../policy/zonemesh.config.js';

const YAML = `
clusters:
  - name: catalog
    type: eureka
    app: CATALOG
    lb_policy: peak_ewma
    connect_timeout: 250ms
    health_checks:
      - interval: 1s
        timeout: 500ms
        grpc_health_check: { service_name: catalog }
    outlier_detection: { interval: 5s, consecutive_errors: 3, failure_codes: [UNAVAILABLE] }
    zone_failover: { zone_order: [zone-b, zone-c], failed_instance_ttl: 10s }
    retry_policy: { max_attempts: 3, idempotent_methods: [zonemesh.catalog.Catalog/GetProduct], timeout: 3s }
    subset: { header: x-api-version, metadata_key: version, default: v1 }
  - name: pricing
    type: static
    endpoints:
      - { address: 127.0.0.1:5001, zone: zone-a, id: p1, metadata: { version: v1, weight: 2 } }
      - { address: 127.0.0.1:5002 }
`;

function problem(text: string): string {
  try {
    parseClustersConfig(parseYaml(text));
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('parseClustersConfig', () => {
  it('reads per_try_timeout and hedge_on_per_try_timeout, and they survive the round trip through the service config JSON', () => {
    const [cluster] = parseClusterList([{ name: 'c', type: 'eureka', app: 'C', retry_policy: { per_try_timeout: '300ms', hedge_on_per_try_timeout: true } }], 'clusters');
    expect(cluster!.retryPolicy).toMatchObject({ perTryTimeoutMs: 300, hedgeOnPerTryTimeout: true });
    const roundTrip = ZonemeshLoadBalancingConfig.createFromJson(JSON.parse(JSON.stringify(policySettingsToJson(cluster!))));
    expect(roundTrip.settings.retryPolicy).toEqual(cluster!.retryPolicy);
  });

  it("reads Linkerd's windowed retry budget with defaults, survives the round trip through the service config JSON, and refuses it beside Envoy's", () => {
    const [cluster] = parseClusterList([{ name: 'c', type: 'eureka', app: 'C', retry_policy: { budget: { ratio: 0.1 } } }], 'clusters');
    expect(cluster!.retryPolicy!.windowedBudget).toEqual({ ratio: 0.1, minPerSecond: 10, windowMs: 10_000 });
    expect(parsePolicySettings(policySettingsToJson(cluster!), 'zonemesh').retryPolicy!.windowedBudget).toEqual({ ratio: 0.1, minPerSecond: 10, windowMs: 10_000 });
    expect(() => parseClusterList([{ name: 'c', type: 'eureka', app: 'C', retry_policy: { budget: {}, budget_percent: 20 } }], 'clusters')).toThrow(
      "clusters[0].retry_policy.budget: give either budget (Linkerd's windowed budget) or budget_percent/min_retry_concurrency (Envoy's concurrency budget), not both",
    );
    expect(() => parseClusterList([{ name: 'c', type: 'eureka', app: 'C', retry_policy: { budget: { window: 'soon' } } }], 'clusters')).toThrow(
      'clusters[0].retry_policy.budget.window: expected a duration like "10s"',
    );
  });

  it("reads circuit_breakers in Envoy's shape (omitted limits take Envoy's defaults) and slow_start_config, both surviving the service config JSON", () => {
    const [cluster] = parseClusterList(
      [
        {
          name: 'c',
          type: 'eureka',
          app: 'C',
          circuit_breakers: { thresholds: [{ priority: 'DEFAULT', max_requests: 64 }] },
          slow_start_config: { slow_start_window: '20s', aggression: 2 },
        },
      ],
      'clusters',
    );
    expect(cluster!.circuitBreakers).toEqual({ maxConnections: 1024, maxPendingRequests: 1024, maxRequests: 64, maxRetries: 3 });
    expect(cluster!.slowStart).toEqual({ windowMs: 20_000, aggression: 2, minWeightPercent: 10 });
    const back = parsePolicySettings(policySettingsToJson(cluster!), 'zonemesh');
    expect(back.circuitBreakers).toEqual(cluster!.circuitBreakers);
    expect(back.slowStart).toEqual(cluster!.slowStart);
    // Absent: no limits at all (Envoy files get Envoy's defaults from their reader).
    expect(parseClusterList([{ name: 'c', type: 'eureka', app: 'C' }], 'clusters')[0]!.circuitBreakers).toBeUndefined();
  });

  it('reads every section with defaults for what is left out', () => {
    const [catalog, pricing] = parseClustersConfig(parseYaml(YAML));
    expect(catalog).toMatchObject({
      name: 'catalog',
      type: 'eureka',
      app: 'CATALOG',
      lbPolicy: 'peak_ewma',
      connectTimeoutMs: 250,
      outlierDetection: { intervalMs: 5_000, consecutiveErrors: 3, failureCodes: [14], baseEjectionTimeMs: 30_000, maxEjectionPercent: 10, alwaysEjectOne: true },
      zoneFailover: { zoneOrder: ['zone-b', 'zone-c'], healthyThreshold: 0.72, panicThreshold: 0.5, failedInstanceTtlMs: 10_000 },
      retryPolicy: { maxAttempts: 3, retryOn: [14], timeoutMs: 3_000, budgetPercent: 20, minRetryConcurrency: 3 },
      subset: { header: 'x-api-version', metadataKey: 'version', defaultValue: 'v1' },
    });
    expect(catalog!.healthChecks[0]).toMatchObject({ intervalMs: 1_000, timeoutMs: 500 });
    expect(pricing).toMatchObject({ lbPolicy: 'round_robin', connectTimeoutMs: 5_000, retryPolicy: undefined, zoneFailover: { failedInstanceTtlMs: 1_200_000 } });
    expect(clusterTarget(pricing!)).toBe('static:///127.0.0.1:5001,127.0.0.1:5002?zones=zone-a%2C&ids=p1%2C127.0.0.1%3A5002&md.version=v1%2C&md.weight=2%2C');
  });

  it('carries a whole cluster through the service config and reads it back the same', () => {
    const [catalog] = parseClustersConfig(parseYaml(YAML));
    const serviceConfig = JSON.parse(zonemeshChannelOptions({ zone: 'zone-a', cluster: catalog })['grpc.service_config']);
    const back = ZonemeshLoadBalancingConfig.createFromJson(serviceConfig.loadBalancingConfig[0].zonemesh);
    expect(back.zone).toBe('zone-a');
    expect(back.cluster).toBe('catalog');
    const { name: _n, type: _t, app: _a, endpoints: _e, ...settings } = catalog!;
    expect(back.settings).toEqual(settings);
    // Retries become grpc-js retry policies; DEADLINE_EXCEEDED only for the idempotent method;
    // CANCELLED with UNAVAILABLE (calls cut by a closed connection, see retryableCodes).
    expect(serviceConfig.methodConfig).toEqual([
      {
        name: [{}],
        retryPolicy: { maxAttempts: 3, initialBackoff: '0.025s', maxBackoff: '0.25s', backoffMultiplier: 2, retryableStatusCodes: ['UNAVAILABLE', 'CANCELLED'] },
        timeout: '3s',
      },
      {
        name: [{ service: 'zonemesh.catalog.Catalog', method: 'GetProduct' }],
        retryPolicy: {
          maxAttempts: 3,
          initialBackoff: '0.025s',
          maxBackoff: '0.25s',
          backoffMultiplier: 2,
          retryableStatusCodes: ['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'CANCELLED'],
        },
        timeout: '3s',
      },
    ]);
  });

  it.each([
    [
      'clusters: [{ name: a, type: eureka, app: A }, { name: b, type: eureka, app: B, outlier_detection: { interval: ten } }]',
      'clusters[1].outlier_detection.interval: expected a duration like "10s"',
    ],
    ['clusters: [{ name: a, type: eureka, app: A, lb_polcy: random }]', 'clusters[0].lb_polcy: unknown key'],
    ['clusters: [{ name: a, type: eureka, app: A, zone_failover: { failed_instance_ttl: 10 } }]', 'clusters[0].zone_failover.failed_instance_ttl: expected a duration like "10s"'],
    ['clusters: [{ name: a, type: static, endpoints: [{ address: nowhere }] }]', 'clusters[0].endpoints[0].address: expected host:port'],
    ['clusters: [{ name: a, type: eureka, app: A, retry_policy: { retry_on: [UNAVAILABLE, OOPS] } }]', 'clusters[0].retry_policy.retry_on[1]: expected one of'],
    ['clusters: [{ name: a, type: eureka, app: A, retry_policy: { max_attempts: 9 } }]', 'clusters[0].retry_policy.max_attempts: must be between 1 and 5, got 9'],
    ['clusters: [{ name: a, type: eureka, app: A, subset: { header: X-Api-Version, metadata_key: version, default: v1 } }]', 'clusters[0].subset.header: expected a lower-case header name'],
    ['clusters: [{ name: a, type: eureka, app: A, health_checks: [{ interval: 1 }] }]', 'clusters[0].health_checks[0].interval: expected a duration like "10s"'],
    ['clusters: [{ name: a, type: eureka, app: A }, { name: a, type: eureka, app: B }]', 'clusters[1].name: cluster "a" is defined twice'],
    ['clusters: [{ name: a, type: eureka }]', 'clusters[0].app: expected a non-empty string'],
    ['clusterz: []', 'clusterz: unknown key'],
    ['clusters: [{ name: a, type: eureka, app: A, circuit_breakers: { thresholds: [{ max_request: 5 }] } }]', 'clusters[0].circuit_breakers.thresholds[0].max_request: unknown key'],
    ['clusters: [{ name: a, type: eureka, app: A, circuit_breakers: { thresholds: [{ priority: HIGH }] } }]', 'clusters[0].circuit_breakers.thresholds[0].priority: only DEFAULT is supported'],
    ['clusters: [{ name: a, type: eureka, app: A, circuit_breakers: { thresholds: [] } }]', 'clusters[0].circuit_breakers.thresholds: expected exactly one threshold'],
    ['clusters: [{ name: a, type: eureka, app: A, slow_start_config: { aggression: 2 } }]', 'clusters[0].slow_start_config.slow_start_window: required'],
    ['clusters: [{ name: a, type: eureka, app: A, lb_policy: random, slow_start_config: { slow_start_window: 10s } }]', 'clusters[0].slow_start_config: applies to lb_policy round_robin or least_request, not random'],
    ['clusters: [{ name: a, type: eureka, app: A, slow_start_config: { slow_start_window: 10s, aggression: 0 } }]', 'clusters[0].slow_start_config.aggression: must be greater than 0'],
  ])('names the path of the mistake: %s', (text, message) => {
    expect(problem(text)).toContain(message);
  });
});
