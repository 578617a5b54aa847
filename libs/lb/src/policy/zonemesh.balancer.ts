import { connectivityState, experimental, logVerbosity, type ChannelOptions } from '@grpc/grpc-js';
import type { ResolvedEndpoint } from '../endpoint.js';
import { EndpointChild, type CallObserver } from './endpoint-child.js';
import { addressKey, defaultInfo, endpointKey, withoutZonemeshAttributes } from './endpoint-keys.js';
import { ConnectTimeouts } from './connect-timeouts.js';
import { trackCluster, untrackCluster, type ClusterSnapshot, type ClusterSnapshotSource } from '../admin/cluster-snapshots.js';
import { buildClusterSnapshot } from '../admin/cluster-snapshot.builder.js';
import { endpointsFromOptions, targetFromOptions } from '../resolver/resolver-attributes.js';
import { ZONEMESH_POLICY, ZonemeshLoadBalancingConfig } from './zonemesh.config.js';
import { lbClock, lbRandom, type LbTimer } from '../lb-clock.js';
import { SlowStartTracker } from '../balancer/slow-start.js';
import { FailedInstanceCache } from '../zone/failed-instance.cache.js';
import { FailbackTimer, lastSeenFailing } from '../zone/failback.timer.js';
import { LatencyWatch } from '../zone/latency.watch.js';
import { OutlierDetector } from '../outlier/outlier-detector.js';
import type { EjectionReason } from '../outlier/outlier-state.js';
import { notifyEvent } from '../lifecycle/lb-lifecycle.js';
import { createAttemptSink } from '../lifecycle/attempt.sink.js';
import { PlanAnnouncer } from '../lifecycle/plan-announcer.js';
import { retryBudgetFor, type RetryBudget } from '../retry/retry-budget.js';
import { CircuitBreaker } from '../call/circuit-breaker.js';
import { ChannelHealth } from '../health/channel-health.js';
import type { EndpointBalancer } from '../balancer/endpoint-balancer.js';
import { buildSubsetPick } from '../supplier/subset-pick.builder.js';
import { QUEUED_PICK, ZonemeshPicker, failedPick, type PickerContext, type SubsetPick } from './zonemesh.picker.js';

const TRACER = 'zonemesh';
const SLOW_START_STEPS = 20;
const SLOW_START_MIN_STEP_MS = 250;

/**
 * The `zonemesh` grpc-js LB policy. One leaf balancer (connection) per
 * endpoint, every endpoint kept connected so failover needs no handshake.
 * On every relevant change (connectivity, resolver list, health, ejection,
 * failed-instance expiry, connect timeout) it runs the supplier chain —
 * discovery -> subset -> active health -> outlier -> zone failover -> panic —
 * per subset and publishes an immutable ZonemeshPicker. Calls report back
 * through the endpoint hooks, which feed outlier detection, peak-EWMA, the
 * retry budget and the lifecycle hooks (metrics).
 * Channel state: READY if some endpoint takes calls, else CONNECTING while
 * connections are being made (within connect_timeout), else TRANSIENT_FAILURE.
 *
 * This class keeps the endpoints and rebuilds the picker; its collaborators
 * each own one concern: ChannelHealth (active health), OutlierDetector
 * (passive health), FailedInstanceCache + FailbackTimer (zone failback),
 * ConnectTimeouts, RetryBudget, the attempt sink and PlanAnnouncer
 * (lifecycle hooks), buildClusterSnapshot (/admin/clusters).
 */
