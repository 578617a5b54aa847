import type { ResolvedEndpoint } from '../endpoint.js';
import type { EndpointHealthView } from './endpoint-health.view.js';
import { systemHealthCheckClock, type HealthCheckClock } from './health-check.clock.js';
import type { HealthCheckConfig } from './health-check.config.js';
import { HealthCheckSession, type EndpointHealthCheckSnapshot, type SessionHost } from './health-check.session.js';
import { HealthEventLog, type HealthCheckEvent, type HealthCheckEventListener } from './health-event-log.js';
import { createHealthProbe } from './health-probe.factory.js';
import { healthCheckTarget, type HealthCheckOutcome, type HealthProbeFactory } from './health-probe.js';
import type { HealthStep } from './host-health.state.js';

export interface ActiveHealthCheckerOptions {
  /** Cluster name for the event log (`cluster_name`). */
  readonly cluster: string;
  readonly config: HealthCheckConfig;
  /** Default: the real clock with unref()ed timers. */
  readonly clock?: HealthCheckClock;
  /** Uniform in [0, 1) for jitter; default Math.random. */
  readonly random?: () => number;
  /** Receives every event-log event (whether or not `event_log_path` is set). */
  readonly onEvent?: HealthCheckEventListener;
  /**
   * Check at `no_traffic_interval` until `noteTraffic()` is first called, as
   * Envoy does until a cluster's first connection. Default false: the caller
   * has not wired traffic, so always use the regular intervals.
   */
  readonly awaitTraffic?: boolean;
  /** Default: gRPC or HTTP per the config; tests inject scripted probes. */
  readonly probeFactory?: HealthProbeFactory;
}

type ChangeListener = (endpointId: string, healthy: boolean) => void;

/**
 * Envoy-style active health checking of a cluster's endpoints (gRPC
 * grpc.health.v1 or HTTP). An endpoint is `undefined` (unknown) until its
 * first check answers, then healthy or unhealthy per the thresholds in
 * HostHealth. Listeners hear every change to a known state; an endpoint
 * removed by `setEndpoints` simply stops being reported (no event).
 */
export class ActiveHealthChecker implements EndpointHealthView {
  readonly cluster: string;
  readonly config: HealthCheckConfig;
  private readonly sessions = new Map<string, HealthCheckSession>();
  private readonly listeners = new Set<ChangeListener>();
  private readonly log: HealthEventLog;
  private readonly host: SessionHost;
  private readonly probeFactory: HealthProbeFactory;
  private trafficSeen: boolean;
  private stopped = false;

  constructor(options: ActiveHealthCheckerOptions) {
    this.cluster = options.cluster;
    this.config = options.config;
    this.probeFactory = options.probeFactory ?? createHealthProbe;
    this.trafficSeen = !options.awaitTraffic;
    this.log = new HealthEventLog(options.config.eventLogPath, options.onEvent);
    this.host = {
      config: options.config,
      clock: options.clock ?? systemHealthCheckClock,
      random: options.random ?? Math.random,
      hasTraffic: () => this.trafficSeen,
      onResult: (session, outcome, step) => this.onResult(session, outcome, step),
    };
  }

  /** Starts checking endpoints not seen before, stops checking the ones gone; kept ones keep their state. */
  setEndpoints(endpoints: readonly ResolvedEndpoint[]): void {
    if (this.stopped) return;
    const wanted = new Map(endpoints.map((endpoint) => [endpoint.id, endpoint]));
    for (const [id, session] of this.sessions) {
      const next = wanted.get(id);
      const target = next && healthCheckTarget(next, this.config);
      if (!next || !target || target.host !== session.target.host || target.port !== session.target.port) {
        // Gone, or moved to another address: what we knew is about another host.
        session.stop();
        this.sessions.delete(id);
      } else {
        session.endpoint = next;
      }
    }
    for (const endpoint of wanted.values()) {
      if (this.sessions.has(endpoint.id)) continue;
      const target = healthCheckTarget(endpoint, this.config);
      const session = new HealthCheckSession(endpoint, target, this.probeFactory(endpoint, target, this.config), this.host);
      this.sessions.set(endpoint.id, session);
      session.start();
    }
  }

  isHealthy(endpointId: string): boolean | undefined {
    const state = this.sessions.get(endpointId)?.health.state;
    return state === undefined || state === 'unknown' ? undefined : state === 'healthy';
  }

  /** EWMA round trip of the endpoint's passing checks (ms), undefined until known. */
  latencyMs(endpointId: string): number | undefined {
    return this.sessions.get(endpointId)?.latencyMs;
  }

  /** Clock time of the endpoint's last failed check (the failed-instance TTL counts from there). */
  lastFailureAt(endpointId: string): number | undefined {
    return this.sessions.get(endpointId)?.snapshot().lastFailureAt;
  }

  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The cluster carried traffic: leave `no_traffic_interval` (only matters with `awaitTraffic`). */
  noteTraffic(): void {
    if (this.trafficSeen) return;
    this.trafficSeen = true;
    for (const session of this.sessions.values()) session.trafficStarted();
  }

  /** Every checked endpoint, in the order they were added. */
  snapshot(): EndpointHealthCheckSnapshot[] {
    return [...this.sessions.values()].map((session) => session.snapshot());
  }

  snapshotOf(endpointId: string): EndpointHealthCheckSnapshot | undefined {
    return this.sessions.get(endpointId)?.snapshot();
  }

  /** Stops every check, closes connections and the event log. Final. */
  stop(): void {
    this.stopped = true;
    for (const session of this.sessions.values()) session.stop();
    this.sessions.clear();
    this.listeners.clear();
    this.log.close();
  }

  private onResult(session: HealthCheckSession, outcome: HealthCheckOutcome, step: HealthStep): void {
    const { endpoint } = session;
    const base = {
      health_checker_type: session.probeType,
      host: { socket_address: { protocol: 'TCP' as const, address: endpoint.host, port_value: endpoint.port } },
      cluster_name: this.cluster,
      timestamp: new Date(this.host.clock.now()).toISOString(),
      endpoint_id: endpoint.id,
      ...(endpoint.zone === undefined ? {} : { zone: endpoint.zone }),
    };
    const events: HealthCheckEvent[] = [];
    if (outcome.healthy) {
      if (step.transition === 'changed') events.push({ ...base, add_healthy_event: { first_check: step.firstCheck } });
    } else {
      // Envoy ejects only a host it had counted healthy; a host failing its first check was never in.
      if (step.transition === 'changed' && !step.firstCheck) {
        events.push({ ...base, eject_unhealthy_event: { failure_type: outcome.failureType, reason: outcome.reason } });
      }
      if (step.firstCheck || this.config.alwaysLogHealthCheckFailures) {
        events.push({
          ...base,
          health_check_failure_event: { failure_type: outcome.failureType, first_check: step.firstCheck, reason: outcome.reason },
        });
      }
    }
    for (const event of events) this.log.write(event);
    if (step.transition === 'changed') this.notify(endpoint.id, outcome.healthy);
  }

  private notify(endpointId: string, healthy: boolean): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(endpointId, healthy);
      } catch (error) {
        process.emitWarning(`health change listener failed: ${(error as Error).message}`);
      }
    }
  }
}
