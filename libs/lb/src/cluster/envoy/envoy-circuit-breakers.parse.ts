import { ConfigError, formatDuration, readArray, readDuration, readInteger, readNumber, readString, type DocumentPath } from '@zonemesh/config';
import { CIRCUIT_BREAKER_DEFAULTS, SLOW_START_DEFAULTS } from '../cluster-config.js';
import { pathText, type ClusterDraft } from '../cluster-draft.js';
import { readEnvoyMessage } from './envoy-message.js';

const THRESHOLD_FIELDS: Record<string, string> = {
  max_connections: 'max_connections',
  max_pending_requests: 'max_pending_requests',
  max_requests: 'max_requests',
  max_retries: 'max_retries',
};
const DEFAULTS: Record<string, number> = {
  max_connections: CIRCUIT_BREAKER_DEFAULTS.maxConnections,
  max_pending_requests: CIRCUIT_BREAKER_DEFAULTS.maxPendingRequests,
  max_requests: CIRCUIT_BREAKER_DEFAULTS.maxRequests,
  max_retries: CIRCUIT_BREAKER_DEFAULTS.maxRetries,
};

/** A protobuf UInt32Value: a plain number in YAML, `{ value: n }` in some JSON writers. */
function uint32(value: unknown, path: DocumentPath): number {
  const raw = value !== null && typeof value === 'object' && 'value' in value ? (value as { value: unknown }).value : value;
  return readInteger(raw, pathText(path), 0, 0xffffffff);
}

/**
 * `circuit_breakers` of an Envoy Cluster. Envoy applies its defaults
 * (1024 / 1024 / 1024 / 3) to every cluster, with or without the block, so
 * the draft always gets thresholds. Only the DEFAULT priority is enforced:
 * a HIGH threshold is accepted with a note (no route here has priority HIGH).
 */
export function readEnvoyCircuitBreakers(value: unknown, path: DocumentPath, draft: ClusterDraft, notes: string[]): void {
  const limits: Record<string, { value: number; from?: DocumentPath }> = {};
  for (const [key, n] of Object.entries(DEFAULTS)) limits[key] = { value: n };
  if (value !== undefined) {
    const node = readEnvoyMessage(value, path, 'CircuitBreakers', {
      supported: ['thresholds'],
      refused: { per_host_thresholds: 'limits are per cluster (per channel) only' },
    }, notes);
    const listPath: DocumentPath = [...path, 'thresholds'];
    const list = node.thresholds === undefined ? [] : readArray(node.thresholds, pathText(listPath));
    let seenDefault = false;
    list.forEach((item, i) => {
      const at: DocumentPath = [...listPath, i];
      const t = readEnvoyMessage(item, at, 'CircuitBreakers.Thresholds', {
        supported: ['priority', ...Object.keys(THRESHOLD_FIELDS)],
        noted: {
          track_remaining: 'remaining counts are always in /admin/clusters (circuitBreakers.active)',
          max_connection_pools: 'grpc-js keeps one connection pool (subchannel) per endpoint',
        },
        refused: { retry_budget: 'the retry budget is retry_policy.budget (or budget_percent) in mesh.yaml, beside the retries' },
      }, notes);
      const priority = t.priority === undefined ? 'DEFAULT' : readString(t.priority, pathText([...at, 'priority'])).toUpperCase();
      if (priority === 'HIGH') {
        notes.push(`${pathText(at)}: accepted; priority HIGH thresholds are not used (no route has priority HIGH)`);
        return;
      }
      if (priority !== 'DEFAULT') throw new ConfigError(pathText([...at, 'priority']), `expected DEFAULT or HIGH, got "${String(t.priority)}"`);
      if (seenDefault) throw new ConfigError(pathText(at), 'a second DEFAULT threshold');
      seenDefault = true;
      for (const field of Object.keys(THRESHOLD_FIELDS)) {
        if (t[field] !== undefined) limits[field] = { value: uint32(t[field], [...at, field]), from: [...at, field] };
      }
    });
  }
  draft.set('circuit_breakers.thresholds[0].priority', 'DEFAULT');
  for (const [field, limit] of Object.entries(limits)) draft.set(`circuit_breakers.thresholds[0].${THRESHOLD_FIELDS[field]}`, limit.value, limit.from);
}

/**
 * `slow_start_config` of round_robin_lb_config / least_request_lb_config:
 * `slow_start_window` (Duration), `aggression` (RuntimeDouble: its
 * default_value; the runtime key is noted), `min_weight_percent` (Percent).
 */
export function readEnvoySlowStart(value: unknown, path: DocumentPath, draft: ClusterDraft, notes: string[]): void {
  const node = readEnvoyMessage(value, path, 'SlowStartConfig', { supported: ['slow_start_window', 'aggression', 'min_weight_percent'] }, notes);
  const at = (key: string): DocumentPath => [...path, key];
  if (node.slow_start_window === undefined) throw new ConfigError(pathText(at('slow_start_window')), 'required: without a window Envoy applies no slow start');
  draft.set('slow_start_config.slow_start_window', formatDuration(readDuration(node.slow_start_window, pathText(at('slow_start_window')))), at('slow_start_window'));
  if (node.aggression !== undefined) {
    const runtime = readEnvoyMessage(node.aggression, at('aggression'), 'RuntimeDouble', {
      supported: ['default_value'],
      noted: { runtime_key: 'no Envoy runtime here: default_value applies' },
    }, notes);
    const valuePath: DocumentPath = [...at('aggression'), 'default_value'];
    draft.set('slow_start_config.aggression', runtime.default_value === undefined ? SLOW_START_DEFAULTS.aggression : readNumber(runtime.default_value, pathText(valuePath)), valuePath);
  }
  if (node.min_weight_percent !== undefined) {
    const percent = readEnvoyMessage(node.min_weight_percent, at('min_weight_percent'), 'type.v3.Percent', { supported: ['value'] }, notes);
    const valuePath: DocumentPath = [...at('min_weight_percent'), 'value'];
    draft.set('slow_start_config.min_weight_percent', readNumber(percent.value, pathText(valuePath), 0, 100), valuePath);
  }
}