export class ZonemeshLoadBalancer implements experimental.LoadBalancer, ClusterSnapshotSource, CallObserver {
  private children = new Map<string, EndpointChild>();
  private config = new ZonemeshLoadBalancingConfig();
  private target: string | undefined;
  private state: connectivityState = connectivityState.IDLE;
  private updatesPaused = false;
  private lastError: string | null = null;
  private tracked = false;
  private destroyed = false;
  private readonly clock = lbClock();
  private readonly random = lbRandom();
  private readonly cache = new FailedInstanceCache(this.config.settings.zoneFailover.failedInstanceTtlMs);
  private readonly failback = new FailbackTimer(this.clock, () => this.recompute());
  private readonly latency = new LatencyWatch(
    this.clock,
    () => [...this.children.values()].map((c) => ({ key: c.key, zone: c.zone, latencyMs: this.health.view?.latencyMs?.(c.info.id) })),
    () => this.recompute(),
    (zones, until) => notifyEvent({ type: 'latency-spill-held', cluster: this.clusterName(), zones: zones.map((z) => z ?? '(none)'), until }),
  );
  private readonly connectTimeouts = new ConnectTimeouts(this.clock);
  private readonly outlier: OutlierDetector;
  private readonly health: ChannelHealth;
  private readonly announcer = new PlanAnnouncer();
  private plans = new Map<string | undefined, SubsetPick>();
  private readonly previousBalancers = new Map<string, EndpointBalancer>();
  private retries = 0;
  private budget: RetryBudget | undefined;
  /** Always counts (a config may come later); enforced by the picker only with circuit_breakers. */
  private readonly breaker = new CircuitBreaker(undefined);
  private readonly sink: PickerContext['sink'];
  private readonly slowStart = new SlowStartTracker();
  /** While an endpoint ramps up (slow start), the picker is rebuilt in steps. */
  private slowStartTimer: LbTimer | undefined;

  constructor(private readonly helper: experimental.ChannelControlHelper) {
    this.outlier = new OutlierDetector(this.config.settings.outlierDetection, this.clock, this.random, () => this.children.values(), {
      ejected: (child, reason) => this.onEjected(child, reason),
      unejected: (child, reason) => {
        notifyEvent({ type: 'unejected', cluster: this.clusterName(), endpoint: child.info, reason });
        this.recompute();
      },
    });
    this.health = new ChannelHealth(
      {
        clusterName: () => this.clusterName(),
        endpoints: () => [...this.children.values()].map((c) => c.info),
        healthChanged: (id) => this.onHealthChange(id),
        viewReplaced: () => {
          if (!this.updatesPaused && this.children.size > 0) this.recompute();
        },
      },
      this.clock,
      this.random,
    );
    this.sink = createAttemptSink({
      now: () => this.clock.now(),
      peakEwma: () => this.config.settings.lbPolicy === 'peak_ewma',
      retried: () => {
        this.retries += 1;
      },
    });
  }

  updateAddressList(
    maybeEndpoints: experimental.StatusOr<experimental.Endpoint[]>,
    lbConfig: experimental.TypedLoadBalancingConfig,
    options: ChannelOptions,
    resolutionNote: string,
  ): boolean {
    if (!(lbConfig instanceof ZonemeshLoadBalancingConfig)) return false;
    this.applyConfig(lbConfig);
    this.target = targetFromOptions(options) ?? this.target;
    if (!this.tracked) {
      this.tracked = true;
      trackCluster(this);
    }
    if (!maybeEndpoints.ok) {
      // With endpoints known, a failed re-resolution changes nothing.
      if (this.children.size === 0) {
        this.report(connectivityState.TRANSIENT_FAILURE, new experimental.UnavailablePicker(maybeEndpoints.error), maybeEndpoints.error.details);
      }
      return true;
    }

    const infoByAddress = new Map<string, ResolvedEndpoint>();
    for (const info of endpointsFromOptions(options)) infoByAddress.set(addressKey(info), info);
    const leafOptions = withoutZonemeshAttributes(options);
    const cluster = this.clusterName();

    this.updatesPaused = true;
    const first = this.children.size === 0;
    const next = new Map<string, EndpointChild>();
    const created: EndpointChild[] = [];
    for (const endpoint of maybeEndpoints.value) {
      const key = endpointKey(endpoint);
      if (next.has(key)) continue;
      const info = infoByAddress.get(key) ?? defaultInfo(key, endpoint);
      const existing = this.children.get(key);
      if (existing) {
        existing.updateInfo(info, cluster, this.config.zone);
        next.set(key, existing);
      } else {
        const child = new EndpointChild(key, endpoint, info, cluster, this.config.zone, this.helper, leafOptions, resolutionNote, this, (c, previous, error) =>
          this.onChildState(c, previous, error),
        );
        next.set(key, child);
        created.push(child);
      }
    }
    for (const [key, child] of this.children) {
      if (next.has(key)) continue;
      child.leaf.destroy();
      this.outlier.forget(child);
      this.connectTimeouts.cancel(child);
      this.cache.delete(key);
      this.slowStart.forget(child);
    }
    // Slow start ramps endpoints added later and endpoints coming back, not the first list.
    if (first) this.slowStart.markInitial(created);
    this.children = next;
    this.health.setEndpoints([...next.values()].map((c) => c.info));
    for (const child of created) child.leaf.startConnecting();
    this.updatesPaused = false;

    if (next.size === 0) {
      const message = `zonemesh: no endpoints for ${cluster}${resolutionNote ? ` (${resolutionNote})` : ''}`;
      this.report(connectivityState.TRANSIENT_FAILURE, new experimental.UnavailablePicker({ details: message }), message);
      return true;
    }
    this.outlier.start();
    this.recompute();
    return true;
  }

