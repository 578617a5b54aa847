import { endpointAddress, type ResolvedEndpoint } from '../endpoint.js';
import type { HealthCheckClock, HealthCheckTimer } from './health-check.clock.js';
import type { HealthCheckConfig } from './health-check.config.js';
import { nextCheckDelay } from './health-check.interval.js';
import { failure, type HealthCheckFailureType, type HealthCheckOutcome, type HealthCheckTarget, type HealthProbe } from './health-probe.js';
import { HostHealth, type HealthStep, type HostHealthState } from './host-health.state.js';

/** One endpoint's health-check state, for /admin/clusters. Times are epoch milliseconds. */
export interface EndpointHealthCheckSnapshot {
  readonly endpointId: string;
  readonly zone: string | undefined;
  /** `host:port` actually checked (differs from the traffic address with a health port). */
  readonly checkedAddress: string;
  readonly state: HostHealthState;
  readonly lastCheckAt: number | undefined;
  readonly lastSuccessAt: number | undefined;
  readonly lastFailureAt: number | undefined;
  readonly lastFailureType: HealthCheckFailureType | undefined;
  readonly lastFailureReason: string | undefined;
  readonly consecutiveSuccesses: number;
  readonly consecutiveFailures: number;
  readonly checksTotal: number;
  readonly failuresTotal: number;
  /** When the next check is due; undefined while a check is in flight or after stop. */
  readonly nextCheckAt: number | undefined;
  /** EWMA of the round trip of passing checks (ms), once there are enough of them (zone_failover.latency). */
  readonly latencyMs?: number;
}

/** Weight of the newest round trip in the EWMA, and passing checks needed before it counts. */
const LATENCY_ALPHA = 0.5;
const LATENCY_MIN_SAMPLES = 3;

/** What a session needs from its checker. */
export interface SessionHost {
  readonly config: HealthCheckConfig;
  readonly clock: HealthCheckClock;
  readonly random: () => number;
  hasTraffic(): boolean;
  /** Called after every result, with the threshold step it caused. */
  onResult(session: HealthCheckSession, outcome: HealthCheckOutcome, step: HealthStep): void;
}

/**
 * The check loop of one endpoint: check, wait for the answer or the timeout,
 * apply the thresholds, wait the interval Envoy would, repeat. The interval
 * counts from the answer, so a slow host is never checked concurrently.
 */
export class HealthCheckSession {
  readonly health: HostHealth;
  private timer: HealthCheckTimer | undefined;
  private nextCheckAt: number | undefined;
  private waitingForTraffic = false;
  private controller: AbortController | undefined;
  private generation = 0;
  private stopped = false;
  private lastCheckAt: number | undefined;
  private lastSuccessAt: number | undefined;
  private lastFailureAt: number | undefined;
  private lastFailure: { type: HealthCheckFailureType; reason: string } | undefined;
  private checksTotal = 0;
  private failuresTotal = 0;
  private latencyEwma = 0;
  private latencySamples = 0;

  constructor(
    public endpoint: ResolvedEndpoint,
    readonly target: HealthCheckTarget,
    private readonly probe: HealthProbe,
    private readonly host: SessionHost,
  ) {
    this.health = new HostHealth(host.config.unhealthyThreshold, host.config.healthyThreshold);
  }

  get probeType(): 'GRPC' | 'HTTP' {
    return this.probe.type;
  }

  start(): void {
    const jitter = this.host.config.initialJitterMs;
    this.schedule(jitter > 0 ? Math.floor(this.host.random() * jitter) : 0);
  }

  /**
   * The cluster just saw its first traffic: a host parked on
   * no_traffic_interval is checked when it would have been at `interval`
   * (at once when that time has passed), never later than already planned.
   */
  trafficStarted(): void {
    if (!this.waitingForTraffic || !this.timer || this.nextCheckAt === undefined) return;
    this.waitingForTraffic = false;
    const now = this.host.clock.now();
    const due = (this.lastCheckAt ?? now) + this.host.config.intervalMs;
    if (due < this.nextCheckAt) this.schedule(Math.max(0, due - now));
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.nextCheckAt = undefined;
    this.controller?.abort();
    this.probe.close();
  }

  snapshot(): EndpointHealthCheckSnapshot {
    return {
      endpointId: this.endpoint.id,
      zone: this.endpoint.zone,
      checkedAddress: endpointAddress(this.target),
      state: this.health.state,
      lastCheckAt: this.lastCheckAt,
      lastSuccessAt: this.lastSuccessAt,
      lastFailureAt: this.lastFailureAt,
      lastFailureType: this.lastFailure?.type,
      lastFailureReason: this.lastFailure?.reason,
      consecutiveSuccesses: this.health.consecutiveSuccesses,
      consecutiveFailures: this.health.consecutiveFailures,
      checksTotal: this.checksTotal,
      failuresTotal: this.failuresTotal,
      nextCheckAt: this.nextCheckAt,
      ...(this.latencyMs === undefined ? {} : { latencyMs: Math.round(this.latencyMs * 10) / 10 }),
    };
  }

  /** EWMA round trip of passing checks, undefined until there are a few. */
  get latencyMs(): number | undefined {
    return this.latencySamples >= LATENCY_MIN_SAMPLES ? this.latencyEwma : undefined;
  }

  private schedule(delayMs: number): void {
    this.timer?.cancel();
    this.nextCheckAt = this.host.clock.now() + delayMs;
    this.timer = this.host.clock.setTimer(() => this.run(), delayMs);
  }

  private run(): void {
    this.timer = undefined;
    this.nextCheckAt = undefined;
    if (this.stopped) return;
    const generation = ++this.generation;
    const controller = new AbortController();
    this.controller = controller;
    const { timeoutMs } = this.host.config;
    const startedAt = this.host.clock.now();
    const finish = (outcome: HealthCheckOutcome): void => {
      if (this.stopped || generation !== this.generation) return;
      this.generation += 1; // a late answer after the timeout (or vice versa) is ignored
      timeout.cancel();
      this.controller = undefined;
      if (outcome.healthy) this.observeLatency(this.host.clock.now() - startedAt);
      this.record(outcome);
    };
    const timeout = this.host.clock.setTimer(() => {
      controller.abort();
      finish(failure('NETWORK_TIMEOUT', `no answer within ${timeoutMs}ms`));
    }, timeoutMs);
    this.probe.check(controller.signal, timeoutMs).then(finish, (error: unknown) =>
      finish(failure('NETWORK', (error as Error)?.message ?? String(error))),
    );
  }

  private observeLatency(ms: number): void {
    this.latencyEwma = this.latencySamples === 0 ? ms : this.latencyEwma + LATENCY_ALPHA * (ms - this.latencyEwma);
    this.latencySamples += 1;
  }

  private record(outcome: HealthCheckOutcome): void {
    const now = this.host.clock.now();
    this.checksTotal += 1;
    this.lastCheckAt = now;
    let step: HealthStep;
    if (outcome.healthy) {
      this.lastSuccessAt = now;
      step = this.health.succeeded();
    } else {
      this.failuresTotal += 1;
      this.lastFailureAt = now;
      this.lastFailure = { type: outcome.failureType, reason: outcome.reason };
      step = this.health.failed(outcome.failureType);
    }
    this.host.onResult(this, outcome, step);
    if (this.stopped) return; // a listener may have removed this endpoint
    const hasTraffic = this.host.hasTraffic();
    this.waitingForTraffic = !hasTraffic;
    this.schedule(nextCheckDelay(this.host.config, outcome.healthy ? 'success' : 'failure', step.transition, hasTraffic, this.host.random));
  }
}
