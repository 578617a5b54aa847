import type { ResolvedEndpoint } from '../endpoint.js';
import type { LbClock } from '../lb-clock.js';
import type { HealthCheckConfig } from './health-check.config.js';
import { ActiveHealthChecker } from './active-health-checker.js';
import type { EndpointHealthView } from './endpoint-health.view.js';
import { CombinedHealthView, registeredHealthView, watchHealthViewRegistration } from './health-view.registry.js';

/** What ChannelHealth needs from its balancer. */
export interface ChannelHealthOwner {
  /** The cluster's name now: checkers report under it, a registered view is found by it. */
  clusterName(): string;
  /** The endpoints to check now. */
  endpoints(): ResolvedEndpoint[];
  /** An endpoint's health changed (by id). */
  healthChanged(endpointId: string): void;
  /** The view was replaced (checks reconfigured, a view registered or removed): rebuild the plan. */
  viewReplaced(): void;
}

/**
 * The active health of one channel's endpoints: the checkers its cluster's
 * `health_checks` configure, combined with a view registered for the cluster
 * from outside (registerEndpointHealthView). Checkers are recreated when the
 * checks change or a registered view comes or goes; without either, `view`
 * is undefined and every endpoint counts as healthy.
 */
export class ChannelHealth {
  /** The combined view the supplier chain reads; undefined without checks. */
  view: EndpointHealthView | undefined;
  private checkers: ActiveHealthChecker[] = [];
  private checksKey = '[]';
  private unsubscribe: (() => void) | null = null;
  private unwatchRegistration: (() => void) | null = null;
  private watchedCluster: string | undefined;
  private checks: readonly HealthCheckConfig[] = [];
  private trafficSeen = false;
  private stopped = false;

  constructor(
    private readonly owner: ChannelHealthOwner,
    private readonly clock: LbClock,
    private readonly random: () => number,
  ) {}

  /** Applies a (new) config; `checksJson` tells whether the checks changed. */
  configure(checks: readonly HealthCheckConfig[], checksJson: readonly unknown[]): void {
    const cluster = this.owner.clusterName();
    this.checks = checks;
    if (this.watchedCluster !== cluster) {
      this.unwatchRegistration?.();
      this.watchedCluster = cluster;
      this.unwatchRegistration = watchHealthViewRegistration(cluster, () => this.attach());
    }
    const key = JSON.stringify(checksJson);
    if (key !== this.checksKey || !this.view) {
      this.checksKey = key;
      this.attach();
    }
  }

  setEndpoints(endpoints: ResolvedEndpoint[]): void {
    for (const checker of this.checkers) checker.setEndpoints(endpoints);
  }

  /**
   * The channel carried a call. Until the first one, checks run at
   * `no_traffic_interval` (Envoy: a cluster that has never had traffic);
   * from it on at the regular intervals, the parked hosts at once.
   */
  noteTraffic(): void {
    if (this.trafficSeen) return;
    this.trafficSeen = true;
    for (const checker of this.checkers) checker.noteTraffic();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    for (const checker of this.checkers) checker.stop();
    this.checkers = [];
    this.view = undefined;
    this.unwatchRegistration?.();
    this.unwatchRegistration = null;
  }

  /** (Re)creates the checkers and subscribes to the combined view. */
  private attach(): void {
    if (this.stopped) return;
    this.unsubscribe?.();
    for (const checker of this.checkers) checker.stop();
    this.checkers = this.checks.map(
      (config) =>
        new ActiveHealthChecker({ cluster: this.owner.clusterName(), config, clock: this.clock, random: this.random, awaitTraffic: !this.trafficSeen }),
    );
    this.setEndpoints(this.owner.endpoints());
    const external = registeredHealthView(this.owner.clusterName());
    const views: EndpointHealthView[] = [...this.checkers, ...(external ? [external] : [])];
    this.view = views.length === 0 ? undefined : views.length === 1 ? views[0] : new CombinedHealthView(views);
    this.unsubscribe = this.view ? this.view.onChange((id: string) => this.owner.healthChanged(id)) : null;
    this.owner.viewReplaced();
  }
}
