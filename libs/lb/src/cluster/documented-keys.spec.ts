import { describe, expect, it } from 'vitest';
import { parseClusterConfig } from './cluster-config.parse.js';
import { clusterTarget } from './cluster-target.js';
import { clusterSettings } from './explain/cluster-settings.js';
import { ZonemeshLoadBalancingConfig, zonemeshChannelOptions } from '../policy/zonemesh.config.js';

/**
 * "No setting that does nothing" (issue 14 item 5): every key a mesh.yaml
 * cluster documents, changed on its own, changes what the channel is built
 * with — its target, or the settings the zonemesh balancer applies (parsed
 * back out of the service config grpc-js hands it), or its grpc-js options.
 * The list of keys is `zonemesh config explain`'s (clusterSettings), so a
 * key added there without a row here fails the completeness check.
 */

type Doc = Record<string, unknown>;

const staticBase = (): Doc => ({
  name: 'pricing',
  type: 'static',
  endpoints: [{ address: '127.0.0.1:7201', zone: 'zone-a', id: 'pricing-1', metadata: { version: 'v1' } }],
  health_checks: [{ grpc_health_check: {} }],
  retry_policy: { budget: { ratio: 0.2 } },
  subset: { header: 'x-api-version', metadata_key: 'version', default: 'v1' },
});
const httpBase = (): Doc => ({
  name: 'pricing',
  type: 'static',
  endpoints: [{ address: '127.0.0.1:7201' }],
  health_checks: [{ http_health_check: { path: '/healthz' } }],
  retry_policy: { timeout: '2s' },
});
const eurekaBase = (): Doc => ({ name: 'pricing', type: 'eureka', app: 'PRICING' });
const limitsBase = (): Doc => ({
  name: 'pricing',
  type: 'eureka',
  app: 'PRICING',
  retry_policy: { per_try_timeout: '500ms' },
  circuit_breakers: { thresholds: [{ priority: 'DEFAULT', max_requests: 80 }] },
});

const latencyBase = (): Doc => ({ ...staticBase(), zone_failover: { latency: { factor: 4, min_added: '200ms' } } });

/** Key (as explain lists it, indexes as [0]) → the base it applies to and a value other than the default. */
const CHANGES: Record<string, { base: () => Doc; value: unknown; edit?: (doc: Doc) => Doc; refused?: true }> = {
  name: { base: staticBase, value: 'inventory' },
  // The other type needs its own target key instead of the first one's.
  type: { base: eurekaBase, value: 'static', edit: ({ app: _app, ...doc }) => ({ ...doc, type: 'static', endpoints: [{ address: '127.0.0.1:7201' }] }) },
  app: { base: eurekaBase, value: 'STOCK' },
  'endpoints[0].address': { base: staticBase, value: '127.0.0.1:7202' },
  'endpoints[0].zone': { base: staticBase, value: 'zone-b' },
  'endpoints[0].id': { base: staticBase, value: 'pricing-9' },
  'endpoints[0].metadata.version': { base: staticBase, value: 'v2' },
  lb_policy: { base: staticBase, value: 'least_request' },
  connect_timeout: { base: staticBase, value: '2s' },
  max_reconnect_backoff: { base: httpBase, value: '9s' },
  'outlier_detection.enabled': { base: staticBase, value: false },
  'outlier_detection.interval': { base: staticBase, value: '3s' },
  'outlier_detection.consecutive_errors': { base: staticBase, value: 2 },
  'outlier_detection.consecutive_local_origin_failure': { base: staticBase, value: 2 },
  'outlier_detection.failure_codes': { base: staticBase, value: ['INTERNAL'] },
  'outlier_detection.base_ejection_time': { base: staticBase, value: '7s' },
  'outlier_detection.max_ejection_time': { base: staticBase, value: '70s' },
  'outlier_detection.max_ejection_percent': { base: staticBase, value: 50 },
  'outlier_detection.always_eject_one': { base: staticBase, value: false },
  'outlier_detection.success_rate_stdev_factor': { base: staticBase, value: 1.1 },
  'outlier_detection.success_rate_minimum_hosts': { base: staticBase, value: 3 },
  'outlier_detection.success_rate_request_volume': { base: staticBase, value: 20 },
  'outlier_detection.enforcing_success_rate': { base: staticBase, value: 50 },
  'outlier_detection.failure_percentage_threshold': { base: staticBase, value: 60 },
  'outlier_detection.failure_percentage_minimum_hosts': { base: staticBase, value: 3 },
  'outlier_detection.failure_percentage_request_volume': { base: staticBase, value: 20 },
  'outlier_detection.enforcing_failure_percentage': { base: staticBase, value: 100 },
  'zone_failover.zone_order': { base: staticBase, value: ['zone-b'] },
  'zone_failover.healthy_threshold': { base: staticBase, value: 0.5 },
  'zone_failover.panic_threshold': { base: staticBase, value: 0.3 },
  'zone_failover.failed_instance_ttl': { base: staticBase, value: '10s' },
  'zone_failover.latency.factor': { base: latencyBase, value: 5 },
  'zone_failover.latency.min_added': { base: latencyBase, value: '300ms' },
  'retry_policy.max_attempts': { base: staticBase, value: 4 },
  'retry_policy.retry_on': { base: staticBase, value: ['UNAVAILABLE', 'RESOURCE_EXHAUSTED'] },
  'retry_policy.idempotent_methods': { base: staticBase, value: ['zonemesh.pricing.v1.PricingService/*'] },
  'retry_policy.base_interval': { base: staticBase, value: '50ms' },
  'retry_policy.max_interval': { base: staticBase, value: '500ms' },
  'retry_policy.budget.ratio': { base: staticBase, value: 0.5 },
  'retry_policy.budget.min_per_second': { base: staticBase, value: 3 },
  'retry_policy.budget.window': { base: staticBase, value: '30s' },
  'retry_policy.budget_percent': { base: httpBase, value: 40 },
  'retry_policy.min_retry_concurrency': { base: httpBase, value: 7 },
  'retry_policy.timeout': { base: httpBase, value: '4s' },
  'retry_policy.per_try_timeout': { base: limitsBase, value: '300ms' },
  'retry_policy.hedge_on_per_try_timeout': { base: limitsBase, value: true },
  // One value only (DEFAULT): any other is an error, never a silent no-op.
  'circuit_breakers.thresholds[0].priority': { base: limitsBase, value: 'HIGH', refused: true },
  'circuit_breakers.thresholds[0].max_connections': { base: limitsBase, value: 8 },
  'circuit_breakers.thresholds[0].max_pending_requests': { base: limitsBase, value: 8 },
  'circuit_breakers.thresholds[0].max_requests': { base: limitsBase, value: 8 },
  'circuit_breakers.thresholds[0].max_retries': { base: limitsBase, value: 8 },
  'subset.header': { base: staticBase, value: 'x-version' },
  'subset.metadata_key': { base: staticBase, value: 'track' },
  'subset.default': { base: staticBase, value: 'v2' },
  'health_checks[0].timeout': { base: staticBase, value: '300ms' },
  'health_checks[0].interval': { base: staticBase, value: '2s' },
  'health_checks[0].interval_jitter': { base: staticBase, value: '100ms' },
  'health_checks[0].interval_jitter_percent': { base: staticBase, value: 10 },
  'health_checks[0].initial_jitter': { base: staticBase, value: '200ms' },
  'health_checks[0].unhealthy_threshold': { base: staticBase, value: 1 },
  'health_checks[0].healthy_threshold': { base: staticBase, value: 1 },
  'health_checks[0].unhealthy_interval': { base: staticBase, value: '9s' },
  'health_checks[0].healthy_edge_interval': { base: staticBase, value: '1s' },
  'health_checks[0].unhealthy_edge_interval': { base: staticBase, value: '1s' },
  'health_checks[0].no_traffic_interval': { base: staticBase, value: '30s' },
  'health_checks[0].always_log_health_check_failures': { base: staticBase, value: true },
  'health_checks[0].event_log_path': { base: staticBase, value: '/tmp/health.log' },
  'health_checks[0].grpc_health_check.service_name': { base: staticBase, value: 'zonemesh.pricing.v1.PricingService' },
  'health_checks[0].grpc_health_check.authority': { base: staticBase, value: 'pricing' },
  'health_checks[0].http_health_check.path': { base: httpBase, value: '/ready' },
  'health_checks[0].http_health_check.host': { base: httpBase, value: 'pricing.local' },
  'health_checks[0].http_health_check.expected_statuses': { base: httpBase, value: [[200, 300]] },
  'health_checks[0].health_check_config.port_value': { base: staticBase, value: 9464 },
};

