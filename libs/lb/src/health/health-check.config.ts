import {
  ConfigError,
  childPath,
  optional,
  readArray,
  readBoolean,
  readDuration,
  readInteger,
  readObject,
  readPort,
  readString,
} from '@zonemesh/config';

/** `grpc.health.v1.Health/Check` against the endpoint. */
export interface GrpcHealthCheckConfig {
  readonly kind: 'grpc';
  /** The `service` field of the request; '' asks about the whole server (gRPC's convention). */
  readonly serviceName: string;
  /** `:authority` of the check; undefined: the checked address. */
  readonly authority: string | undefined;
}

/** A half-open status range `[start, end)`, as Envoy's `expected_statuses` (Int64Range). */
export interface HttpStatusRange {
  readonly start: number;
  readonly end: number;
}

/** `GET <path>` against the endpoint; a status outside `expectedStatuses` fails the host at once. */
export interface HttpHealthCheckConfig {
  readonly kind: 'http';
  readonly path: string;
  /** `Host` header; undefined: the checked `host:port`. */
  readonly host: string | undefined;
  readonly expectedStatuses: readonly HttpStatusRange[];
}

/**
 * One active health check of a cluster, with Envoy's field names and meaning
 * (config.core.v3.HealthCheck). Durations are in milliseconds.
 */
export interface HealthCheckConfig {
  readonly timeoutMs: number;
  /** Between checks of a healthy host (counted from the previous result, as Envoy does). */
  readonly intervalMs: number;
  /** A random 0..intervalJitterMs added to every interval. */
  readonly intervalJitterMs: number;
  /** A random 0..intervalJitterPercent % of the interval added to every interval. */
  readonly intervalJitterPercent: number;
  /** A random 0..initialJitterMs delay before a new host's first check (spreads a burst of new hosts). */
  readonly initialJitterMs: number;
  /** Consecutive failures that make a healthy host unhealthy (an ACTIVE failure needs one). */
  readonly unhealthyThreshold: number;
  /** Consecutive successes that make an unhealthy host healthy again (the very first check needs one). */
  readonly healthyThreshold: number;
  /** Interval while the cluster has seen no traffic (only with `awaitTraffic`). */
  readonly noTrafficIntervalMs: number;
  /** Interval for a host that is unhealthy. */
  readonly unhealthyIntervalMs: number;
  /** Interval for an unhealthy host that passed a check but not yet `healthyThreshold` of them. */
  readonly healthyEdgeIntervalMs: number;
  /** Interval for a healthy host that failed a check but not yet `unhealthyThreshold` of them. */
  readonly unhealthyEdgeIntervalMs: number;
  /** JSON-lines event log (appended); undefined: no file. */
  readonly eventLogPath: string | undefined;
  /** Log every failed check, not only ejections and the first check. */
  readonly alwaysLogHealthCheckFailures: boolean;
  /** `health_check_config.port_value`: check this port instead of the traffic port. */
  readonly portValue: number | undefined;
  readonly checker: GrpcHealthCheckConfig | HttpHealthCheckConfig;
}

/** Defaults for the optional fields (Envoy requires the first four; we default them so a demo config stays short). */
export const HEALTH_CHECK_DEFAULTS = {
  timeoutMs: 1_000,
  intervalMs: 5_000,
  intervalJitterMs: 0,
  intervalJitterPercent: 0,
  initialJitterMs: 0,
  unhealthyThreshold: 3,
  healthyThreshold: 2,
  noTrafficIntervalMs: 60_000,
  alwaysLogHealthCheckFailures: false,
  expectedStatuses: [{ start: 200, end: 201 }] as readonly HttpStatusRange[],
} as const;

const FIELDS = [
  'timeout',
  'interval',
  'interval_jitter',
  'interval_jitter_percent',
  'initial_jitter',
  'unhealthy_threshold',
  'healthy_threshold',
  'no_traffic_interval',
  'unhealthy_interval',
  'healthy_edge_interval',
  'unhealthy_edge_interval',
  'event_log_path',
  'always_log_health_check_failures',
  'health_check_config',
  'grpc_health_check',
  'http_health_check',
];

/**
 * Parses one entry of a cluster's `health_checks` (parsed YAML), e.g.
 * `{ timeout: '1s', interval: '1s', grpc_health_check: { service_name: 'catalog' } }`.
 * Throws a ConfigError naming the path, e.g.
 * `clusters[0].health_checks[0].interval: expected a duration like "10s"`.
 */
