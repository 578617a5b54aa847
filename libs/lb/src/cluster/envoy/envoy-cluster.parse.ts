import { ConfigError, formatDuration, readArray, readDuration, readInteger, readString, type DocumentPath } from '@zonemesh/config';
import { ClusterDraft, pathText, type ClusterFileRead, type ClusterSource } from '../cluster-draft.js';
import { readEnvoyLoadAssignment } from './envoy-endpoints.parse.js';
import { readEnvoyHealthCheck } from './envoy-health-check.parse.js';
import { readEnvoyMessage } from './envoy-message.js';
import { readEnvoyOutlierDetection } from './envoy-outlier.parse.js';
import { readEnvoyCircuitBreakers, readEnvoySlowStart } from './envoy-circuit-breakers.parse.js';

const GRPC_JS_DECIDES = 'grpc-js negotiates HTTP/2 and manages its connections itself';

const CLUSTER_RULES = {
  supported: ['@type', 'name', 'type', 'connect_timeout', 'lb_policy', 'load_assignment', 'health_checks', 'outlier_detection', 'common_lb_config', 'least_request_lb_config', 'round_robin_lb_config', 'circuit_breakers'],
  noted: {
    http2_protocol_options: GRPC_JS_DECIDES,
    typed_extension_protocol_options: GRPC_JS_DECIDES,
    common_http_protocol_options: GRPC_JS_DECIDES,
    upstream_http_protocol_options: GRPC_JS_DECIDES,
    http_protocol_options: GRPC_JS_DECIDES,
    upstream_connection_options: 'TCP keepalive is grpc-js keepalive (channel options)',
    per_connection_buffer_limit_bytes: 'grpc-js sizes its own buffers',
    alt_stat_name: 'metrics are labelled by the cluster name',
  },
  refused: {
    transport_socket: 'channels are plaintext',
    transport_socket_matches: 'channels are plaintext',
    lb_subset_config: 'use subset in mesh.yaml (one header → one metadata key)',
    ring_hash_lb_config: 'no ring hash',
    maglev_lb_config: 'no maglev',
    load_balancing_policy: 'the policy is named by lb_policy',
    eds_cluster_config: 'for discovery use type eureka in mesh.yaml',
    cluster_type: 'custom cluster types are not implemented',
    dns_lookup_family: 'only type STATIC',
    dns_refresh_rate: 'only type STATIC',
    dns_resolvers: 'only type STATIC',
    close_connections_on_host_health_failure: 'connections to an unhealthy host stay open (calls stop picking it)',
    ignore_health_on_host_removal: 'endpoints are static',
    max_requests_per_connection: 'grpc-js keeps one connection per endpoint',
    preconnect_policy: 'grpc-js connects every endpoint at once',
    filters: 'no upstream network filters',
    upstream_bind_config: 'grpc-js picks the source address',
    cleanup_interval: 'only type STATIC',
    wait_for_warm_on_init: 'endpoints are static',
  },
};

const LB_POLICIES: Record<string, string> = { ROUND_ROBIN: 'round_robin', LEAST_REQUEST: 'least_request', RANDOM: 'random' };
const TYPE_REASONS: Record<string, string> = {
  STRICT_DNS: 'DNS re-resolution is not implemented; give the addresses with type STATIC, or use type eureka in mesh.yaml',
  LOGICAL_DNS: 'DNS re-resolution is not implemented; give the addresses with type STATIC, or use type eureka in mesh.yaml',
  EDS: 'EDS is not implemented; for discovery use type eureka in mesh.yaml',
  ORIGINAL_DST: 'original-destination clusters are not implemented',
};

/** Envoy's defaults, written into the draft where they differ from ours (see specs/load-balancing.md). */
const ENVOY_DEFAULTS = {
  /** Without an outlier_detection block Envoy ejects nothing. */
  outlierEnabled: false,
  /** Envoy has no failed-instance memory: a host is back as soon as it is healthy again. */
  failedInstanceTtl: '0s',
  /** Overprovisioning factor 140: a zone keeps all traffic while 1/1.4 of it is healthy. */
  healthyThreshold: 100 / 140,
};