  exitIdle(): void {
    for (const child of this.children.values()) {
      if (child.connectivity === connectivityState.IDLE) child.leaf.exitIdle();
    }
  }

  resetBackoff(): void {
    for (const child of this.children.values()) child.resetBackoff();
  }

  destroy(): void {
    this.destroyed = true;
    for (const child of this.children.values()) child.leaf.destroy();
    this.children.clear();
    this.outlier.stop();
    this.latency.stop();
    this.failback.cancel();
    this.slowStartTimer?.cancel();
    this.connectTimeouts.cancelAll();
    this.health.stop();
    if (this.tracked) untrackCluster(this);
    this.tracked = false;
  }

  getTypeName(): string {
    return ZONEMESH_POLICY;
  }

  snapshot(): ClusterSnapshot {
    return buildClusterSnapshot({
      cluster: this.clusterName(),
      target: this.target,
      zone: this.config.zone,
      lbPolicy: this.config.lbPolicy,
      state: this.state,
      subsetKey: this.config.settings.subset?.metadataKey,
      plans: this.plans.values(),
      mainPlan: this.mainPlan(),
      retries: this.retries,
      circuitBreakers: this.breaker.snapshot(),
      children: this.children.values(),
      cache: this.cache,
      now: this.clock.now(),
      ...(this.config.settings.slowStart ? { slowStart: (child: EndpointChild) => this.slowStart.factor(this.config.settings.slowStart, child, this.clock.now()) } : {}),
      checkLatencyMs: (id) => this.health.view?.latencyMs?.(id),
      slow: this.latency.slow,
      latencySpillHeld: this.latency.isHeld(),
    });
  }

  // --- CallObserver: the endpoint-level hooks every call goes through ---

  onCallStarted(_child: EndpointChild): void {
    this.breaker.requestStarted();
    this.health.noteTraffic();
  }

  onCallEnded(child: EndpointChild, code: number, details: string): void {
    this.breaker.requestEnded();
    // Ejection happens here, on the failing response, so the very next pick avoids the host.
    this.outlier.onCallEnded(child, code, details);
  }

  /** Retries in flight and calls counted by the retry budget (tests, snapshots). */
  retryBudgetState(): { activeCalls: number; activeRetries: number; waitingCalls: number } | undefined {
    const b = this.budget;
    return b && { activeCalls: b.activeCalls, activeRetries: b.activeRetries, waitingCalls: b.waitingCalls };
  }

  // --- state ---

  private applyConfig(config: ZonemeshLoadBalancingConfig): void {
    this.config = config;
    const settings = config.settings;
    this.cache.setTtl(settings.zoneFailover.failedInstanceTtlMs);
    this.budget = retryBudgetFor(settings.retryPolicy, this.budget, this.clock);
    this.breaker.config = settings.circuitBreakers;
    this.outlier.setConfig(settings.outlierDetection);
    if (!this.destroyed) {
      this.health.configure(settings.healthChecks, settings.healthChecksJson);
      this.latency.configure(settings.zoneFailover.latency);
    }
  }

  private onHealthChange(endpointId: string): void {
    if (this.destroyed) return;
    for (const child of this.children.values()) {
      if (child.info.id !== endpointId) continue;
      if (this.health.view?.isHealthy(endpointId) === true) {
        this.outlier.onHealthy(child);
        // The health check reached it: reconnect now, not at the end of a long reconnect backoff.
        child.resetBackoff();
      }
    }
    this.recompute();
  }