export function parseHealthCheckConfig(value: unknown, path: string): HealthCheckConfig {
  const node = readObject(value, path, FIELDS);
  const at = (key: string): string => childPath(path, key);
  const duration = (key: string, fallback: number, min = 0): number =>
    optional(node[key], fallback, (v) => {
      const ms = readDuration(v, at(key));
      if (ms < min) throw new ConfigError(at(key), `must be at least ${min}ms`);
      return ms;
    });

  const intervalMs = duration('interval', HEALTH_CHECK_DEFAULTS.intervalMs, 1);
  const unhealthyIntervalMs = duration('unhealthy_interval', intervalMs, 1);
  return {
    timeoutMs: duration('timeout', HEALTH_CHECK_DEFAULTS.timeoutMs, 1),
    intervalMs,
    intervalJitterMs: duration('interval_jitter', HEALTH_CHECK_DEFAULTS.intervalJitterMs),
    intervalJitterPercent: optional(node.interval_jitter_percent, HEALTH_CHECK_DEFAULTS.intervalJitterPercent, (v) =>
      readInteger(v, at('interval_jitter_percent'), 0, 100),
    ),
    initialJitterMs: duration('initial_jitter', HEALTH_CHECK_DEFAULTS.initialJitterMs),
    unhealthyThreshold: optional(node.unhealthy_threshold, HEALTH_CHECK_DEFAULTS.unhealthyThreshold, (v) =>
      readInteger(v, at('unhealthy_threshold'), 1, 1000),
    ),
    healthyThreshold: optional(node.healthy_threshold, HEALTH_CHECK_DEFAULTS.healthyThreshold, (v) =>
      readInteger(v, at('healthy_threshold'), 1, 1000),
    ),
    noTrafficIntervalMs: duration('no_traffic_interval', HEALTH_CHECK_DEFAULTS.noTrafficIntervalMs, 1),
    unhealthyIntervalMs,
    // Envoy: the edge intervals default to the interval of the state being left.
    healthyEdgeIntervalMs: duration('healthy_edge_interval', intervalMs, 1),
    unhealthyEdgeIntervalMs: duration('unhealthy_edge_interval', unhealthyIntervalMs, 1),
    eventLogPath: optional(node.event_log_path, undefined, (v) => readString(v, at('event_log_path'))),
    alwaysLogHealthCheckFailures: optional(
      node.always_log_health_check_failures,
      HEALTH_CHECK_DEFAULTS.alwaysLogHealthCheckFailures,
      (v) => readBoolean(v, at('always_log_health_check_failures')),
    ),
    portValue: optional(node.health_check_config, undefined, (v) => readPortValue(v, at('health_check_config'))),
    checker: readChecker(node, path),
  };
}

function readPortValue(value: unknown, path: string): number | undefined {
  const node = readObject(value, path, ['port_value']);
  return optional(node.port_value, undefined, (v) => {
    const port = readPort(v, childPath(path, 'port_value'));
    if (port === 0) throw new ConfigError(childPath(path, 'port_value'), 'must be between 1 and 65535, got 0');
    return port;
  });
}

function readChecker(node: Record<string, unknown>, path: string): GrpcHealthCheckConfig | HttpHealthCheckConfig {
  const grpc = node.grpc_health_check;
  const http = node.http_health_check;
  if (grpc !== undefined && http !== undefined) {
    throw new ConfigError(path, 'set exactly one of grpc_health_check, http_health_check, not both');
  }
  if (grpc !== undefined) return readGrpc(grpc, childPath(path, 'grpc_health_check'));
  if (http !== undefined) return readHttp(http, childPath(path, 'http_health_check'));
  throw new ConfigError(path, 'set exactly one of grpc_health_check, http_health_check');
}

function readGrpc(value: unknown, path: string): GrpcHealthCheckConfig {
  // `grpc_health_check: {}` and a bare `grpc_health_check:` (YAML null) both mean "the whole server".
  const node = readObject(value ?? {}, path, ['service_name', 'authority']);
  return {
    kind: 'grpc',
    serviceName: optional(node.service_name, '', (v) => readServiceName(v, childPath(path, 'service_name'))),
    authority: optional(node.authority, undefined, (v) => readString(v, childPath(path, 'authority'))),
  };
}

function readServiceName(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new ConfigError(path, 'expected a string');
  return value;
}

function readHttp(value: unknown, path: string): HttpHealthCheckConfig {
  const node = readObject(value, path, ['path', 'host', 'expected_statuses']);
  if (node.path === undefined) throw new ConfigError(childPath(path, 'path'), 'required (e.g. "/healthz")');
  return {
    kind: 'http',
    path: readString(node.path, childPath(path, 'path'), /^\//, 'must start with "/"'),
    host: optional(node.host, undefined, (v) => readString(v, childPath(path, 'host'))),
    expectedStatuses: optional(node.expected_statuses, HEALTH_CHECK_DEFAULTS.expectedStatuses, (v) =>
      readStatusRanges(v, childPath(path, 'expected_statuses')),
    ),
  };
}

/** `[[200, 400], 404]`: half-open ranges like Envoy's Int64Range, or single codes. */
function readStatusRanges(value: unknown, path: string): HttpStatusRange[] {
  const items = readArray(value, path);
  if (items.length === 0) throw new ConfigError(path, 'expected at least one status or [start, end) range');
  return items.map((item, index) => {
    const at = childPath(path, index);
    if (typeof item === 'number') {
      const code = readInteger(item, at, 100, 599);
      return { start: code, end: code + 1 };
    }
    const pair = readArray(item, at);
    if (pair.length !== 2) throw new ConfigError(at, `expected [start, end) like [200, 400], got ${pair.length} values`);
    const start = readInteger(pair[0], childPath(at, 0), 100, 599);
    const end = readInteger(pair[1], childPath(at, 1), 101, 600);
    if (end <= start) throw new ConfigError(at, `end must be greater than start (the range is [start, end)), got [${start}, ${end}]`);
    return { start, end };
  });
}

/** True when `status` falls in one of the ranges. */
export function isExpectedStatus(status: number, ranges: readonly HttpStatusRange[]): boolean {
  return ranges.some((range) => status >= range.start && status < range.end);
}
