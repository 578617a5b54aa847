import { ConfigError, childPath, optional, readArray, readBoolean, readDuration, readEnum, readInteger, readNumber, readObject, readString } from '@zonemesh/config';
import { parseHealthCheckConfig } from '../health/health-check.config.js';
import { readEnvoyCluster, readEnvoyClusters } from './envoy/envoy-cluster.parse.js';
import {
  GRPC_CODES,
  LB_POLICY_DEFAULTS,
  LB_POLICY_NAMES,
  OUTLIER_DETECTION_DEFAULTS,
  RETRY_POLICY_DEFAULTS,
  CIRCUIT_BREAKER_DEFAULTS,
  SLOW_START_DEFAULTS,
  WINDOWED_BUDGET_DEFAULTS,
  ZONE_FAILOVER_DEFAULTS,
  LATENCY_SPILL_DEFAULTS,
  type LatencySpillConfig,
  type ClusterConfig,
  type CircuitBreakerConfig,
  type SlowStartConfig,
  type LbPolicySettings,
  type OutlierDetectionConfig,
  type RetryPolicyConfig,
  type StaticEndpointConfig,
  type SubsetConfig,
  type WindowedBudgetConfig,
  type ZoneFailoverConfig,
} from './cluster-config.js';

/** Keys of a cluster (or of the `zonemesh` LB config) that shape balancing. */
export const POLICY_KEYS = [
  'lb_policy',
  'connect_timeout',
  'max_reconnect_backoff',
  'health_checks',
  'outlier_detection',
  'zone_failover',
  'retry_policy',
  'subset',
  'circuit_breakers',
  'slow_start_config',
];
const CLUSTER_KEYS = ['name', 'type', 'endpoints', 'app', ...POLICY_KEYS];

/**
 * Parses `{ clusters: [...] }` (parsed YAML) into typed clusters, validated
 * once: unknown keys are errors, durations are written `10s`/`250ms`, and
 * every error names its path (`clusters[1].outlier_detection.interval: ...`).
 */
export function parseClustersConfig(document: unknown, options: ClusterListOptions = {}): ClusterConfig[] {
  const root = readObject(document, '', ['clusters']);
  return parseClusterList(root.clusters, 'clusters', options);
}

export interface ClusterListOptions {
  /**
   * Reads an `envoy_file:` entry: the parsed document of the file it names
   * (relative to the file that holds the list). Without it such an entry is
   * refused.
   */
  readonly readFile?: (file: string) => unknown;
}

/**
 * The `clusters` list alone, for documents (mesh.yaml) that hold it among
 * other keys. An entry may instead be an Envoy v3 Cluster, inline
 * (`- envoy: { name: ..., lb_policy: ROUND_ROBIN, ... }`) or in a file
 * (`- envoy_file: envoy-cluster.yaml`, every cluster in it): read by the
 * Envoy reader with Envoy's spellings and defaults, not ours.
 */
export function parseClusterList(value: unknown, path = 'clusters', options: ClusterListOptions = {}): ClusterConfig[] {
  const list = readArray(value, path);
  const entries = list.map((item, index) => ({ at: childPath(path, index), clusters: parseClusterEntry(item, path, index, options) }));
  const seen = new Set<string>();
  for (const { at, clusters } of entries) {
    for (const cluster of clusters) {
      if (seen.has(cluster.name)) throw new ConfigError(childPath(at, 'name'), `cluster "${cluster.name}" is defined twice`);
      seen.add(cluster.name);
    }
  }
  return entries.flatMap((e) => e.clusters);
}

