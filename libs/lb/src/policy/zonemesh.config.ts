import { experimental, type ChannelOptions, type Interceptor } from '@grpc/grpc-js';
import { lostTrailersInterceptor } from '../call/lost-trailers.interceptor.js';
import { perTryInterceptor } from '../call/per-try.interceptor.js';
import { childPath, optional, readObject, readString } from '@zonemesh/config';
import { LB_POLICY_NAMES, type ClusterConfig, type LbPolicyName, type LbPolicySettings } from '../cluster/cluster-config.js';
import { POLICY_KEYS, parsePolicySettings } from '../cluster/cluster-config.parse.js';
import { policySettingsToJson } from '../cluster/cluster-config.json.js';
import { retryMethodConfigs } from '../retry/retry-service-config.js';

/** The name of the LB policy in a gRPC service config: `{"loadBalancingConfig":[{"zonemesh":{...}}]}`. */
export const ZONEMESH_POLICY = 'zonemesh';

/** How to choose among the endpoints that take traffic (kept under its first name for callers). */
export type ZonemeshPickPolicy = LbPolicyName;
export const ZONEMESH_PICK_POLICIES: readonly ZonemeshPickPolicy[] = LB_POLICY_NAMES;

/** What `zonemeshChannelOptions` takes. */
export interface ZonemeshLbOptions {
  /** The caller's zone; its endpoints are preferred. Undefined: no preference. */
  readonly zone?: string | undefined;
  /** Overrides the cluster's `lb_policy`. */
  readonly lbPolicy?: ZonemeshPickPolicy | undefined;
  /**
   * A cluster name (shown in `clusterSnapshots()` and lifecycle hooks; default
   * the channel target), or a whole parsed cluster whose settings the policy
   * then applies (outlier detection, zone failover, retries, subsets...).
   */
  readonly cluster?: string | ClusterConfig | undefined;
}

const FIELDS = ['zone', 'cluster', ...POLICY_KEYS];

/**
 * The `zonemesh` policy's config, parsed from the service config JSON:
 * `{"zone":"zone-a","cluster":"catalog","lb_policy":"least_request","outlier_detection":{...},...}`
 * — the cluster keys of the YAML configuration, same names, same validation.
 * Errors name the field: `zonemesh.outlier_detection.interval: expected a duration like "10s"`.
 * grpc-js skips a config that fails to parse and silently falls back to
 * pick_first, so build service configs with `zonemeshChannelOptions()`,
 * which parses eagerly and throws.
 */
export class ZonemeshLoadBalancingConfig implements experimental.TypedLoadBalancingConfig {
  readonly zone: string | undefined;
  readonly cluster: string | undefined;
  readonly settings: LbPolicySettings;

  constructor(zone: string | undefined = undefined, cluster: string | undefined = undefined, settings: LbPolicySettings = parsePolicySettings({}, ZONEMESH_POLICY)) {
    this.zone = zone;
    this.cluster = cluster;
    this.settings = settings;
  }

  get lbPolicy(): ZonemeshPickPolicy {
    return this.settings.lbPolicy;
  }

  getLoadBalancerName(): string {
    return ZONEMESH_POLICY;
  }

  toJsonObject(): object {
    return {
      [ZONEMESH_POLICY]: {
        ...(this.zone === undefined ? {} : { zone: this.zone }),
        ...(this.cluster === undefined ? {} : { cluster: this.cluster }),
        ...policySettingsToJson(this.settings),
      },
    };
  }

  static createFromJson(obj: unknown): ZonemeshLoadBalancingConfig {
    const node = readObject(obj ?? {}, ZONEMESH_POLICY, FIELDS);
    return new ZonemeshLoadBalancingConfig(
      optional(node.zone, undefined, (v) => readString(v, childPath(ZONEMESH_POLICY, 'zone'))),
      optional(node.cluster, undefined, (v) => readString(v, childPath(ZONEMESH_POLICY, 'cluster'))),
      parsePolicySettings(node, ZONEMESH_POLICY),
    );
  }
}

/**
 * Channel options selecting the zonemesh policy with a cluster's whole
 * configuration, e.g. for NestJS `ClientGrpc`
 * `{ url: 'eureka:///CATALOG', channelOptions: zonemeshChannelOptions({ zone: 'zone-a', cluster }) }`.
 * With a `retry_policy` the service config also carries a grpc-js
 * `retryPolicy` (one per idempotency class); the zonemesh picker then steers
 * each retry to a different endpoint and enforces the retry budget, so
 * retries need configuration only. Throws a ConfigError on invalid options.
 */
export function zonemeshChannelOptions(
  options: ZonemeshLbOptions,
): ChannelOptions & { 'grpc.service_config': string; 'grpc.max_reconnect_backoff_ms': number; interceptors: Interceptor[] } {
  const cluster = typeof options.cluster === 'object' ? options.cluster : undefined;
  const json: Record<string, unknown> = cluster ? policySettingsToJson(cluster) : {};
  if (options.lbPolicy !== undefined) json.lb_policy = options.lbPolicy;
  if (options.zone !== undefined) json.zone = options.zone;
  const name = cluster ? cluster.name : options.cluster;
  if (name !== undefined) json.cluster = name;
  const config = ZonemeshLoadBalancingConfig.createFromJson(json);
  const methodConfig = retryMethodConfigs(config.settings);
  const serviceConfig = { loadBalancingConfig: [config.toJsonObject()], ...(methodConfig.length > 0 ? { methodConfig } : {}) };
  return {
    'grpc.service_config': JSON.stringify(serviceConfig),
    'grpc.max_reconnect_backoff_ms': reconnectBackoffCap(config.settings),
    // grpc-js's Client takes them out of the options before building the channel (NestJS ClientGrpc passes channelOptions as is).
    // Outermost first: each per-try attempt is a whole grpc-js call with its own lost-trailers check.
    interceptors: [perTryInterceptor(config.settings.retryPolicy), lostTrailersInterceptor].filter((i) => i !== undefined),
  };
}

/**
 * grpc-js's reconnect backoff grows x1.6 per failure up to 120 s through an
 * outage, and once the host is back the connection waits out the rest of it:
 * failback then took the failed-instance TTL plus up to a backoff interval
 * (~4 s after a 10 s zone outage, minutes after a long one). So it is capped
 * at the cluster's `max_reconnect_backoff` (5 s by default) and, with health
 * checks, at the shortest check interval (never below grpc-js's 1 s initial
 * backoff), as the health checker's own channel is. A health check that sees
 * the endpoint again also resets the backoff at once (ZonemeshLoadBalancer).
 */
function reconnectBackoffCap(settings: LbPolicySettings): number {
  if (settings.healthChecks.length === 0) return settings.maxReconnectBackoffMs;
  const checks = Math.max(1_000, Math.min(...settings.healthChecks.map((h) => h.intervalMs)));
  return Math.min(settings.maxReconnectBackoffMs, checks);
}