/**
 * Reads Envoy v3 `Cluster` configuration as written: a whole bootstrap
 * (`static_resources.clusters`), a `clusters:` list, or one cluster. Envoy's
 * spellings and Envoy's defaults apply; every field we support is mapped onto
 * our ClusterConfig, fields grpc-js handles itself come back as notes, and
 * anything else is an error naming it.
 */
export function readEnvoyClusters(document: unknown): ClusterFileRead {
  const notes: string[] = [];
  const root = document !== null && typeof document === 'object' && !Array.isArray(document) ? (document as Record<string, unknown>) : undefined;
  let list: { items: unknown[]; path: DocumentPath };
  if (root && 'static_resources' in root) {
    const resources = readEnvoyMessage(root.static_resources, ['static_resources'], 'Bootstrap.StaticResources', {
      supported: ['clusters'],
      noted: { listeners: 'zonemesh reads clusters only', secrets: 'zonemesh reads clusters only' },
    }, notes);
    readEnvoyMessage(root, [], 'Bootstrap', { supported: ['static_resources'] }, notes);
    list = { items: readArray(resources.clusters, 'static_resources.clusters'), path: ['static_resources', 'clusters'] };
  } else if (root && 'clusters' in root) {
    readEnvoyMessage(root, [], 'cluster list', { supported: ['clusters'] }, notes);
    list = { items: readArray(root.clusters, 'clusters'), path: ['clusters'] };
  } else {
    list = { items: [document], path: [] };
  }
  const single = list.path.length === 0;
  const clusters = list.items.map((item, i) => readEnvoyCluster(item, single ? [] : [...list.path, i], notes));
  const seen = new Set<string>();
  clusters.forEach((cluster, i) => {
    if (seen.has(cluster.config.name)) throw new ConfigError(pathText([...list.path, i, 'name']), `cluster "${cluster.config.name}" is defined twice`);
    seen.add(cluster.config.name);
  });
  return { format: 'envoy', clusters, notes };
}

/** One `config.cluster.v3.Cluster` at `path`. */
export function readEnvoyCluster(value: unknown, path: DocumentPath, notes: string[]): ClusterSource {
  const node = readEnvoyMessage(value, path, 'Cluster', CLUSTER_RULES, notes);
  const at = (key: string): DocumentPath => [...path, key];
  const given = (key: string): DocumentPath | undefined => (node[key] === undefined ? undefined : at(key));
  const draft = new ClusterDraft();
  if (node['@type'] !== undefined && !String(node['@type']).endsWith('envoy.config.cluster.v3.Cluster')) {
    throw new ConfigError(pathText(at('@type')), 'expected type.googleapis.com/envoy.config.cluster.v3.Cluster');
  }
  draft.set('name', readString(node.name, pathText(at('name'))), at('name'));

  // Envoy's enum is upper case; the seed writes `static`, which Envoy's YAML loader also accepts.
  const type = node.type === undefined ? 'STATIC' : readString(node.type, pathText(at('type'))).toUpperCase();
  if (type !== 'STATIC') {
    const reason = TYPE_REASONS[type];
    throw new ConfigError(pathText(at('type')), reason ? `type ${type} is not supported: ${reason}` : `expected STATIC, got "${String(node.type)}"`);
  }
  draft.set('type', 'static', given('type'));

  const policy = node.lb_policy === undefined ? 'ROUND_ROBIN' : readString(node.lb_policy, pathText(at('lb_policy'))).toUpperCase();
  const ours = LB_POLICIES[policy];
  if (!ours) {
    throw new ConfigError(pathText(at('lb_policy')), `expected one of ${Object.keys(LB_POLICIES).join(', ')} (zonemesh implements these Envoy policies), got "${String(node.lb_policy)}"`);
  }
  draft.set('lb_policy', ours, given('lb_policy'));
  if (node.least_request_lb_config !== undefined) readLeastRequest(node.least_request_lb_config, at('least_request_lb_config'), policy, draft, notes);
  if (node.round_robin_lb_config !== undefined) readRoundRobin(node.round_robin_lb_config, at('round_robin_lb_config'), policy, draft, notes);
  // Envoy gives every cluster circuit breakers (its defaults without the block).
  readEnvoyCircuitBreakers(node.circuit_breakers, at('circuit_breakers'), draft, notes);

  draft.set('connect_timeout', formatDuration(node.connect_timeout === undefined ? 5_000 : readDuration(node.connect_timeout, pathText(at('connect_timeout')))), given('connect_timeout'));
  if (node.load_assignment === undefined) throw new ConfigError(pathText(at('load_assignment')), 'required for type STATIC (the endpoints)');
  readEnvoyLoadAssignment(node.load_assignment, at('load_assignment'), draft, notes);

  if (node.health_checks !== undefined) {
    readArray(node.health_checks, pathText(at('health_checks'))).forEach((check, i) =>
      readEnvoyHealthCheck(check, [...at('health_checks'), i], i, draft, notes),
    );
  }
  if (node.outlier_detection !== undefined) readEnvoyOutlierDetection(node.outlier_detection, at('outlier_detection'), draft, notes);
  else draft.set('outlier_detection.enabled', ENVOY_DEFAULTS.outlierEnabled);

  if (draft.origins['zone_failover.healthy_threshold'] === undefined) draft.set('zone_failover.healthy_threshold', ENVOY_DEFAULTS.healthyThreshold);
  draft.set('zone_failover.failed_instance_ttl', ENVOY_DEFAULTS.failedInstanceTtl);
  if (node.common_lb_config !== undefined) readCommonLbConfig(node.common_lb_config, at('common_lb_config'), draft, notes);
  return draft.build(pathText(path));
}

