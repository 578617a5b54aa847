import { connectivityState, experimental, logVerbosity, type ChannelOptions } from '@grpc/grpc-js';
import type { ResolvedEndpoint } from '../endpoint.js';
import { EndpointChild, type CallObserver } from './endpoint-child.js';
import type { EndpointHealthView } from '../health/endpoint-health.view.js';
import { trackCluster, untrackCluster, type ClusterSnapshot, type ClusterSnapshotSource, type PlanSnapshot } from '../admin/cluster-snapshots.js';
import { endpointsFromOptions, isZonemeshAttribute, targetFromOptions } from '../resolver/resolver-attributes.js';
import { ZONEMESH_POLICY, ZonemeshLoadBalancingConfig } from './zonemesh.config.js';
import { lbClock, lbRandom, type LbTimer } from '../lb-clock.js';
import { FailedInstanceCache } from '../zone/failed-instance.cache.js';
import { OutlierDetector } from '../outlier/outlier-detector.js';
import type { EjectionReason } from '../outlier/outlier-state.js';
import { hasLbCompleteHooks, hasLbLifecycles, hasLbStartHooks, notifyComplete, notifyEvent, notifyStart, notifyStartRequest, type LbRequest } from '../lifecycle/lb-lifecycle.js';
import type { AttemptInfo } from '../retry/call-attempt.js';
import { RetryBudget } from '../retry/retry-budget.js';
import { retryableCodes } from './zonemesh.config.js';
import { CombinedHealthView, registeredHealthView, watchHealthViewRegistration } from '../health/health-view.registry.js';
import { ActiveHealthChecker } from '../health/active-health-checker.js';
import type { EndpointBalancer } from '../balancer/endpoint-balancer.js';
import { buildSubsetPick } from '../supplier/subset-pick.builder.js';
import { QUEUED_PICK, ZonemeshPicker, failedPick, type PickerContext, type SubsetPick } from './zonemesh.picker.js';

