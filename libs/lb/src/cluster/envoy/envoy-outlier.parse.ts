import { ConfigError, formatDuration, readBoolean, readDuration, readInteger, type DocumentPath } from '@zonemesh/config';
import { pathText, type ClusterDraft } from '../cluster-draft.js';
import { allOrNothing, readEnvoyMessage } from './envoy-message.js';

/**
 * What "5xx" means for a gRPC upstream. Envoy's router hands the outlier
 * detector the HTTP status its gRPC status maps to (Grpc::Utility::grpcToHttpStatus):
 * UNKNOWN, INTERNAL, DATA_LOSS → 500, UNIMPLEMENTED → 501, UNAVAILABLE → 503,
 * DEADLINE_EXCEEDED → 504. Those are the codes consecutive_5xx counts here.
 */
export const ENVOY_5XX_CODES = ['UNKNOWN', 'DEADLINE_EXCEEDED', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS'];
/** Envoy's "gateway failures" are 502, 503, 504: as gRPC codes, UNAVAILABLE and DEADLINE_EXCEEDED. */
export const ENVOY_GATEWAY_CODES = ['UNAVAILABLE', 'DEADLINE_EXCEEDED'];

/** Envoy's defaults (cluster.v3.OutlierDetection), where they are not ours. */
const ENVOY = { consecutive: 5, enforcingConsecutive5xx: 100, enforcingGateway: 0, localOrigin: 5, alwaysEjectOne: false };

const SAME_NAME_INTEGERS = [
  'max_ejection_percent',
  'success_rate_minimum_hosts',
  'success_rate_request_volume',
  'enforcing_success_rate',
  'failure_percentage_threshold',
  'enforcing_failure_percentage',
  'failure_percentage_minimum_hosts',
  'failure_percentage_request_volume',
];
const SAME_NAME_DURATIONS = ['interval', 'base_ejection_time', 'max_ejection_time'];

const OUTLIER_RULES = {
  supported: [
    ...SAME_NAME_INTEGERS,
    ...SAME_NAME_DURATIONS,
    'consecutive_5xx',
    'enforcing_consecutive_5xx',
    'consecutive_gateway_failure',
    'enforcing_consecutive_gateway_failure',
    'split_external_local_origin_errors',
    'consecutive_local_origin_failure',
    'enforcing_consecutive_local_origin_failure',
    'success_rate_stdev_factor',
    'always_eject_one_host',
    'max_ejection_time_jitter',
    'successful_active_health_check_uneject_host',
  ],
  refused: {
    enforcing_local_origin_success_rate: 'success rate counts every outcome together; local-origin failures are counted apart only for consecutive ejection',
    enforcing_failure_percentage_local_origin: 'failure percentage counts every outcome together',
    monitors: 'outlier detection extensions are not implemented',
    detect_degraded_as_unhealthy: 'hosts have no degraded state',
  },
};

/** Reads an Envoy `outlier_detection` into ours, with Envoy's defaults where they differ from ours. */
export function readEnvoyOutlierDetection(value: unknown, path: DocumentPath, draft: ClusterDraft, notes: string[]): void {
  const node = readEnvoyMessage(value ?? {}, path, 'OutlierDetection', OUTLIER_RULES, notes);
  const at = (key: string): DocumentPath => [...path, key];
  const int = (key: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number =>
    node[key] === undefined ? fallback : readInteger(node[key], pathText(at(key)), 0, max);
  const given = (key: string): DocumentPath | undefined => (node[key] === undefined ? undefined : at(key));
  draft.set('outlier_detection.enabled', true, path);

  // One consecutive-error streak in our model: consecutive_5xx, or consecutive_gateway_failure when only that one is enforced.
  const enforce5xx = allOrNothing(int('enforcing_consecutive_5xx', ENVOY.enforcingConsecutive5xx, 100), at('enforcing_consecutive_5xx'));
  const enforceGateway = allOrNothing(int('enforcing_consecutive_gateway_failure', ENVOY.enforcingGateway, 100), at('enforcing_consecutive_gateway_failure'));
  if (enforce5xx && enforceGateway) {
    throw new ConfigError(
      pathText(at('enforcing_consecutive_gateway_failure')),
      'enforcing both consecutive_5xx and consecutive_gateway_failure is not implemented: zonemesh keeps one consecutive-error streak (set enforcing_consecutive_5xx: 0 to eject on gateway failures only)',
    );
  }
  let streak = 0;
  if (enforce5xx) {
    streak = int('consecutive_5xx', ENVOY.consecutive);
    draft.set('outlier_detection.consecutive_errors', streak, given('consecutive_5xx'));
    draft.set('outlier_detection.failure_codes', ENVOY_5XX_CODES, given('consecutive_5xx'));
  } else if (enforceGateway) {
    streak = int('consecutive_gateway_failure', ENVOY.consecutive);
    draft.set('outlier_detection.consecutive_errors', streak, given('consecutive_gateway_failure'));
    draft.set('outlier_detection.failure_codes', ENVOY_GATEWAY_CODES, given('consecutive_gateway_failure'));
  } else {
    draft.set('outlier_detection.consecutive_errors', 0, given('enforcing_consecutive_5xx'));
  }

  const split = node.split_external_local_origin_errors !== undefined && readBoolean(node.split_external_local_origin_errors, pathText(at('split_external_local_origin_errors')));
  if (split) {
    const enforced = allOrNothing(int('enforcing_consecutive_local_origin_failure', 100, 100), at('enforcing_consecutive_local_origin_failure'));
    draft.set('outlier_detection.consecutive_local_origin_failure', enforced ? int('consecutive_local_origin_failure', ENVOY.localOrigin) : 0, given('consecutive_local_origin_failure'));
  } else {
    for (const key of ['consecutive_local_origin_failure', 'enforcing_consecutive_local_origin_failure']) {
      if (node[key] !== undefined) throw new ConfigError(pathText(at(key)), 'applies only with split_external_local_origin_errors: true (Envoy ignores it otherwise)');
    }
    // Unsplit, Envoy counts a connect failure as a 5xx in the same streak. We always count
    // local-origin failures apart, so they get the same threshold as the streak: the one
    // difference is that a streak mixing both kinds does not eject here.
    draft.set('outlier_detection.consecutive_local_origin_failure', streak, given(enforce5xx ? 'consecutive_5xx' : 'consecutive_gateway_failure'));
  }

  for (const key of SAME_NAME_DURATIONS) {
    if (node[key] !== undefined) draft.set(`outlier_detection.${key}`, formatDuration(readDuration(node[key], pathText(at(key)))), at(key));
  }
  for (const key of SAME_NAME_INTEGERS) {
    if (node[key] !== undefined) draft.set(`outlier_detection.${key}`, int(key, 0, key.includes('percent') || key.startsWith('enforcing') || key.endsWith('threshold') ? 100 : undefined), at(key));
  }
  // Envoy writes the factor in thousandths (1900 = 1.9).
  if (node.success_rate_stdev_factor !== undefined) {
    draft.set('outlier_detection.success_rate_stdev_factor', int('success_rate_stdev_factor', 1900) / 1000, at('success_rate_stdev_factor'));
  }
  // Envoy never ejects the only host a small cluster's percentage rounds to zero unless asked; we do by default.
  draft.set(
    'outlier_detection.always_eject_one',
    node.always_eject_one_host === undefined ? ENVOY.alwaysEjectOne : readBoolean(node.always_eject_one_host, pathText(at('always_eject_one_host'))),
    given('always_eject_one_host'),
  );
  if (node.max_ejection_time_jitter !== undefined && readDuration(node.max_ejection_time_jitter, pathText(at('max_ejection_time_jitter'))) !== 0) {
    throw new ConfigError(pathText(at('max_ejection_time_jitter')), 'is not implemented: ejection times are exact (base_ejection_time × ejections, capped by max_ejection_time)');
  }
  if (node.successful_active_health_check_uneject_host !== undefined && !readBoolean(node.successful_active_health_check_uneject_host, pathText(at('successful_active_health_check_uneject_host')))) {
    throw new ConfigError(pathText(at('successful_active_health_check_uneject_host')), 'false is not implemented: a passing active health check always un-ejects');
  }
}
