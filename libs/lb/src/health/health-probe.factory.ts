import type { ResolvedEndpoint } from '../endpoint.js';
import type { HealthCheckConfig } from './health-check.config.js';
import { GrpcHealthProbe } from './grpc.health-check.js';
import { HttpHealthProbe } from './http.health-check.js';
import type { HealthCheckTarget, HealthProbe } from './health-probe.js';

/** The probe the config asks for: `grpc_health_check` or `http_health_check`. */
export function createHealthProbe(_endpoint: ResolvedEndpoint, target: HealthCheckTarget, config: HealthCheckConfig): HealthProbe {
  return config.checker.kind === 'grpc'
    ? new GrpcHealthProbe(target, config.checker)
    : new HttpHealthProbe(target, config.checker, config.timeoutMs);
}
