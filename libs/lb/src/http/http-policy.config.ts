import { ZONE_FAILOVER_DEFAULTS, type ZoneFailoverConfig } from '../cluster/cluster-config.js';
import { parsePolicySettings } from '../cluster/cluster-config.parse.js';
import { ConfigError } from '@zonemesh/config';
import { childPath, optional, readArray, readDuration, readEnum, readInteger, readObject } from '@zonemesh/config';

/** How an HTTP balancer chooses among the endpoints of one zone. */
export type HttpLbPolicyName = 'round_robin' | 'random' | 'least_request';
export const HTTP_LB_POLICY_NAMES: readonly HttpLbPolicyName[] = ['round_robin', 'random', 'least_request'];

/**
 * Why an attempt failed, Envoy's retry_on vocabulary:
 * `connect_failure` (refused, unreachable, connect timeout: the request was never sent),
 * `reset` (the connection broke after the request was sent),
 * `timeout` (no answer within read_timeout),
 * `5xx` (the server answered 500-599).
 */
export type HttpFailureKind = 'connect_failure' | 'reset' | 'timeout' | '5xx';
export const HTTP_FAILURE_KINDS: readonly HttpFailureKind[] = ['connect_failure', 'reset', 'timeout', '5xx'];

/** Retries on the NEXT endpoint. Only `connect_failure` is retried for non-idempotent requests (they were never sent). */
export interface HttpRetryConfig {
  /** Attempts in total, the first included; each on a different endpoint while untried ones remain. */
  readonly maxAttempts: number;
  readonly retryOn: readonly HttpFailureKind[];
}

/** The validated policy of an HTTP balancer (a subset of a cluster's keys, plus read_timeout and retry). */
export interface HttpBalancerPolicy {
  readonly lbPolicy: HttpLbPolicyName;
  /** TCP connect time limit (the seed's fast-fail 5 s, Envoy's connect_timeout default). */
  readonly connectTimeoutMs: number;
  /** Time limit for the response headers, and between body chunks (the seed's 5 s). */
  readonly readTimeoutMs: number;
  /** zone_order, healthy_threshold, failed_instance_ttl (panic_threshold does not apply to HTTP). */
  readonly zoneFailover: ZoneFailoverConfig;
  readonly retry: HttpRetryConfig;
}

/**
 * The policy as written in YAML (`lb_policy`, `connect_timeout: 5s`, ...).
 * Typed for editors; values are still validated at run time.
 */
export interface HttpBalancerPolicyInput {
  lb_policy?: HttpLbPolicyName;
  connect_timeout?: string;
  read_timeout?: string;
  zone_failover?: { zone_order?: string[]; healthy_threshold?: number; failed_instance_ttl?: string };
  retry?: { max_attempts?: number; retry_on?: HttpFailureKind[] };
}

export const HTTP_RETRY_DEFAULTS: HttpRetryConfig = {
  // Eureka clients try up to 3 servers (RetryableEurekaHttpClient).
  maxAttempts: 3,
  retryOn: HTTP_FAILURE_KINDS,
};

export const HTTP_POLICY_DEFAULTS: HttpBalancerPolicy = {
  lbPolicy: 'round_robin',
  connectTimeoutMs: 5_000,
  readTimeoutMs: 5_000,
  zoneFailover: ZONE_FAILOVER_DEFAULTS,
  retry: HTTP_RETRY_DEFAULTS,
};

/** Keys an HTTP policy map may hold; a document embedding the policy among its own keys can list them. */
export const HTTP_POLICY_KEYS = ['lb_policy', 'connect_timeout', 'read_timeout', 'zone_failover', 'retry'];

/**
 * Validates an HTTP balancer policy once, with path-qualified errors
 * (`eureka.zone_failover.failed_instance_ttl: expected a duration like "10s"`).
 * `zone_failover` and `connect_timeout` are read by the cluster parser, so
 * they mean exactly what they mean for gRPC clusters.
 * `allowedKeys` lets a caller embed the policy in a larger map it checks itself.
 */
export function parseHttpBalancerPolicy(value: unknown, path = '', allowedKeys: readonly string[] = HTTP_POLICY_KEYS): HttpBalancerPolicy {
  if (value === undefined) return HTTP_POLICY_DEFAULTS;
  const node = readObject(value, path, allowedKeys);
  const at = (key: string): string => childPath(path, key);
  if (node.zone_failover !== undefined) readObject(node.zone_failover, at('zone_failover'), ['zone_order', 'healthy_threshold', 'failed_instance_ttl']);
  const shared = parsePolicySettings({ connect_timeout: node.connect_timeout, zone_failover: node.zone_failover }, path);
  return {
    lbPolicy: optional(node.lb_policy, HTTP_POLICY_DEFAULTS.lbPolicy, (v) => readEnum(v, at('lb_policy'), HTTP_LB_POLICY_NAMES)),
    connectTimeoutMs: shared.connectTimeoutMs,
    readTimeoutMs: optional(node.read_timeout, HTTP_POLICY_DEFAULTS.readTimeoutMs, (v) => positive(readDuration(v, at('read_timeout')), at('read_timeout'))),
    zoneFailover: shared.zoneFailover,
    retry: optional(node.retry, HTTP_RETRY_DEFAULTS, (v) => parseRetry(v, at('retry'))),
  };
}

function parseRetry(value: unknown, path: string): HttpRetryConfig {
  const node = readObject(value, path, ['max_attempts', 'retry_on']);
  const at = (key: string): string => childPath(path, key);
  return {
    maxAttempts: optional(node.max_attempts, HTTP_RETRY_DEFAULTS.maxAttempts, (v) => readInteger(v, at('max_attempts'), 1, 10)),
    retryOn: optional(node.retry_on, HTTP_RETRY_DEFAULTS.retryOn, (v) =>
      readArray(v, at('retry_on')).map((item, i) => readEnum(item, childPath(at('retry_on'), i), HTTP_FAILURE_KINDS)),
    ),
  };
}

function positive(ms: number, path: string): number {
  if (ms <= 0) throw new ConfigError(path, 'must be longer than 0ms');
  return ms;
}