/** Sets `key` (dots and [n]) in a copy of `doc`. */
function withKey(doc: Doc, key: string, value: unknown): Doc {
  const copy = structuredClone(doc);
  const parts = key.split(/\.|(?=\[)/).map((p) => (p.startsWith('[') ? Number(p.slice(1, -1)) : p));
  let node = copy as Record<string | number, unknown>;
  for (const part of parts.slice(0, -1)) {
    node[part] ??= {};
    node = node[part] as Record<string | number, unknown>;
  }
  node[parts.at(-1)!] = value;
  return copy;
}

/** What a channel is built with: the target, and the settings the balancer takes from the service config grpc-js hands it. */
function effective(doc: Doc): unknown {
  const cluster = parseClusterConfig(doc, 'cluster');
  const { interceptors: _interceptors, ...options } = zonemeshChannelOptions({ zone: 'zone-a', cluster });
  const serviceConfig = JSON.parse(options['grpc.service_config']) as { loadBalancingConfig: [{ zonemesh: unknown }]; methodConfig?: unknown };
  const applied = ZonemeshLoadBalancingConfig.createFromJson(serviceConfig.loadBalancingConfig[0].zonemesh);
  return {
    target: clusterTarget(cluster),
    cluster: applied.cluster,
    settings: applied.settings,
    methodConfig: serviceConfig.methodConfig,
    backoff: options['grpc.max_reconnect_backoff_ms'],
  };
}

describe('every documented cluster key changes what the channel does', () => {
  it('has a row for every key `zonemesh config explain` lists', () => {
    const listed = new Set([staticBase(), httpBase(), eurekaBase(), limitsBase()].flatMap((doc) => clusterSettings(parseClusterConfig(doc, 'cluster')).map((s) => s.key)));
    const missing = [...listed].filter((key) => !(key in CHANGES));
    expect(missing).toEqual([]);
  });

  it.each(Object.entries(CHANGES))('%s', (key, { base, value, edit, refused }) => {
    if (refused) {
      expect(() => effective(withKey(base(), key, value))).toThrow(key);
      return;
    }
    const before = effective(base());
    const after = effective(edit ? edit(base()) : withKey(base(), key, value));
    expect(after).not.toEqual(before);
  });
});