  private onEjected(child: EndpointChild, reason: EjectionReason): void {
    const o = child.outlier;
    child.lastFailureAt = this.clock.now();
    experimental.trace(logVerbosity.INFO, TRACER, `${this.clusterName()}: ejected ${child.info.id} (${reason}) for ${o.ejectedUntil! - this.clock.now()} ms`);
    notifyEvent({ type: 'ejected', cluster: this.clusterName(), endpoint: child.info, reason, until: o.ejectedUntil!, ejectionCount: o.ejectionCount });
    this.recompute();
  }

  private clusterName(): string {
    return this.config.cluster ?? this.target ?? '(unnamed)';
  }

  private onChildState(child: EndpointChild, previous: connectivityState, errorMessage: string | null): void {
    if (errorMessage) this.lastError = errorMessage;
    const state = child.connectivity;
    if (state === connectivityState.READY) {
      child.connectingSince = undefined;
      if (previous !== connectivityState.READY) {
        let connected = 0;
        for (const c of this.children.values()) if (c.ready) connected += 1;
        this.breaker.connected(connected);
      }
      this.outlier.onConnected(child);
    } else if (state === connectivityState.TRANSIENT_FAILURE) {
      // pick_first reports TRANSIENT_FAILURE again after every failed reconnect: each one is a failure seen now.
      child.lastFailureAt = this.clock.now();
      if (previous !== connectivityState.TRANSIENT_FAILURE) {
        child.connectingSince = undefined;
        this.outlier.onLocalOriginFailure(child);
      }
    } else if (state === connectivityState.CONNECTING && previous !== connectivityState.CONNECTING) {
      child.connectingSince = this.clock.now();
      this.connectTimeouts.arm(child, this.config.settings.connectTimeoutMs, () => {
        if (child.connectivity === connectivityState.CONNECTING) {
          child.lastFailureAt = this.clock.now();
          this.outlier.onLocalOriginFailure(child);
          this.recompute();
        }
      });
    }
    // A dropped connection may mean the instance went away: ask discovery for
    // fresher data (the source decides whether that costs anything).
    if (previous === connectivityState.READY && state !== connectivityState.READY) {
      this.helper.requestReresolution();
    }
    this.recompute();
  }

