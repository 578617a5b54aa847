import { ConfigError, childPath, formatDuration, optional, readArray, readBoolean, readDuration, readInteger, readString, type DocumentPath } from '@zonemesh/config';
import { pathText, type ClusterDraft } from '../cluster-draft.js';
import { readEnvoyMessage } from './envoy-message.js';

/** Duration fields of config.core.v3.HealthCheck that have the same name and meaning in our health_checks. */
const DURATIONS = ['timeout', 'interval', 'initial_jitter', 'interval_jitter', 'unhealthy_interval', 'unhealthy_edge_interval', 'healthy_edge_interval', 'no_traffic_interval'];
/** Envoy requires these (no defaults), so an Envoy file must give them. */
const REQUIRED = ['timeout', 'interval', 'unhealthy_threshold', 'healthy_threshold'];

const HEALTH_CHECK_RULES = {
  supported: [
    ...DURATIONS,
    'interval_jitter_percent',
    'unhealthy_threshold',
    'healthy_threshold',
    'reuse_connection',
    'event_log_path',
    'always_log_health_check_failures',
    'http_health_check',
    'grpc_health_check',
  ],
  refused: {
    tcp_health_check: 'only grpc_health_check and http_health_check exist',
    custom_health_check: 'only grpc_health_check and http_health_check exist',
    redis_health_check: 'only grpc_health_check and http_health_check exist',
    no_traffic_healthy_interval: 'not implemented: a host of a cluster without traffic is checked at no_traffic_interval, healthy or not',
    event_logger: 'the event log is a JSON-lines file: use event_log_path',
    event_service: 'the event log is a JSON-lines file: use event_log_path',
    always_log_health_check_success: 'successes are logged only when they bring a host back',
    tls_options: 'health checks run without TLS',
    transport_socket_match_criteria: 'health checks run without TLS',
    alt_port: 'use the endpoint health_check_config.port_value',
  },
};

/** Reads `health_checks[index]` of an Envoy cluster into `health_checks[index]` of ours. */
export function readEnvoyHealthCheck(value: unknown, path: DocumentPath, index: number, draft: ClusterDraft, notes: string[]): void {
  const node = readEnvoyMessage(value, path, 'HealthCheck', HEALTH_CHECK_RULES, notes);
  const ours = (key: string) => `health_checks[${index}].${key}`;
  const at = (key: string): DocumentPath => [...path, key];
  for (const key of REQUIRED) {
    if (node[key] === undefined) throw new ConfigError(pathText(at(key)), 'required by Envoy (it has no default)');
  }
  for (const key of DURATIONS) {
    if (node[key] !== undefined) draft.set(ours(key), formatDuration(readDuration(node[key], pathText(at(key)))), at(key));
  }
  for (const key of ['unhealthy_threshold', 'healthy_threshold', 'interval_jitter_percent']) {
    if (node[key] !== undefined) draft.set(ours(key), readInteger(node[key], pathText(at(key)), 0), at(key));
  }
  // Our probes keep one connection per host, as Envoy does by default.
  if (node.reuse_connection !== undefined && !readBoolean(node.reuse_connection, pathText(at('reuse_connection')))) {
    throw new ConfigError(pathText(at('reuse_connection')), 'false is not implemented: zonemesh always reuses the health-check connection');
  }
  if (node.event_log_path !== undefined) draft.set(ours('event_log_path'), readString(node.event_log_path, pathText(at('event_log_path'))), at('event_log_path'));
  if (node.always_log_health_check_failures !== undefined) {
    const key = 'always_log_health_check_failures';
    draft.set(ours(key), readBoolean(node[key], pathText(at(key))), at(key));
  }
  if (node.http_health_check !== undefined) readHttp(node.http_health_check, at('http_health_check'), ours('http_health_check'), draft, notes);
  if (node.grpc_health_check !== undefined) readGrpc(node.grpc_health_check, at('grpc_health_check'), ours('grpc_health_check'), draft, notes);
  // Neither or both: our own reader names the problem (at our path, which the draft mirrors).
  if ((node.http_health_check === undefined) === (node.grpc_health_check === undefined)) {
    throw new ConfigError(pathText(path), 'set exactly one of http_health_check, grpc_health_check');
  }
}

function readHttp(value: unknown, path: DocumentPath, ours: string, draft: ClusterDraft, notes: string[]): void {
  const node = readEnvoyMessage(value, path, 'HealthCheck.HttpHealthCheck', {
    supported: ['path', 'host', 'expected_statuses'],
    refused: {
      request_headers_to_add: 'health-check requests carry no extra headers',
      request_headers_to_remove: 'health-check requests carry no extra headers',
      retriable_statuses: 'a status outside expected_statuses fails the host at once',
      codec_client_type: 'HTTP health checks use HTTP/1.1',
      service_name_matcher: 'not implemented',
      method: 'health checks send GET',
      send: 'health checks send GET',
      receive: 'the body is not inspected',
      response_buffer_size: 'the body is not inspected',
    },
  }, notes);
  const at = (key: string): DocumentPath => [...path, key];
  if (node.path === undefined) throw new ConfigError(pathText(at('path')), 'required (e.g. "/healthz")');
  draft.set(`${ours}.path`, readString(node.path, pathText(at('path')), /^\//, 'must start with "/"'), at('path'));
  if (node.host !== undefined) draft.set(`${ours}.host`, readString(node.host, pathText(at('host'))), at('host'));
  if (node.expected_statuses !== undefined) {
    // Envoy writes Int64Range messages `{start, end}` (end exclusive); ours writes `[start, end]` with the same meaning.
    const ranges = readArray(node.expected_statuses, pathText(at('expected_statuses'))).map((range, i) => {
      const rangePath: DocumentPath = [...at('expected_statuses'), i];
      const r = readEnvoyMessage(range, rangePath, 'type.v3.Int64Range', { supported: ['start', 'end'] }, notes);
      return [readInteger(r.start, childPath(pathText(rangePath), 'start')), readInteger(r.end, childPath(pathText(rangePath), 'end'))];
    });
    draft.set(`${ours}.expected_statuses`, ranges, at('expected_statuses'));
  }
}

function readGrpc(value: unknown, path: DocumentPath, ours: string, draft: ClusterDraft, notes: string[]): void {
  const node = readEnvoyMessage(value ?? {}, path, 'HealthCheck.GrpcHealthCheck', {
    supported: ['service_name', 'authority'],
    refused: { initial_metadata: 'health-check calls carry no extra metadata' },
  }, notes);
  draft.set(ours, {}, path);
  for (const key of ['service_name', 'authority']) {
    if (node[key] !== undefined) draft.set(`${ours}.${key}`, optional(node[key], '', (v) => readString(v, childPath(pathText(path), key))), [...path, key]);
  }
}
