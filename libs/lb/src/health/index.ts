export { ActiveHealthChecker, type ActiveHealthCheckerOptions } from './active-health-checker.js';
export {
  HEALTH_CHECK_DEFAULTS,
  isExpectedStatus,
  parseHealthCheckConfig,
  type GrpcHealthCheckConfig,
  type HealthCheckConfig,
  type HttpHealthCheckConfig,
  type HttpStatusRange,
} from './health-check.config.js';
export { systemHealthCheckClock, type HealthCheckClock, type HealthCheckTimer } from './health-check.clock.js';
export type { EndpointHealthCheckSnapshot } from './health-check.session.js';
export {
  HealthEventLog,
  type AddHealthyEvent,
  type EjectUnhealthyEvent,
  type HealthCheckEvent,
  type HealthCheckEventListener,
  type HealthCheckFailureEvent,
} from './health-event-log.js';
export {
  HEALTH_CHECK_PORT_METADATA,
  healthCheckTarget,
  type HealthCheckFailureType,
  type HealthCheckOutcome,
  type HealthCheckTarget,
  type HealthProbe,
  type HealthProbeFactory,
} from './health-probe.js';
export { createHealthProbe } from './health-probe.factory.js';
export { GrpcHealthProbe } from './grpc.health-check.js';
export { HttpHealthProbe } from './http.health-check.js';
export type { HealthTransition, HostHealthState } from './host-health.state.js';