function readRoundRobin(value: unknown, path: DocumentPath, policy: string, draft: ClusterDraft, notes: string[]): void {
  const node = readEnvoyMessage(value, path, 'Cluster.RoundRobinLbConfig', { supported: ['slow_start_config'] }, notes);
  if (policy !== 'ROUND_ROBIN') throw new ConfigError(pathText(path), 'applies only with lb_policy ROUND_ROBIN');
  if (node.slow_start_config !== undefined) readEnvoySlowStart(node.slow_start_config, [...path, 'slow_start_config'], draft, notes);
}

function readLeastRequest(value: unknown, path: DocumentPath, policy: string, draft: ClusterDraft, notes: string[]): void {
  const node = readEnvoyMessage(value, path, 'Cluster.LeastRequestLbConfig', {
    supported: ['choice_count', 'slow_start_config'],
    refused: { active_request_bias: 'least request is plain P2C on in-flight calls' },
  }, notes);
  if (policy !== 'LEAST_REQUEST') throw new ConfigError(pathText(path), 'applies only with lb_policy LEAST_REQUEST');
  if (node.slow_start_config !== undefined) readEnvoySlowStart(node.slow_start_config, [...path, 'slow_start_config'], draft, notes);
  if (node.choice_count !== undefined && readInteger(node.choice_count, pathText([...path, 'choice_count'])) !== 2) {
    throw new ConfigError(pathText([...path, 'choice_count']), 'only 2 is supported (power of two choices)');
  }
}

function readCommonLbConfig(value: unknown, path: DocumentPath, draft: ClusterDraft, notes: string[]): void {
  const node = readEnvoyMessage(value, path, 'Cluster.CommonLbConfig', {
    supported: ['healthy_panic_threshold'],
    refused: {
      zone_aware_lb_config: 'zone preference is the caller zone plus zone_order (mesh.yaml zone_failover)',
      locality_weighted_lb_config: 'locality weights are not implemented',
      update_merge_window: 'plans are rebuilt on every change',
      ignore_new_hosts_until_first_hc: 'a new host counts as healthy until its first check',
      close_connections_on_host_set_change: 'connections stay open across endpoint changes',
      consistent_hashing_lb_config: 'no consistent hashing',
      override_host_status: 'no host override',
    },
  }, notes);
  if (node.healthy_panic_threshold !== undefined) {
    const at: DocumentPath = [...path, 'healthy_panic_threshold'];
    const percent = readEnvoyMessage(node.healthy_panic_threshold, at, 'type.v3.Percent', { supported: ['value'] }, notes);
    const valuePath: DocumentPath = [...at, 'value'];
    const n = percent.value;
    if (typeof n !== 'number' || n < 0 || n > 100) throw new ConfigError(pathText(valuePath), `expected a percentage between 0 and 100, got ${String(n)}`);
    draft.set('zone_failover.panic_threshold', n / 100, valuePath);
  }
}
