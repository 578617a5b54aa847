import type { HealthCheckFailureType } from './health-probe.js';

/** `unknown` until the first check has answered. */
export type HostHealthState = 'unknown' | 'healthy' | 'unhealthy';

/**
 * How a result moved the host, as Envoy's HealthTransition: `changed` (the
 * state flipped), `pending` (on the way to flipping, below threshold) or
 * `unchanged`. The next interval depends on it (the edge intervals).
 */
export type HealthTransition = 'changed' | 'pending' | 'unchanged';

export interface HealthStep {
  readonly transition: HealthTransition;
  /** This was the host's first result. */
  readonly firstCheck: boolean;
  /** The state before this result. */
  readonly previous: HostHealthState;
}

/**
 * The threshold logic of one host, after Envoy's ActiveHealthCheckSession
 * (handleSuccess / setUnhealthy):
 * - the first result decides at once: one success makes the host healthy,
 *   one failure unhealthy (Envoy starts hosts as failed until checked);
 * - a healthy host turns unhealthy after `unhealthyThreshold` consecutive
 *   failures, or at once on an ACTIVE failure (the host said it is unwell);
 * - an unhealthy host turns healthy after `healthyThreshold` consecutive successes.
 */
export class HostHealth {
  state: HostHealthState = 'unknown';
  consecutiveSuccesses = 0;
  consecutiveFailures = 0;

  constructor(
    private readonly unhealthyThreshold: number,
    private readonly healthyThreshold: number,
  ) {}

  succeeded(): HealthStep {
    const previous = this.state;
    this.consecutiveFailures = 0;
    this.consecutiveSuccesses += 1;
    if (previous === 'healthy') return { transition: 'unchanged', firstCheck: false, previous };
    if (previous === 'unknown' || this.consecutiveSuccesses >= this.healthyThreshold) {
      this.state = 'healthy';
      return { transition: 'changed', firstCheck: previous === 'unknown', previous };
    }
    return { transition: 'pending', firstCheck: false, previous };
  }

  failed(type: HealthCheckFailureType): HealthStep {
    const previous = this.state;
    this.consecutiveSuccesses = 0;
    this.consecutiveFailures += 1;
    if (previous === 'unhealthy') return { transition: 'unchanged', firstCheck: false, previous };
    if (previous === 'unknown' || type === 'ACTIVE' || this.consecutiveFailures >= this.unhealthyThreshold) {
      this.state = 'unhealthy';
      return { transition: 'changed', firstCheck: previous === 'unknown', previous };
    }
    return { transition: 'pending', firstCheck: false, previous };
  }
}