const TRACER = 'zonemesh';

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
  private readonly outlier: OutlierDetector;
  private plans = new Map<string | undefined, SubsetPick>();
  private lastPlanKeys = new Map<string | undefined, string>();
  private readonly previousBalancers = new Map<string, EndpointBalancer>();
  private cacheTimer: LbTimer | null = null;
  private cacheTimerAt = 0;
  private readonly connectTimers = new Map<EndpointChild, LbTimer>();
  private healthView: EndpointHealthView | undefined;
  private ownCheckers: ActiveHealthChecker[] = [];
  private healthChecksKey = '[]';
  private unsubscribeHealth: (() => void) | null = null;
  private unwatchRegistration: (() => void) | null = null;
  private watchedCluster: string | undefined;
  private retries = 0;
  private budget: RetryBudget | undefined;
  private readonly sink: PickerContext['sink'];

  constructor(private readonly helper: experimental.ChannelControlHelper) {
    this.outlier = new OutlierDetector(this.config.settings.outlierDetection, this.clock, this.random, () => this.children.values(), {
      ejected: (child, reason) => this.onEjected(child, reason),
      unejected: (child, reason) => {
        notifyEvent({ type: 'unejected', cluster: this.clusterName(), endpoint: child.info, reason });
        this.recompute();
      },
    });
    // The sink's getters read live settings; getters cannot be arrow functions.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    this.sink = {
      get timed() {
        return hasLbCompleteHooks() || self.config.settings.lbPolicy === 'peak_ewma';
      },
      get hooked() {
        return hasLbLifecycles();
      },
      get startHooked() {
        return hasLbStartHooks();
      },
      now: () => this.clock.now(),
      onStart: (request) => notifyStart(request),
      attemptStarted: (info, child, request) => this.onAttemptStarted(info, child, request),
      requestEnded: (request, child, code, details, durationMs) => notifyComplete({ request, target: child.callTarget, status: { code, details }, durationMs }),
    };
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
      this.connectTimers.get(child)?.cancel();
      this.connectTimers.delete(child);
      this.cache.delete(key);
    }
    this.children = next;
    for (const checker of this.ownCheckers) checker.setEndpoints([...next.values()].map((c) => c.info));
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
    this.cacheTimer?.cancel();
    for (const timer of this.connectTimers.values()) timer.cancel();
    this.connectTimers.clear();
    this.stopHealth();
    this.unwatchRegistration?.();
    this.unwatchRegistration = null;
    if (this.tracked) untrackCluster(this);
    this.tracked = false;
  }

  getTypeName(): string {
    return ZONEMESH_POLICY;
  }

  snapshot(): ClusterSnapshot {
    const now = this.clock.now();
    const subsetKey = this.config.settings.subset?.metadataKey;
    const serving = new Set<EndpointChild>();
    const plans: PlanSnapshot[] = [];
    for (const pick of this.plans.values()) {
      for (const level of pick.levels) for (const e of level.endpoints) serving.add(e);
      plans.push(planSnapshot(pick));
    }
    const main = this.mainPlan();
    return {
      cluster: this.clusterName(),
      target: this.target,
      zone: this.config.zone,
      lbPolicy: this.config.lbPolicy,
      state: connectivityState[this.state],
      tier: main?.plan.tier ?? 'none',
      spillShare: main?.plan.spillShare ?? 0,
      panic: main?.plan.panic ?? false,
      plans,
      retries: this.retries,
      endpoints: [...this.children.values()].map((child) => {
        const o = child.outlier;
        const cachedUntil = this.cache.until(child.key, now);
        return {
          id: child.info.id,
          address: child.key,
          zone: child.info.zone,
          local: child.local,
          state: connectivityState[child.connectivity],
          health: child.health === undefined ? 'unknown' : child.health ? 'healthy' : 'unhealthy',
          outlier: {
            ejected: child.ejected,
            ejectedUntil: o.ejectedUntil === undefined ? undefined : new Date(o.ejectedUntil).toISOString(),
            reason: child.ejected ? o.reason : undefined,
            ejectionCount: o.ejectionCount,
            consecutiveErrors: o.consecutiveErrors,
            consecutiveLocalOriginFailures: o.consecutiveLocalOriginFailures,
            lastIntervalSuccesses: o.lastSuccesses,
            lastIntervalFailures: o.lastFailures,
          },
          failedInstanceUntil: cachedUntil === undefined ? undefined : new Date(cachedUntil).toISOString(),
          serving: serving.has(child),
          subset: subsetKey === undefined ? undefined : child.info.metadata[subsetKey],
          weight: child.weight,
          rttMs: Math.round(child.rttMs * 1000) / 1000,
          ...child.counters,
          metadata: child.info.metadata,
        };
      }),
    };
  }

  // --- CallObserver: the endpoint-level hooks every call goes through ---

  onCallStarted(_child: EndpointChild): void {}

  onCallEnded(child: EndpointChild, code: number, details: string): void {
    // Ejection happens here, on the failing response, so the very next pick avoids the host.
    this.outlier.onCallEnded(child, code, details);
  }

  /** Retries in flight and calls counted by the retry budget (tests, snapshots). */
  retryBudgetState(): { activeCalls: number; activeRetries: number; waitingCalls: number } | undefined {
    const b = this.budget;
    return b && { activeCalls: b.activeCalls, activeRetries: b.activeRetries, waitingCalls: b.waitingCalls };
  }

  private onAttemptStarted(info: AttemptInfo, child: EndpointChild, request: LbRequest | undefined): void {
    if (info.attempt > 1) {
      this.retries += 1;
      notifyEvent({ type: 'retry', cluster: info.cluster, attempt: info.attempt, endpoint: child.info });
    }
    if (request) notifyStartRequest(request, child.callTarget);
  }

  // --- state ---

  private applyConfig(config: ZonemeshLoadBalancingConfig): void {
    this.config = config;
    const settings = config.settings;
    this.cache.setTtl(settings.zoneFailover.failedInstanceTtlMs);
    const retry = settings.retryPolicy;
    if (!retry || retry.maxAttempts < 2) this.budget = undefined;
    else if (this.budget) this.budget.setPolicy(retry, new Set(retryableCodes(retry)));
    else this.budget = new RetryBudget(retry, new Set(retryableCodes(retry)));
    this.outlier.setConfig(settings.outlierDetection);
    const cluster = this.clusterName();
    if (this.watchedCluster !== cluster) {
      this.unwatchRegistration?.();
      this.watchedCluster = cluster;
      this.unwatchRegistration = watchHealthViewRegistration(cluster, () => this.attachHealth(true));
    }
    const checksKey = JSON.stringify(settings.healthChecksJson);
    if (checksKey !== this.healthChecksKey || !this.healthView) {
      this.healthChecksKey = checksKey;
      this.attachHealth(true);
    }
  }

  /** (Re)creates this channel's health checkers and subscribes to the combined view. */
  private attachHealth(recreate: boolean): void {
    if (this.destroyed) return;
    this.unsubscribeHealth?.();
    if (recreate) {
      for (const checker of this.ownCheckers) checker.stop();
      this.ownCheckers = this.config.settings.healthChecks.map(
        (config) => new ActiveHealthChecker({ cluster: this.clusterName(), config, clock: this.clock, random: this.random }),
      );
      for (const checker of this.ownCheckers) checker.setEndpoints([...this.children.values()].map((c) => c.info));
    }
    const external = registeredHealthView(this.clusterName());
    const views: EndpointHealthView[] = [...this.ownCheckers, ...(external ? [external] : [])];
    this.healthView = views.length === 0 ? undefined : views.length === 1 ? views[0] : new CombinedHealthView(views);
    this.unsubscribeHealth = this.healthView ? this.healthView.onChange((id: string) => this.onHealthChange(id)) : null;
    if (!this.updatesPaused && this.children.size > 0) this.recompute();
  }

  private stopHealth(): void {
    this.unsubscribeHealth?.();
    this.unsubscribeHealth = null;
    for (const checker of this.ownCheckers) checker.stop();
    this.ownCheckers = [];
    this.healthView = undefined;
  }

  private onHealthChange(endpointId: string): void {
    if (this.destroyed) return;
    for (const child of this.children.values()) {
      if (child.info.id !== endpointId) continue;
      if (this.healthView?.isHealthy(endpointId) === true) {
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
      this.connectTimers.get(child)?.cancel();
      this.connectTimers.set(
        child,
        this.clock.setTimer(() => {
          this.connectTimers.delete(child);
          if (child.connectivity === connectivityState.CONNECTING) {
            child.lastFailureAt = this.clock.now();
            this.outlier.onLocalOriginFailure(child);
            this.recompute();
          }
        }, this.config.settings.connectTimeoutMs),
      );
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
      child.health = this.healthView?.isHealthy(child.info.id);
      const timedOut = child.connectingSince !== undefined && now - child.connectingSince >= settings.connectTimeoutMs;
      if (child.connectivity === connectivityState.TRANSIENT_FAILURE || timedOut) connectFailed.add(child);
      const failing = connectFailed.has(child) || child.health === false || child.ejected;
      // Failing now, or just recovered: the TTL counts from the last failure seen either way.
      if (failing || child.failing) {
        const seen = this.lastSeenFailing(child, timedOut, now);
        if (this.cache.mark(child.key, now, seen) && failing) notifyEvent({ type: 'failed-instance-cached', cluster, endpoint: child.info });
      }
      child.failing = failing;
    }
    const isFailedInstance = (e: EndpointChild): boolean => connectFailed.has(e) || this.cache.has(e.key, now);

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
    this.announcePlans(cluster);

    const subsets = new Map<string, SubsetPick>();
    for (const [value, pick] of plans) if (value !== undefined) subsets.set(value, pick);
    const context: PickerContext = {
      cluster,
      sourceZone: this.config.zone,
      subset: settings.subset,
      budget: this.budget,
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
    this.scheduleFailback(now);
  }

  /**
   * When a failing endpoint was last seen failing: the TTL of the failed-instance
   * cache counts from there. Evidence, not state: a failed connection attempt,
   * a connect timeout still running, an ejection, a failed health check. An
   * endpoint that answers again (health checks succeeding below
   * healthy_threshold, a connection waiting out its backoff) no longer moves it,
   * so failback comes a TTL after the outage ended, not after the recovery checks.
   */
  private lastSeenFailing(child: EndpointChild, timedOut: boolean, now: number): number {
    if (timedOut) return now;
    let seen = child.lastFailureAt;
    const checked = this.healthView?.lastFailureAt?.(child.info.id);
    // An unhealthy verdict from a view that cannot say when its checks failed: the failure is current.
    if (checked === undefined && child.health === false) return now;
    if (checked !== undefined) seen = seen === undefined ? checked : Math.max(seen, checked);
    return seen ?? now;
  }

  /** What a subset without a serving endpoint answers: wait while connections are being made, else fail. */
  private emptyResult(members: readonly EndpointChild[], connectFailed: ReadonlySet<EndpointChild>, value: string | undefined): experimental.PickResult {
    if (members.some((c) => !connectFailed.has(c) && c.connectivity !== connectivityState.READY)) return QUEUED_PICK;
    const what = value === undefined ? this.clusterName() : `${this.clusterName()} (${this.config.settings.subset?.metadataKey}=${value})`;
    const details = `zonemesh: no endpoint of ${what} is reachable. Last error: ${this.lastError}`;
    return failedPick(details);
  }

  private announcePlans(cluster: string): void {
    for (const [value, pick] of this.plans) {
      const snap = planSnapshot(pick);
      const key = `${snap.tier}|${snap.spillShare.toFixed(3)}|${snap.panic}`;
      if (this.lastPlanKeys.get(value) === key) continue;
      this.lastPlanKeys.set(value, key);
      notifyEvent({ type: 'zone-plan', cluster, subset: value, tier: snap.tier, spillShare: snap.spillShare, panic: snap.panic, zoneLoads: snap.zoneLoads });
    }
  }

  /** Rebuilds when the next failed-instance entry expires: failback happens on time, not on the next unrelated event. */
  private scheduleFailback(now: number): void {
    const next = this.cache.nextExpiry(now);
    if (next === undefined) return;
    if (this.cacheTimer && this.cacheTimerAt <= next) return;
    this.cacheTimer?.cancel();
    this.cacheTimerAt = next;
    this.cacheTimer = this.clock.setTimer(() => {
      this.cacheTimer = null;
      this.recompute();
    }, next - now);
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

function planSnapshot(pick: SubsetPick): PlanSnapshot {
  const zoneLoads: Record<string, number> = {};
  for (const level of pick.plan.levels) {
    const name = level.zone ?? (pick.plan.panic ? '*' : '-');
    zoneLoads[name] = Math.round(level.load * 1000) / 1000;
  }
  return {
    subset: pick.value,
    tier: pick.plan.tier,
    spillShare: Math.round(pick.plan.spillShare * 1000) / 1000,
    panic: pick.plan.panic,
    healthyShare: Math.round(pick.plan.healthyShare * 1000) / 1000,
    zoneLoads,
  };
}

/** `127.0.0.1:5001` (or a comma-joined list for a multi-address endpoint): how children are keyed and shown. */
function endpointKey(endpoint: experimental.Endpoint): string {
  return endpoint.addresses.map((a) => experimental.subchannelAddressToString(a)).join(',');
}

function addressKey(info: ResolvedEndpoint): string {
  return experimental.subchannelAddressToString({ host: info.host, port: info.port });
}

function defaultInfo(key: string, endpoint: experimental.Endpoint): ResolvedEndpoint {
  const first = endpoint.addresses[0];
  const tcp = first && 'host' in first ? first : undefined;
  return { id: key, host: tcp?.host ?? key, port: tcp?.port ?? 0, zone: undefined, metadata: {} };
}

function withoutZonemeshAttributes(options: ChannelOptions): ChannelOptions {
  const result: ChannelOptions = {};
  for (const [key, value] of Object.entries(options)) if (!isZonemeshAttribute(key)) result[key] = value;
  return result;
}

export function setupZonemeshBalancer(): void {
  experimental.registerLoadBalancerType(ZONEMESH_POLICY, ZonemeshLoadBalancer, ZonemeshLoadBalancingConfig);
}