  private recompute(): void {
    if (this.updatesPaused || this.destroyed || this.children.size === 0) return;
    const now = this.clock.now();
    const cluster = this.clusterName();
    const settings = this.config.settings;
    for (const key of this.cache.expire(now)) {
      const child = this.children.get(key);
      if (child) notifyEvent({ type: 'failed-instance-expired', cluster, endpoint: child.info });
    }
    const connectFailed = new Set<EndpointChild>();
    for (const child of this.children.values()) {
      child.health = this.health.view?.isHealthy(child.info.id);
      const timedOut = child.connectingSince !== undefined && now - child.connectingSince >= settings.connectTimeoutMs;
      if (child.connectivity === connectivityState.TRANSIENT_FAILURE || timedOut) connectFailed.add(child);
      const tooSlow = this.latency.slow.has(child.key);
      const failing = connectFailed.has(child) || child.health === false || child.ejected || tooSlow;
      // Failing now, or just recovered: the TTL counts from the last failure seen either way.
      if (failing || child.failing) {
        const seen = tooSlow ? now : lastSeenFailing(child.lastFailureAt, this.health.view?.lastFailureAt?.(child.info.id), child.health === false, timedOut, now);
        if (this.cache.mark(child.key, now, seen) && failing) notifyEvent({ type: 'failed-instance-cached', cluster, endpoint: child.info });
      }
      child.failing = failing;
    }
    const isFailedInstance = (e: EndpointChild): boolean => connectFailed.has(e) || this.cache.has(e.key, now);
    const slow = settings.slowStart;
    if (slow) {
      for (const child of this.children.values()) {
        this.slowStart.observe(child, child.ready && !child.failing && !isFailedInstance(child), now);
      }
    }

    const all = [...this.children.values()];
    const plans = new Map<string | undefined, SubsetPick>();
    const build = (value: string | undefined): SubsetPick =>
      buildSubsetPick({
        all,
        subset: settings.subset && value !== undefined ? { key: settings.subset.metadataKey, value } : undefined,
        settings,
        callerZone: this.config.zone,
        isFailedInstance,
        random: this.random,
        now: () => this.clock.now(),
        previousBalancers: this.previousBalancers,
        empty: (members) => this.emptyResult(members, connectFailed, value),
        ...(slow ? { slowStart: (e: EndpointChild) => this.slowStart.factor(slow, e, now) } : {}),
      });
    if (settings.subset) {
      const values = new Set<string>();
      for (const child of all) {
        const value = child.info.metadata[settings.subset.metadataKey];
        if (value !== undefined) values.add(value);
      }
      for (const value of [...values].sort()) plans.set(value, build(value));
    } else {
      plans.set(undefined, build(undefined));
    }
    this.plans = plans;
    this.announcer.announce(cluster, plans);

    const subsets = new Map<string, SubsetPick>();
    for (const [value, pick] of plans) if (value !== undefined) subsets.set(value, pick);
    const context: PickerContext = {
      cluster,
      sourceZone: this.config.zone,
      subset: settings.subset,
      budget: this.budget,
      breaker: settings.circuitBreakers ? this.breaker : undefined,
      random: this.random,
      sink: this.sink,
      retryBudgetExhausted: () => notifyEvent({ type: 'retry-budget-exhausted', cluster }),
    };
    const picker = new ZonemeshPicker(context, subsets, plans.get(undefined));
    const anyServing = [...plans.values()].some((p) => p.levels.length > 0);
    if (anyServing) {
      this.report(connectivityState.READY, picker, null);
    } else if (all.some((c) => !connectFailed.has(c) && c.connectivity !== connectivityState.READY)) {
      this.report(connectivityState.CONNECTING, picker, null);
    } else {
      this.report(connectivityState.TRANSIENT_FAILURE, picker, `zonemesh: no endpoint of ${cluster} is reachable. Last error: ${this.lastError}`);
    }
    // Keep every endpoint connected, remote zones included, so failover is instant.
    for (const child of this.children.values()) {
      if (child.connectivity === connectivityState.IDLE) child.leaf.exitIdle();
    }
    this.failback.schedule(this.cache, now);
    this.scheduleSlowStartStep(now);
  }

  /** Rebuilds the picker in steps while a slow-start ramp lasts (~20 steps per window, at most 4 a second). */
  private scheduleSlowStartStep(now: number): void {
    this.slowStartTimer?.cancel();
    this.slowStartTimer = undefined;
    const slow = this.config.settings.slowStart;
    const until = this.slowStart.rampsUntil(slow, now);
    if (slow === undefined || until === undefined) return;
    const step = Math.min(until - now, Math.max(SLOW_START_MIN_STEP_MS, slow.windowMs / SLOW_START_STEPS));
    this.slowStartTimer = this.clock.setTimer(() => this.recompute(), step);
  }

  /** What a subset without a serving endpoint answers: wait while connections are being made, else fail. */
  private emptyResult(members: readonly EndpointChild[], connectFailed: ReadonlySet<EndpointChild>, value: string | undefined): experimental.PickResult {
    if (members.some((c) => !connectFailed.has(c) && c.connectivity !== connectivityState.READY)) return QUEUED_PICK;
    const what = value === undefined ? this.clusterName() : `${this.clusterName()} (${this.config.settings.subset?.metadataKey}=${value})`;
    const details = `zonemesh: no endpoint of ${what} is reachable. Last error: ${this.lastError}`;
    return failedPick(details);
  }

  private mainPlan(): SubsetPick | undefined {
    const subset = this.config.settings.subset;
    return subset ? this.plans.get(subset.defaultValue) : this.plans.get(undefined);
  }

  private report(state: connectivityState, picker: experimental.Picker, errorMessage: string | null): void {
    if (state !== this.state) {
      experimental.trace(logVerbosity.DEBUG, TRACER, `${this.clusterName()} ${connectivityState[this.state]} -> ${connectivityState[state]}`);
    }
    this.state = state;
    this.helper.updateState(state, picker, errorMessage);
  }
}

export function setupZonemeshBalancer(): void {
  experimental.registerLoadBalancerType(ZONEMESH_POLICY, ZonemeshLoadBalancer, ZonemeshLoadBalancingConfig);
}
