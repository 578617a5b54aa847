import type { EndpointChild } from '../policy/endpoint-child.js';
import type { OutlierDetectionConfig } from '../cluster/cluster-config.js';
import type { LbClock, LbTimer } from '../lb-clock.js';
import { isLocalOriginFailure } from './local-origin.js';
import type { EjectionReason } from './outlier-state.js';


export interface OutlierListener {
  ejected(child: EndpointChild, reason: EjectionReason): void;
  unejected(child: EndpointChild, reason: 'expired' | 'health_check'): void;
}

/**
 * Passive health checking with Envoy's semantics and our defaults.
 * - Consecutive failures (codes in `failure_codes`) eject on the failing
 *   response itself, not at the next tick; local-origin failures (connect
 *   failures, resets) are counted apart (Envoy's split_external_local_origin_errors).
 * - Every `interval`: success-rate (mean - stdev_factor x stdev over hosts with
 *   enough requests) and failure-percentage ejection; the ejection multiplier
 *   of hosts not ejected decays by one.
 * - Ejection time = base_ejection_time x consecutive ejections, capped by
 *   max_ejection_time; un-ejection runs at that exact time (not on the tick),
 *   or earlier when an active health check turns the host healthy.
 * - max_ejection_percent is checked after the ejection; `always_eject_one`
 *   still allows one ejection when that rounds to zero (Envoy's small-cluster trap).
 */
export class OutlierDetector {
  private intervalTimer: LbTimer | null = null;
  private readonly unejectTimers = new Map<EndpointChild, LbTimer>();

  constructor(
    private config: OutlierDetectionConfig,
    private readonly clock: LbClock,
    private readonly random: () => number,
    private readonly hosts: () => Iterable<EndpointChild>,
    private readonly listener: OutlierListener,
  ) {}

  setConfig(config: OutlierDetectionConfig): void {
    const intervalChanged = config.intervalMs !== this.config.intervalMs || config.enabled !== this.config.enabled;
    this.config = config;
    if (intervalChanged && this.intervalTimer) {
      this.stop();
      this.start();
    }
  }

  start(): void {
    if (this.intervalTimer || !this.config.enabled) return;
    this.intervalTimer = this.clock.setTimer(() => {
      this.intervalTimer = null;
      this.tick();
      this.start();
    }, this.config.intervalMs);
  }

  stop(): void {
    this.intervalTimer?.cancel();
    this.intervalTimer = null;
    for (const timer of this.unejectTimers.values()) timer.cancel();
    this.unejectTimers.clear();
  }

  /** The host left the cluster. */
  forget(child: EndpointChild): void {
    this.unejectTimers.get(child)?.cancel();
    this.unejectTimers.delete(child);
  }

  onCallEnded(child: EndpointChild, code: number, details: string): void {
    if (!this.config.enabled) return;
    const state = child.outlier;
    if (code === 0) {
      state.successes += 1;
      state.consecutiveErrors = 0;
      state.consecutiveLocalOriginFailures = 0;
      return;
    }
    if (isLocalOriginFailure(code, details)) {
      this.onLocalOriginFailure(child);
      return;
    }
    if (!this.config.failureCodes.includes(code)) {
      // An application error (NOT_FOUND...) says nothing about the host's health.
      state.successes += 1;
      state.consecutiveErrors = 0;
      return;
    }
    state.failures += 1;
    state.consecutiveErrors += 1;
    if (this.config.consecutiveErrors > 0 && state.consecutiveErrors >= this.config.consecutiveErrors) {
      this.tryEject(child, 'consecutive_errors');
    }
  }

  /** A connection attempt to the host failed (or timed out): a local-origin failure. */
  onLocalOriginFailure(child: EndpointChild): void {
    if (!this.config.enabled) return;
    const state = child.outlier;
    state.consecutiveLocalOriginFailures += 1;
    if (this.config.consecutiveLocalOriginFailure > 0 && state.consecutiveLocalOriginFailures >= this.config.consecutiveLocalOriginFailure) {
      this.tryEject(child, 'consecutive_local_origin_failure');
    }
  }

