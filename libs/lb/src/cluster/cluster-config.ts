import type { HealthCheckConfig } from '../health/health-check.config.js';

/** How to choose among the endpoints that take traffic. */
export type LbPolicyName = 'round_robin' | 'random' | 'least_request' | 'weighted' | 'peak_ewma';
export const LB_POLICY_NAMES: readonly LbPolicyName[] = ['round_robin', 'random', 'least_request', 'weighted', 'peak_ewma'];

/** gRPC status codes by name, as written in configuration. */
export const GRPC_CODES: Readonly<Record<string, number>> = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
};

/** Passive health checking (Envoy's outlier_detection, with our defaults). Durations in ms. */
export interface OutlierDetectionConfig {
  readonly enabled: boolean;
  readonly intervalMs: number;
  /** Consecutive failed responses (codes in `failureCodes`) that eject at once. */
  readonly consecutiveErrors: number;
  /** Consecutive local-origin failures (connect failures, resets) that eject at once; counted apart. */
  readonly consecutiveLocalOriginFailure: number;
  /** gRPC codes that count as failures (by number). */
  readonly failureCodes: readonly number[];
  readonly baseEjectionTimeMs: number;
  readonly maxEjectionTimeMs: number;
  readonly maxEjectionPercent: number;
  /** Eject one host even when `maxEjectionPercent` rounds down to zero (small clusters). */
  readonly alwaysEjectOne: boolean;
  readonly successRateStdevFactor: number;
  readonly successRateMinimumHosts: number;
  readonly successRateRequestVolume: number;
  /** 0..100: chance that a success-rate outlier is ejected. */
  readonly enforcingSuccessRate: number;
  readonly failurePercentageThreshold: number;
  readonly failurePercentageMinimumHosts: number;
  readonly failurePercentageRequestVolume: number;
  /** 0..100; 0 (the default) turns failure-percentage ejection off. */
  readonly enforcingFailurePercentage: number;
}

/** Zone preference, spill-over, panic and failback. */
export interface ZoneFailoverConfig {
  /** Zones in the order traffic spills to after the caller's own zone; unlisted zones come last. */
  readonly zoneOrder: readonly string[];
  /** A zone keeps all its traffic while this share of its endpoints is healthy (1/overprovisioning). */
  readonly healthyThreshold: number;
  /** Below this healthy share of the whole cluster, balance over every connected endpoint. */
  readonly panicThreshold: number;
  /** How long a failed instance stays out of preference after it was last seen failing. */
  readonly failedInstanceTtlMs: number;
  /** Latency spill: a zone (or endpoint) whose health checks answer this much slower than the fastest zone's (the cluster's) counts as failing. Off when undefined. */
  readonly latency: LatencySpillConfig | undefined;
}

/**
 * `zone_failover.latency`: slow is `factor` x the reference latency and at
 * least `min_added` above it (both must hold, so microsecond-level noise on
 * an idle machine never counts). Latency is the EWMA of the active health
 * checks' round trips: it exists for every endpoint whether it gets traffic
 * or not, so a zone that was spilled is seen getting fast again.
 */
export interface LatencySpillConfig {
  readonly factor: number;
  readonly minAddedMs: number;
}

export const LATENCY_SPILL_DEFAULTS: LatencySpillConfig = { factor: 3, minAddedMs: 50 };

/** Retries through grpc-js's retry machinery, steered by our picker. Durations in ms. */
export interface RetryPolicyConfig {
  /** Attempts in total, the first included (grpc-js caps it at 5). */
  readonly maxAttempts: number;
  readonly retryOn: readonly number[];
  /** `package.Service/Method` or `package.Service/*`: also retried on DEADLINE_EXCEEDED. */
  readonly idempotentMethods: readonly string[];
  readonly baseIntervalMs: number;
  readonly maxIntervalMs: number;
  /** Envoy's concurrency budget (when `windowedBudget` is unset): retries in flight may be at most this share (%) of the calls in flight... */
  readonly budgetPercent: number;
  /** ...but this many concurrent retries are always allowed. */
  readonly minRetryConcurrency: number;
  /** Linkerd's time-windowed budget (`budget:`), used instead of the concurrency budget when set. */
  readonly windowedBudget: WindowedBudgetConfig | undefined;
  /** Overall deadline applied to calls without a shorter one; undefined: the caller's deadline. */
  readonly timeoutMs: number | undefined;
  /**
   * Envoy's `per_try_timeout`: an attempt without an answer after this long is
   * given up (or hedged) and the call tries again, within max_attempts, the
   * budget and the overall deadline. Undefined: attempts share the deadline.
   */
  readonly perTryTimeoutMs: number | undefined;
  /** Envoy's `hedge_on_per_try_timeout`: on a per-try timeout keep the slow attempt and race a new one; the first answer wins. */
  readonly hedgeOnPerTryTimeout: boolean;
}

/** Linkerd's retry budget (`retry_policy.budget`): retries over a window, as a share of requests plus a floor per second. */
export interface WindowedBudgetConfig {
  /** Retries may add at most this share of the window's requests (Linkerd `retryRatio`). */
  readonly ratio: number;
  /** Retries per second always allowed on top (Linkerd `minRetriesPerSecond`). */
  readonly minPerSecond: number;
  /** How far back requests and retries count (Linkerd `ttl`). */
  readonly windowMs: number;
}

export const WINDOWED_BUDGET_DEFAULTS: WindowedBudgetConfig = { ratio: 0.2, minPerSecond: 10, windowMs: 10_000 };

/**
 * Envoy's circuit breakers (`circuit_breakers.thresholds[]` with priority
 * DEFAULT): limits on one channel's calls to the cluster, checked when a call
 * attempt is picked. Envoy's defaults: 1024 / 1024 / 1024 / 3.
 */
