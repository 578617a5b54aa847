import type { ClusterFormat } from '../cluster-draft.js';

const LB_ENDPOINT = 'load_assignment.endpoints[].lb_endpoints[].endpoint';
const ROUTE_LEVEL = '- (a route setting in Envoy)';

/** Our key (indexes written `[]`) → the Envoy Cluster field it is read from. Keys not listed have Envoy's own name. */
const ENVOY: Record<string, string> = {
  'endpoints[].address': `${LB_ENDPOINT}.address.socket_address`,
  'endpoints[].zone': 'load_assignment.endpoints[].locality.zone',
  'endpoints[].id': '- (the address)',
  'endpoints[].metadata.health_check_port': `${LB_ENDPOINT}.health_check_config.port_value`,
  max_reconnect_backoff: '- (grpc-js reconnect backoff)',
  'outlier_detection.enabled': 'outlier_detection (present)',
  'outlier_detection.consecutive_errors': 'outlier_detection.consecutive_5xx',
  'outlier_detection.failure_codes': 'outlier_detection.consecutive_5xx (5xx as gRPC codes)',
  'outlier_detection.consecutive_local_origin_failure': 'outlier_detection.consecutive_local_origin_failure',
  'outlier_detection.always_eject_one': 'outlier_detection.always_eject_one_host',
  'outlier_detection.success_rate_stdev_factor': 'outlier_detection.success_rate_stdev_factor (÷1000)',
  'zone_failover.zone_order': '- (no zone order in Envoy)',
  'zone_failover.healthy_threshold': 'load_assignment.policy.overprovisioning_factor (100/x)',
  'zone_failover.panic_threshold': 'common_lb_config.healthy_panic_threshold.value (/100)',
  'zone_failover.failed_instance_ttl': '- (none: Envoy fails back at once)',
  'slow_start_config.slow_start_window': 'round_robin_lb_config / least_request_lb_config .slow_start_config.slow_start_window',
  'slow_start_config.aggression': 'round_robin_lb_config / least_request_lb_config .slow_start_config.aggression.default_value',
  'slow_start_config.min_weight_percent': 'round_robin_lb_config / least_request_lb_config .slow_start_config.min_weight_percent.value',
};

const SIMPLE = 'spring.cloud.discovery.simple.instances.<id>[]';
/** Our key → the Spring / eurekube property it is read from. */
const SPRING: Record<string, string> = {
  name: 'spring.cloud.discovery.simple.instances.<id>',
  type: '- (simple discovery: static)',
  'endpoints[].address': `${SIMPLE}.host, port`,
  'endpoints[].zone': `${SIMPLE}.metadata.zone`,
  'endpoints[].id': `${SIMPLE}.instance-id`,
  connect_timeout: 'eurekube.webclient.timeout.connect-timeout (ms)',
  'zone_failover.zone_order': 'eurekube.zone-failover.preferred-zone',
  'zone_failover.failed_instance_ttl': 'eurekube.zone-failover.cache.ttl',
  'zone_failover.healthy_threshold': '- (eurekube: the preferred zone while any instance is left)',
  'retry_policy.max_attempts': 'spring.cloud.loadbalancer.retry.enabled, max-retries-on-next-service-instance (+1)',
  'retry_policy.per_try_timeout': 'eurekube.webclient.timeout.read-timeout (ms)',
  'retry_policy.retry_on': '- (Spring retries IOExceptions: UNAVAILABLE)',
};

/** The name a setting has in the file's own dialect; `-` when that dialect has no such setting. */
export function nativeName(format: ClusterFormat, key: string): string {
  const generic = key.replace(/\[\d+\]/g, '[]');
  if (format === 'zonemesh') return key;
  if (format === 'envoy') {
    if (generic.startsWith('retry_policy.') || generic.startsWith('subset.')) return ROUTE_LEVEL;
    return ENVOY[generic] ?? (generic.startsWith('endpoints[].metadata.') ? '-' : generic);
  }
  if (generic.startsWith('endpoints[].metadata.')) return `${SIMPLE}.metadata.${generic.slice('endpoints[].metadata.'.length)}`;
  return SPRING[generic] ?? '-';
}