  /** A connection to the host was established. */
  onConnected(child: EndpointChild): void {
    child.outlier.consecutiveLocalOriginFailures = 0;
  }

  /** An active health check turned the host healthy: un-eject it now (Envoy's successful_active_health_check_uneject_host). */
  onHealthy(child: EndpointChild): void {
    if (child.ejected) this.uneject(child, 'health_check');
  }

  /** Runs the interval algorithms now (exposed for tests driving a manual clock through the timer). */
  tick(): void {
    const hosts = [...this.hosts()];
    this.successRate(hosts);
    this.failurePercentage(hosts);
    for (const host of hosts) {
      const state = host.outlier;
      if (!host.ejected && state.ejectionCount > 0 && (state.unejectedAt === undefined || this.clock.now() - state.unejectedAt >= this.config.intervalMs)) {
        state.ejectionCount -= 1;
      }
      state.lastSuccesses = state.successes;
      state.lastFailures = state.failures;
      state.successes = 0;
      state.failures = 0;
    }
  }

  private successRate(hosts: readonly EndpointChild[]): void {
    const c = this.config;
    const rated = hosts.filter((h) => !h.ejected && h.outlier.successes + h.outlier.failures >= c.successRateRequestVolume);
    if (rated.length < c.successRateMinimumHosts || rated.length === 0) return;
    const rates = rated.map((h) => h.outlier.successes / (h.outlier.successes + h.outlier.failures));
    const mean = rates.reduce((a, b) => a + b, 0) / rates.length;
    const stdev = Math.sqrt(rates.reduce((a, r) => a + (r - mean) ** 2, 0) / rates.length);
    const floor = mean - c.successRateStdevFactor * stdev;
    rated.forEach((host, i) => {
      if (rates[i]! < floor && this.random() * 100 < c.enforcingSuccessRate) this.tryEject(host, 'success_rate');
    });
  }

  private failurePercentage(hosts: readonly EndpointChild[]): void {
    const c = this.config;
    if (c.enforcingFailurePercentage <= 0) return;
    const rated = hosts.filter((h) => !h.ejected && h.outlier.successes + h.outlier.failures >= c.failurePercentageRequestVolume);
    if (rated.length < c.failurePercentageMinimumHosts) return;
    for (const host of rated) {
      const percent = (100 * host.outlier.failures) / (host.outlier.successes + host.outlier.failures);
      if (percent >= c.failurePercentageThreshold && this.random() * 100 < c.enforcingFailurePercentage) this.tryEject(host, 'failure_percentage');
    }
  }

  private tryEject(child: EndpointChild, reason: EjectionReason): void {
    if (child.ejected) return;
    let total = 0;
    let ejected = 0;
    for (const host of this.hosts()) {
      total += 1;
      if (host.ejected) ejected += 1;
    }
    const allowed = Math.floor((total * this.config.maxEjectionPercent) / 100);
    if (ejected + 1 > allowed && !(this.config.alwaysEjectOne && ejected === 0)) return;
    const now = this.clock.now();
    const state = child.outlier;
    state.ejectionCount += 1;
    const duration = Math.min(this.config.baseEjectionTimeMs * state.ejectionCount, Math.max(this.config.baseEjectionTimeMs, this.config.maxEjectionTimeMs));
    state.ejectedAt = now;
    state.ejectedUntil = now + duration;
    state.reason = reason;
    state.consecutiveErrors = 0;
    state.consecutiveLocalOriginFailures = 0;
    this.unejectTimers.get(child)?.cancel();
    this.unejectTimers.set(
      child,
      this.clock.setTimer(() => this.uneject(child, 'expired'), duration),
    );
    this.listener.ejected(child, reason);
  }

  private uneject(child: EndpointChild, reason: 'expired' | 'health_check'): void {
    this.unejectTimers.get(child)?.cancel();
    this.unejectTimers.delete(child);
    if (!child.ejected) return;
    child.outlier.ejectedUntil = undefined;
    child.outlier.unejectedAt = this.clock.now();
    this.listener.unejected(child, reason);
  }
}
