import { formatDuration } from '@zonemesh/config';
import { codeName, type LbPolicySettings } from './cluster-config.js';

/**
 * Writes settings back in the configuration's own shape (snake_case keys,
 * `10s` durations, code names), so they travel inside a gRPC service config
 * and `parsePolicySettings` reads them back unchanged.
 */
export function policySettingsToJson(settings: LbPolicySettings): Record<string, unknown> {
  const od = settings.outlierDetection;
  const zf = settings.zoneFailover;
  const rp = settings.retryPolicy;
  return {
    lb_policy: settings.lbPolicy,
    connect_timeout: formatDuration(settings.connectTimeoutMs),
    max_reconnect_backoff: formatDuration(settings.maxReconnectBackoffMs),
    ...(settings.healthChecksJson.length > 0 ? { health_checks: settings.healthChecksJson } : {}),
    outlier_detection: {
      enabled: od.enabled,
      interval: formatDuration(od.intervalMs),
      consecutive_errors: od.consecutiveErrors,
      consecutive_local_origin_failure: od.consecutiveLocalOriginFailure,
      failure_codes: od.failureCodes.map(codeName),
      base_ejection_time: formatDuration(od.baseEjectionTimeMs),
      max_ejection_time: formatDuration(od.maxEjectionTimeMs),
      max_ejection_percent: od.maxEjectionPercent,
      always_eject_one: od.alwaysEjectOne,
      success_rate_stdev_factor: od.successRateStdevFactor,
      success_rate_minimum_hosts: od.successRateMinimumHosts,
      success_rate_request_volume: od.successRateRequestVolume,
      enforcing_success_rate: od.enforcingSuccessRate,
      failure_percentage_threshold: od.failurePercentageThreshold,
      failure_percentage_minimum_hosts: od.failurePercentageMinimumHosts,
      failure_percentage_request_volume: od.failurePercentageRequestVolume,
      enforcing_failure_percentage: od.enforcingFailurePercentage,
    },
    zone_failover: {
      zone_order: zf.zoneOrder,
      healthy_threshold: zf.healthyThreshold,
      panic_threshold: zf.panicThreshold,
      failed_instance_ttl: formatDuration(zf.failedInstanceTtlMs),
      ...(zf.latency ? { latency: { factor: zf.latency.factor, min_added: formatDuration(zf.latency.minAddedMs) } } : {}),
    },
    ...(rp
      ? {
          retry_policy: {
            max_attempts: rp.maxAttempts,
            retry_on: rp.retryOn.map(codeName),
            idempotent_methods: rp.idempotentMethods,
            base_interval: formatDuration(rp.baseIntervalMs),
            max_interval: formatDuration(rp.maxIntervalMs),
            ...(rp.windowedBudget
              ? {
                  budget: {
                    ratio: rp.windowedBudget.ratio,
                    min_per_second: rp.windowedBudget.minPerSecond,
                    window: formatDuration(rp.windowedBudget.windowMs),
                  },
                }
              : { budget_percent: rp.budgetPercent, min_retry_concurrency: rp.minRetryConcurrency }),
            ...(rp.timeoutMs === undefined ? {} : { timeout: formatDuration(rp.timeoutMs) }),
            ...(rp.perTryTimeoutMs === undefined ? {} : { per_try_timeout: formatDuration(rp.perTryTimeoutMs) }),
            ...(rp.hedgeOnPerTryTimeout ? { hedge_on_per_try_timeout: true } : {}),
          },
        }
      : {}),
    ...(settings.subset
      ? { subset: { header: settings.subset.header, metadata_key: settings.subset.metadataKey, default: settings.subset.defaultValue } }
      : {}),
    ...(settings.circuitBreakers
      ? {
          circuit_breakers: {
            thresholds: [
              {
                priority: 'DEFAULT',
                max_connections: settings.circuitBreakers.maxConnections,
                max_pending_requests: settings.circuitBreakers.maxPendingRequests,
                max_requests: settings.circuitBreakers.maxRequests,
                max_retries: settings.circuitBreakers.maxRetries,
              },
            ],
          },
        }
      : {}),
    ...(settings.slowStart
      ? {
          slow_start_config: {
            slow_start_window: formatDuration(settings.slowStart.windowMs),
            aggression: settings.slowStart.aggression,
            min_weight_percent: settings.slowStart.minWeightPercent,
          },
        }
      : {}),
  };
}
