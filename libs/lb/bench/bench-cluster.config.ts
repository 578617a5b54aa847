/**
 * The cluster settings every zonemesh run of the bench uses: mesh.yaml's
 * catalog cluster with every feature on, failed_instance_ttl shortened to
 * 5s so failback fits in the run. Plain JSON, as written in YAML.
 */
export function benchPolicyJson(options: { failedInstanceTtl: string; healthInterval: string; withHealthChecks: boolean; withSubset: boolean }): Record<string, unknown> {
  return {
    lb_policy: 'round_robin',
    connect_timeout: '1s',
    ...(options.withHealthChecks
      ? {
          health_checks: [
            {
              grpc_health_check: {},
              interval: options.healthInterval,
              timeout: '500ms',
              unhealthy_threshold: 2,
              healthy_threshold: 2,
              interval_jitter_percent: 10,
            },
          ],
        }
      : {}),
    outlier_detection: {
      interval: '1s',
      consecutive_errors: 3,
      consecutive_local_origin_failure: 2,
      base_ejection_time: '5s',
      max_ejection_time: '60s',
    },
    zone_failover: { zone_order: ['zone-b', 'zone-c'], healthy_threshold: 0.72, panic_threshold: 0.5, failed_instance_ttl: options.failedInstanceTtl },
    retry_policy: { max_attempts: 3, retry_on: ['UNAVAILABLE'], base_interval: '25ms', max_interval: '250ms', budget: { ratio: 0.2, min_per_second: 10, window: '10s' } },
    ...(options.withSubset ? { subset: { header: 'x-api-version', metadata_key: 'version', default: 'v1' } } : {}),
  };
}

export const ZONES = ['zone-a', 'zone-b', 'zone-c'] as const;