export interface CircuitBreakerConfig {
  /** Endpoints connected at once (grpc-js: one HTTP/2 connection per endpoint). Counted, not enforced. */
  readonly maxConnections: number;
  /** Calls waiting for a ready pick (grpc-js queues them while no endpoint is connected). */
  readonly maxPendingRequests: number;
  /** Call attempts in flight to the cluster; above it a call fails fast with RESOURCE_EXHAUSTED. */
  readonly maxRequests: number;
  /** Budgeted retries in flight (transparent retries are not counted); above it a retry is not attempted. */
  readonly maxRetries: number;
}

export const CIRCUIT_BREAKER_DEFAULTS: CircuitBreakerConfig = { maxConnections: 1024, maxPendingRequests: 1024, maxRequests: 1024, maxRetries: 3 };

/**
 * Envoy's slow start (`slow_start_config` of round_robin / least_request):
 * an endpoint that (re)enters service gets weight
 * max(min_weight_percent, (t / window)^(1 / aggression)), and its zone's
 * share of calls ramps with it.
 */
export interface SlowStartConfig {
  readonly windowMs: number;
  readonly aggression: number;
  /** 0..100. */
  readonly minWeightPercent: number;
}

export const SLOW_START_DEFAULTS: Omit<SlowStartConfig, 'windowMs'> = { aggression: 1, minWeightPercent: 10 };

/** Versioned routing: a request header selects the endpoints whose metadata matches. */
export interface SubsetConfig {
  readonly header: string;
  readonly metadataKey: string;
  /** The value used when the request has no header. */
  readonly defaultValue: string;
}

/** Everything the `zonemesh` LB policy needs, besides the caller's zone. */
export interface LbPolicySettings {
  readonly lbPolicy: LbPolicyName;
  readonly connectTimeoutMs: number;
  /**
   * Longest wait between reconnect attempts to an endpoint that is down
   * (grpc-js `grpc.max_reconnect_backoff_ms`, 120 s by default there): after
   * a long outage, recovery is noticed within this long even without health checks.
   */
  readonly maxReconnectBackoffMs: number;
  readonly healthChecks: readonly HealthCheckConfig[];
  /** `health_checks` as written (validated), so the settings travel through the service config JSON. */
  readonly healthChecksJson: readonly unknown[];
  readonly outlierDetection: OutlierDetectionConfig;
  readonly zoneFailover: ZoneFailoverConfig;
  readonly retryPolicy: RetryPolicyConfig | undefined;
  readonly subset: SubsetConfig | undefined;
  /** undefined: no limits (mesh.yaml without `circuit_breakers`); Envoy files always get Envoy's defaults. */
  readonly circuitBreakers: CircuitBreakerConfig | undefined;
  readonly slowStart: SlowStartConfig | undefined;
}

export interface StaticEndpointConfig {
  readonly address: string;
  readonly zone: string | undefined;
  readonly id: string | undefined;
  readonly metadata: Readonly<Record<string, string>>;
}

/** One cluster of the declarative configuration (`clusters[]`). */
export interface ClusterConfig extends LbPolicySettings {
  readonly name: string;
  readonly type: 'static' | 'eureka';
  /** Eureka app name (type eureka). */
  readonly app: string | undefined;
  /** type static. */
  readonly endpoints: readonly StaticEndpointConfig[];
}

export const OUTLIER_DETECTION_DEFAULTS: OutlierDetectionConfig = {
  enabled: true,
  intervalMs: 10_000,
  consecutiveErrors: 5,
  consecutiveLocalOriginFailure: 5,
  failureCodes: [GRPC_CODES.UNAVAILABLE!, GRPC_CODES.DEADLINE_EXCEEDED!, GRPC_CODES.INTERNAL!, GRPC_CODES.UNKNOWN!],
  baseEjectionTimeMs: 30_000,
  maxEjectionTimeMs: 300_000,
  maxEjectionPercent: 10,
  alwaysEjectOne: true,
  successRateStdevFactor: 1.9,
  successRateMinimumHosts: 5,
  successRateRequestVolume: 100,
  enforcingSuccessRate: 100,
  failurePercentageThreshold: 85,
  failurePercentageMinimumHosts: 5,
  failurePercentageRequestVolume: 50,
  enforcingFailurePercentage: 0,
};

export const ZONE_FAILOVER_DEFAULTS: ZoneFailoverConfig = {
  zoneOrder: [],
  healthyThreshold: 0.72,
  panicThreshold: 0.5,
  failedInstanceTtlMs: 20 * 60_000,
  latency: undefined,
};

export const RETRY_POLICY_DEFAULTS: RetryPolicyConfig = {
  maxAttempts: 2,
  retryOn: [GRPC_CODES.UNAVAILABLE!],
  idempotentMethods: [],
  baseIntervalMs: 25,
  maxIntervalMs: 250,
  budgetPercent: 20,
  minRetryConcurrency: 3,
  windowedBudget: undefined,
  timeoutMs: undefined,
  perTryTimeoutMs: undefined,
  hedgeOnPerTryTimeout: false,
};

export const LB_POLICY_DEFAULTS: LbPolicySettings = {
  lbPolicy: 'round_robin',
  connectTimeoutMs: 5_000,
  maxReconnectBackoffMs: 5_000,
  healthChecks: [],
  healthChecksJson: [],
  outlierDetection: OUTLIER_DETECTION_DEFAULTS,
  zoneFailover: ZONE_FAILOVER_DEFAULTS,
  retryPolicy: undefined,
  subset: undefined,
  circuitBreakers: undefined,
  slowStart: undefined,
};

export function codeName(code: number): string {
  return Object.keys(GRPC_CODES).find((k) => GRPC_CODES[k] === code) ?? String(code);
}
