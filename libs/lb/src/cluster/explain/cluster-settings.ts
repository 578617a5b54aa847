import { formatDuration } from '@zonemesh/config';
import { policySettingsToJson } from '../cluster-config.json.js';
import type { ClusterConfig } from '../cluster-config.js';
import type { HealthCheckConfig } from '../../health/health-check.config.js';

/** One effective setting: our key (`outlier_detection.interval`) and its value as configuration writes it. */
export interface ClusterSetting {
  readonly key: string;
  readonly value: string;
}

/** A health check after defaults, in the keys `health_checks[]` is written with. */
function healthCheckJson(check: HealthCheckConfig): Record<string, unknown> {
  const checker =
    check.checker.kind === 'grpc'
      ? { grpc_health_check: { service_name: check.checker.serviceName, ...(check.checker.authority ? { authority: check.checker.authority } : {}) } }
      : {
          http_health_check: {
            path: check.checker.path,
            ...(check.checker.host ? { host: check.checker.host } : {}),
            expected_statuses: check.checker.expectedStatuses.map((r) => `[${r.start}, ${r.end})`),
          },
        };
  return {
    timeout: formatDuration(check.timeoutMs),
    interval: formatDuration(check.intervalMs),
    interval_jitter: formatDuration(check.intervalJitterMs),
    interval_jitter_percent: check.intervalJitterPercent,
    initial_jitter: formatDuration(check.initialJitterMs),
    unhealthy_threshold: check.unhealthyThreshold,
    healthy_threshold: check.healthyThreshold,
    unhealthy_interval: formatDuration(check.unhealthyIntervalMs),
    healthy_edge_interval: formatDuration(check.healthyEdgeIntervalMs),
    unhealthy_edge_interval: formatDuration(check.unhealthyEdgeIntervalMs),
    no_traffic_interval: formatDuration(check.noTrafficIntervalMs),
    ...(check.eventLogPath ? { event_log_path: check.eventLogPath } : {}),
    always_log_health_check_failures: check.alwaysLogHealthCheckFailures,
    ...(check.portValue ? { health_check_config: { port_value: check.portValue } } : {}),
    ...checker,
  };
}

function flatten(value: unknown, key: string, out: ClusterSetting[]): void {
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object')) {
    out.push({ key, value: value.length === 0 ? '[]' : value.join(', ') });
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => flatten(item, `${key}[${i}]`, out));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, key ? `${key}.${k}` : k, out);
  } else if (value !== undefined) {
    out.push({ key, value: String(value) });
  }
}

/**
 * Every setting of a cluster after defaults, flattened to the keys mesh.yaml
 * writes (`endpoints[0].zone`, `health_checks[0].interval`): what
 * `zonemesh config explain` lists, one row each.
 */
export function clusterSettings(cluster: ClusterConfig): ClusterSetting[] {
  const endpoints = cluster.endpoints.map((e) => ({ address: e.address, zone: e.zone, id: e.id, ...(Object.keys(e.metadata).length > 0 ? { metadata: e.metadata } : {}) }));
  const { health_checks: _written, ...policy } = policySettingsToJson(cluster);
  const out: ClusterSetting[] = [];
  flatten(
    {
      name: cluster.name,
      type: cluster.type,
      ...(cluster.type === 'eureka' ? { app: cluster.app } : { endpoints }),
      ...policy,
      ...(cluster.healthChecks.length > 0 ? { health_checks: cluster.healthChecks.map(healthCheckJson) } : {}),
    },
    '',
    out,
  );
  return out;
}