function parseClusterEntry(item: unknown, listPath: string, index: number, options: ClusterListOptions): ClusterConfig[] {
  const at = childPath(listPath, index);
  const isEnvoy = item !== null && typeof item === 'object' && !Array.isArray(item) && ('envoy' in item || 'envoy_file' in item);
  if (!isEnvoy) return [parseClusterConfig(item, at)];
  const node = readObject(item, at, ['envoy', 'envoy_file']);
  if (node.envoy !== undefined && node.envoy_file !== undefined) throw new ConfigError(at, 'give envoy (an inline Envoy Cluster) or envoy_file, not both');
  // Envoy's "accepted, grpc-js decides" notes are for `zonemesh config explain`; a running process has no one to tell.
  const notes: string[] = [];
  if (node.envoy !== undefined) return [readEnvoyCluster(node.envoy, [listPath, index, 'envoy'], notes).config];
  const filePath = childPath(at, 'envoy_file');
  const file = readString(node.envoy_file, filePath);
  if (!options.readFile) throw new ConfigError(filePath, 'an Envoy file can only be named from a configuration file (its path is relative to it)');
  let document: unknown;
  try {
    document = options.readFile(file);
  } catch (error) {
    throw new ConfigError(filePath, `cannot read ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
  try {
    return readEnvoyClusters(document).clusters.map((c) => c.config);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(filePath, `${file}: ${error.message}`);
    throw error;
  }
}

export function parseClusterConfig(value: unknown, path: string): ClusterConfig {
  const node = readObject(value, path, CLUSTER_KEYS);
  const at = (key: string): string => childPath(path, key);
  const name = readString(node.name, at('name'));
  const type = readEnum(node.type, at('type'), ['static', 'eureka'] as const);
  let app: string | undefined;
  let endpoints: StaticEndpointConfig[] = [];
  if (type === 'eureka') {
    if (node.endpoints !== undefined) throw new ConfigError(at('endpoints'), 'not allowed with type eureka (use app)');
    app = readString(node.app, at('app'));
  } else {
    if (node.app !== undefined) throw new ConfigError(at('app'), 'not allowed with type static (use endpoints)');
    const list = readArray(node.endpoints, at('endpoints'));
    if (list.length === 0) throw new ConfigError(at('endpoints'), 'expected at least one endpoint');
    endpoints = list.map((item, index) => parseStaticEndpoint(item, childPath(at('endpoints'), index)));
  }
  return { name, type, app, endpoints, ...parsePolicySettings(node, path) };
}

function parseStaticEndpoint(value: unknown, path: string): StaticEndpointConfig {
  const node = readObject(value, path, ['address', 'zone', 'id', 'metadata']);
  const at = (key: string): string => childPath(path, key);
  const address = readString(node.address, at('address'), /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+):\d{1,5}$/, 'expected host:port');
  const metadataNode = optional(node.metadata, {}, (v) => readObject(v, at('metadata'), v !== null && typeof v === 'object' ? Object.keys(v) : []));
  const metadata: Record<string, string> = {};
  for (const [key, v] of Object.entries(metadataNode)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw new ConfigError(childPath(at('metadata'), key), 'expected a string');
    }
    metadata[key] = String(v);
  }
  return {
    address,
    zone: optional(node.zone, undefined, (v) => readString(v, at('zone'))),
    id: optional(node.id, undefined, (v) => readString(v, at('id'))),
    metadata,
  };
}

/** The balancing keys of a map already checked for unknown keys by its caller. */
export function parsePolicySettings(node: Record<string, unknown>, path: string): LbPolicySettings {
  const at = (key: string): string => childPath(path, key);
  const healthChecksJson = optional(node.health_checks, [] as unknown[], (v) => readArray(v, at('health_checks')));
  const lbPolicy = optional(node.lb_policy, LB_POLICY_DEFAULTS.lbPolicy, (v) => readEnum(v, at('lb_policy'), LB_POLICY_NAMES));
  const slowStart = optional(node.slow_start_config, undefined, (v) => parseSlowStart(v, at('slow_start_config')));
  // Envoy has slow start on round_robin and least_request only; elsewhere it would be silently ignored.
  if (slowStart && lbPolicy !== 'round_robin' && lbPolicy !== 'least_request') {
    throw new ConfigError(at('slow_start_config'), `applies to lb_policy round_robin or least_request, not ${lbPolicy}`);
  }
  return {
    lbPolicy,
    connectTimeoutMs: optional(node.connect_timeout, LB_POLICY_DEFAULTS.connectTimeoutMs, (v) => positiveDuration(v, at('connect_timeout'))),
    maxReconnectBackoffMs: optional(node.max_reconnect_backoff, LB_POLICY_DEFAULTS.maxReconnectBackoffMs, (v) => positiveDuration(v, at('max_reconnect_backoff'))),
    healthChecks: healthChecksJson.map((item, index) => parseHealthCheckConfig(item, childPath(at('health_checks'), index))),
    healthChecksJson,
    outlierDetection: optional(node.outlier_detection, OUTLIER_DETECTION_DEFAULTS, (v) => parseOutlierDetection(v, at('outlier_detection'))),
    zoneFailover: optional(node.zone_failover, ZONE_FAILOVER_DEFAULTS, (v) => parseZoneFailover(v, at('zone_failover'))),
    retryPolicy: optional(node.retry_policy, undefined, (v) => parseRetryPolicy(v, at('retry_policy'))),
    subset: optional(node.subset, undefined, (v) => parseSubset(v, at('subset'))),
    circuitBreakers: optional(node.circuit_breakers, undefined, (v) => parseCircuitBreakers(v, at('circuit_breakers'))),
    slowStart,
  };
}

const THRESHOLD_KEYS = ['priority', 'max_connections', 'max_pending_requests', 'max_requests', 'max_retries'];

/** `circuit_breakers: { thresholds: [{ priority: DEFAULT, max_requests: 100, ... }] }`, Envoy's shape; omitted limits take Envoy's defaults. */
function parseCircuitBreakers(value: unknown, path: string): CircuitBreakerConfig {
  const node = readObject(value, path, ['thresholds']);
  const listPath = childPath(path, 'thresholds');
  const list = readArray(node.thresholds, listPath);
  if (list.length !== 1) throw new ConfigError(listPath, 'expected exactly one threshold (priority DEFAULT): routes have no priorities here');
  const itemPath = childPath(listPath, 0);
  const t = readObject(list[0], itemPath, THRESHOLD_KEYS);
  const at = (key: string): string => childPath(itemPath, key);
  if (t.priority !== undefined && readString(t.priority, at('priority')).toUpperCase() !== 'DEFAULT') {
    throw new ConfigError(at('priority'), 'only DEFAULT is supported (no HIGH priority routes)');
  }
  const d = CIRCUIT_BREAKER_DEFAULTS;
  const limit = (key: string, fallback: number): number => optional(t[key], fallback, (v) => readInteger(v, at(key), 0, 0xffffffff));
  return {
    maxConnections: limit('max_connections', d.maxConnections),
    maxPendingRequests: limit('max_pending_requests', d.maxPendingRequests),
    maxRequests: limit('max_requests', d.maxRequests),
    maxRetries: limit('max_retries', d.maxRetries),
  };
}

/** Envoy's `slow_start_config`: `slow_start_window` is required, `aggression` defaults to 1.0, `min_weight_percent` to 10. */
function parseSlowStart(value: unknown, path: string): SlowStartConfig {
  const node = readObject(value, path, ['slow_start_window', 'aggression', 'min_weight_percent']);
  const at = (key: string): string => childPath(path, key);
  const d = SLOW_START_DEFAULTS;
  const aggression = optional(node.aggression, d.aggression, (v) => readNumber(v, at('aggression'), 0, 100));
  if (aggression <= 0) throw new ConfigError(at('aggression'), 'must be greater than 0');
  if (node.slow_start_window === undefined) throw new ConfigError(at('slow_start_window'), 'required: how long an endpoint takes to ramp up, like "30s"');
  return {
    windowMs: positiveDuration(node.slow_start_window, at('slow_start_window')),
    aggression,
    minWeightPercent: optional(node.min_weight_percent, d.minWeightPercent, (v) => readNumber(v, at('min_weight_percent'), 0, 100)),
  };
}

function positiveDuration(value: unknown, path: string): number {
  const ms = readDuration(value, path);
  if (ms <= 0) throw new ConfigError(path, 'must be longer than 0ms');
  return ms;
}

function readCodes(value: unknown, path: string): number[] {
  return readArray(value, path).map((item, index) => {
    const itemPath = childPath(path, index);
    if (typeof item === 'number' && Number.isInteger(item) && item > 0 && item <= 16) return item;
    return GRPC_CODES[readEnum(item, itemPath, Object.keys(GRPC_CODES))]!;
  });
}

const OUTLIER_KEYS = [
  'enabled',
  'interval',
  'consecutive_errors',
  'consecutive_local_origin_failure',
  'failure_codes',
  'base_ejection_time',
  'max_ejection_time',
  'max_ejection_percent',
  'always_eject_one',
  'success_rate_stdev_factor',
  'success_rate_minimum_hosts',
  'success_rate_request_volume',
  'enforcing_success_rate',
  'failure_percentage_threshold',
  'failure_percentage_minimum_hosts',
  'failure_percentage_request_volume',
  'enforcing_failure_percentage',
];

function parseOutlierDetection(value: unknown, path: string): OutlierDetectionConfig {
  const node = readObject(value, path, OUTLIER_KEYS);
  const at = (key: string): string => childPath(path, key);
  const d = OUTLIER_DETECTION_DEFAULTS;
  const int = (key: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number =>
    optional(node[key], fallback, (v) => readInteger(v, at(key), min, max));
  const baseEjectionTimeMs = optional(node.base_ejection_time, d.baseEjectionTimeMs, (v) => positiveDuration(v, at('base_ejection_time')));
  const maxEjectionTimeMs = optional(node.max_ejection_time, Math.max(d.maxEjectionTimeMs, baseEjectionTimeMs), (v) =>
    positiveDuration(v, at('max_ejection_time')),
  );
  if (maxEjectionTimeMs < baseEjectionTimeMs) throw new ConfigError(at('max_ejection_time'), 'must not be shorter than base_ejection_time');
  return {
    enabled: optional(node.enabled, d.enabled, (v) => readBoolean(v, at('enabled'))),
    intervalMs: optional(node.interval, d.intervalMs, (v) => positiveDuration(v, at('interval'))),
    consecutiveErrors: int('consecutive_errors', d.consecutiveErrors, 0),
    consecutiveLocalOriginFailure: int('consecutive_local_origin_failure', d.consecutiveLocalOriginFailure, 0),
    failureCodes: optional(node.failure_codes, d.failureCodes, (v) => readCodes(v, at('failure_codes'))),
    baseEjectionTimeMs,
    maxEjectionTimeMs,
    maxEjectionPercent: int('max_ejection_percent', d.maxEjectionPercent, 0, 100),
    alwaysEjectOne: optional(node.always_eject_one, d.alwaysEjectOne, (v) => readBoolean(v, at('always_eject_one'))),
    successRateStdevFactor: optional(node.success_rate_stdev_factor, d.successRateStdevFactor, (v) =>
      readNumber(v, at('success_rate_stdev_factor'), 0, 100),
    ),
    successRateMinimumHosts: int('success_rate_minimum_hosts', d.successRateMinimumHosts, 1),
    successRateRequestVolume: int('success_rate_request_volume', d.successRateRequestVolume, 1),
    enforcingSuccessRate: int('enforcing_success_rate', d.enforcingSuccessRate, 0, 100),
    failurePercentageThreshold: int('failure_percentage_threshold', d.failurePercentageThreshold, 0, 100),
    failurePercentageMinimumHosts: int('failure_percentage_minimum_hosts', d.failurePercentageMinimumHosts, 1),
    failurePercentageRequestVolume: int('failure_percentage_request_volume', d.failurePercentageRequestVolume, 1),
    enforcingFailurePercentage: int('enforcing_failure_percentage', d.enforcingFailurePercentage, 0, 100),
  };
}

function parseZoneFailover(value: unknown, path: string): ZoneFailoverConfig {
  const node = readObject(value, path, ['zone_order', 'healthy_threshold', 'panic_threshold', 'failed_instance_ttl', 'latency']);
  const at = (key: string): string => childPath(path, key);
  const d = ZONE_FAILOVER_DEFAULTS;
  const zoneOrder = optional(node.zone_order, d.zoneOrder, (v) =>
    readArray(v, at('zone_order')).map((z, i) => readString(z, childPath(at('zone_order'), i))),
  );
  const healthyThreshold = optional(node.healthy_threshold, d.healthyThreshold, (v) => readNumber(v, at('healthy_threshold'), 0, 1));
  if (healthyThreshold <= 0) throw new ConfigError(at('healthy_threshold'), 'must be greater than 0');
  return {
    zoneOrder,
    healthyThreshold,
    panicThreshold: optional(node.panic_threshold, d.panicThreshold, (v) => readNumber(v, at('panic_threshold'), 0, 1)),
    failedInstanceTtlMs: optional(node.failed_instance_ttl, d.failedInstanceTtlMs, (v) => readDuration(v, at('failed_instance_ttl'))),
    latency: optional(node.latency, d.latency, (v) => parseLatencySpill(v, at('latency'))),
  };
}

function parseLatencySpill(value: unknown, path: string): LatencySpillConfig {
  const node = readObject(value ?? {}, path, ['factor', 'min_added']);
  const d = LATENCY_SPILL_DEFAULTS;
  const factor = optional(node.factor, d.factor, (v) => readNumber(v, childPath(path, 'factor'), 1, 1_000));
  if (factor <= 1) throw new ConfigError(childPath(path, 'factor'), 'must be greater than 1 (a zone is slow when it is this many times slower than the fastest)');
  return { factor, minAddedMs: optional(node.min_added, d.minAddedMs, (v) => readDuration(v, childPath(path, 'min_added'))) };
}

const RETRY_KEYS = [
  'max_attempts',
  'retry_on',
  'idempotent_methods',
  'base_interval',
  'max_interval',
  'budget_percent',
  'min_retry_concurrency',
  'budget',
  'per_try_timeout',
  'hedge_on_per_try_timeout',
  'timeout',
];
const METHOD_NAME = /^[A-Za-z_][\w.]*\/(\*|[A-Za-z_]\w*)$/;

function parseRetryPolicy(value: unknown, path: string): RetryPolicyConfig {
  const node = readObject(value, path, RETRY_KEYS);
  // Two budgets, one meaning each: naming both would leave one silently ignored.
  if (node.budget !== undefined && (node.budget_percent !== undefined || node.min_retry_concurrency !== undefined)) {
    throw new ConfigError(
      childPath(path, 'budget'),
      "give either budget (Linkerd's windowed budget) or budget_percent/min_retry_concurrency (Envoy's concurrency budget), not both",
    );
  }
  const at = (key: string): string => childPath(path, key);
  const d = RETRY_POLICY_DEFAULTS;
  const baseIntervalMs = optional(node.base_interval, d.baseIntervalMs, (v) => positiveDuration(v, at('base_interval')));
  const maxIntervalMs = optional(node.max_interval, Math.max(d.maxIntervalMs, baseIntervalMs), (v) => positiveDuration(v, at('max_interval')));
  if (maxIntervalMs < baseIntervalMs) throw new ConfigError(at('max_interval'), 'must not be shorter than base_interval');
  const timeoutMs = optional(node.timeout, undefined, (v) => positiveDuration(v, at('timeout')));
  const perTryTimeoutMs = optional(node.per_try_timeout, d.perTryTimeoutMs, (v) => positiveDuration(v, at('per_try_timeout')));
  const hedgeOnPerTryTimeout = optional(node.hedge_on_per_try_timeout, d.hedgeOnPerTryTimeout, (v) => readBoolean(v, at('hedge_on_per_try_timeout')));
  // Without a per-try timeout nothing would ever trigger a hedge: refuse rather than accept and ignore it.
  if (hedgeOnPerTryTimeout && perTryTimeoutMs === undefined) {
    throw new ConfigError(at('hedge_on_per_try_timeout'), 'needs per_try_timeout (the hedge starts when an attempt has had no answer for that long)');
  }
  if (perTryTimeoutMs !== undefined && timeoutMs !== undefined && perTryTimeoutMs >= timeoutMs) {
    throw new ConfigError(at('per_try_timeout'), `must be shorter than timeout (${timeoutMs} ms), or no second try ever starts`);
  }
  return {
    // grpc-js accepts 2..5 attempts in a retryPolicy; 1 means "no retries" and is written as no policy.
    maxAttempts: optional(node.max_attempts, d.maxAttempts, (v) => readInteger(v, at('max_attempts'), 1, 5)),
    retryOn: optional(node.retry_on, d.retryOn, (v) => readCodes(v, at('retry_on'))),
    idempotentMethods: optional(node.idempotent_methods, d.idempotentMethods, (v) =>
      readArray(v, at('idempotent_methods')).map((m, i) =>
        readString(m, childPath(at('idempotent_methods'), i), METHOD_NAME, 'expected "package.Service/Method" or "package.Service/*"'),
      ),
    ),
    baseIntervalMs,
    maxIntervalMs,
    budgetPercent: optional(node.budget_percent, d.budgetPercent, (v) => readNumber(v, at('budget_percent'), 0, 100)),
    minRetryConcurrency: optional(node.min_retry_concurrency, d.minRetryConcurrency, (v) => readInteger(v, at('min_retry_concurrency'), 0)),
    windowedBudget: optional(node.budget, d.windowedBudget, (v) => parseWindowedBudget(v, at('budget'))),
    timeoutMs,
    perTryTimeoutMs,
    hedgeOnPerTryTimeout,
  };
}

function parseWindowedBudget(value: unknown, path: string): WindowedBudgetConfig {
  const node = readObject(value, path, ['ratio', 'min_per_second', 'window']);
  const at = (key: string): string => childPath(path, key);
  const d = WINDOWED_BUDGET_DEFAULTS;
  return {
    ratio: optional(node.ratio, d.ratio, (v) => readNumber(v, at('ratio'), 0, 1_000)),
    minPerSecond: optional(node.min_per_second, d.minPerSecond, (v) => readNumber(v, at('min_per_second'), 0, 1_000_000)),
    windowMs: optional(node.window, d.windowMs, (v) => positiveDuration(v, at('window'))),
  };
}

function parseSubset(value: unknown, path: string): SubsetConfig {
  const node = readObject(value, path, ['header', 'metadata_key', 'default']);
  const at = (key: string): string => childPath(path, key);
  return {
    // gRPC metadata keys are lower case; a mixed-case header would never match.
    header: readString(node.header, at('header'), /^[a-z0-9_.-]+$/, 'expected a lower-case header name like "x-api-version"'),
    metadataKey: readString(node.metadata_key, at('metadata_key')),
    defaultValue: readString(node.default, at('default')),
  };
}
