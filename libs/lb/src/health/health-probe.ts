import type { ResolvedEndpoint } from '../endpoint.js';
import type { HealthCheckConfig } from './health-check.config.js';

/**
 * Envoy's HealthCheckFailureType: ACTIVE is the host saying it is unwell
 * (HTTP status not expected, gRPC NOT_SERVING) and fails it at once;
 * NETWORK (refused, reset) and NETWORK_TIMEOUT count towards unhealthy_threshold.
 */
export type HealthCheckFailureType = 'ACTIVE' | 'NETWORK' | 'NETWORK_TIMEOUT';

/** What one check found. */
export type HealthCheckOutcome =
  | { readonly healthy: true }
  | { readonly healthy: false; readonly failureType: HealthCheckFailureType; readonly reason: string };

/** Where a probe connects: the endpoint's address, or its health port. */
export interface HealthCheckTarget {
  readonly host: string;
  readonly port: number;
}

/**
 * One endpoint's checker (a gRPC or HTTP client with its own connection).
 * `check` never rejects: every problem is a failed outcome. The caller owns
 * the timeout: it aborts `signal` and ignores a late answer.
 */
export interface HealthProbe {
  readonly type: 'GRPC' | 'HTTP';
  check(signal: AbortSignal, timeoutMs: number): Promise<HealthCheckOutcome>;
  /** Closes the connection; no check runs afterwards. */
  close(): void;
}

/** Builds a probe for one endpoint; swapped for a scripted one in tests. */
export type HealthProbeFactory = (endpoint: ResolvedEndpoint, target: HealthCheckTarget, config: HealthCheckConfig) => HealthProbe;

/** Metadata key that overrides `health_check_config.port_value` for one endpoint (e.g. from Eureka). */
export const HEALTH_CHECK_PORT_METADATA = 'health_check_port';

/** The address to check: metadata `health_check_port`, else `port_value`, else the traffic port. */
export function healthCheckTarget(endpoint: ResolvedEndpoint, config: HealthCheckConfig): HealthCheckTarget {
  const fromMetadata = Number(endpoint.metadata[HEALTH_CHECK_PORT_METADATA]);
  const metadataPort = Number.isInteger(fromMetadata) && fromMetadata > 0 && fromMetadata < 65536 ? fromMetadata : undefined;
  return { host: endpoint.host, port: metadataPort ?? config.portValue ?? endpoint.port };
}

export function failure(failureType: HealthCheckFailureType, reason: string): HealthCheckOutcome {
  return { healthy: false, failureType, reason };
}
