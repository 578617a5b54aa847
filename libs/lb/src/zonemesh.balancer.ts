import { connectivityState, experimental, logVerbosity, type ChannelOptions } from '@grpc/grpc-js';
import type { ResolvedEndpoint } from './endpoint.js';
import { EndpointChild } from './endpoint-child.js';
import { EndpointPicker } from './endpoint.picker.js';
import { trackCluster, untrackCluster, type ClusterSnapshot, type ClusterSnapshotSource } from './cluster-registry.js';
import { endpointsFromOptions, isZonemeshAttribute, targetFromOptions } from './resolver-attributes.js';
import { preferLocalZone, type ZoneTier } from './zone-preference.js';
import { ZONEMESH_POLICY, ZonemeshLoadBalancingConfig } from './zonemesh.config.js';

const TRACER = 'zonemesh';

/**
 * The `zonemesh` grpc-js LB policy: one leaf balancer (connection) per
 * endpoint, round robin over the READY endpoints of the caller's zone, and
 * over the READY endpoints of the other zones only while the caller's zone
 * has none. Every endpoint is kept connected so failover needs no handshake.
 * The channel state follows round_robin: READY if any endpoint is READY,
 * else CONNECTING if any connects, else TRANSIENT_FAILURE, else IDLE.
 */
export class ZonemeshLoadBalancer implements experimental.LoadBalancer, ClusterSnapshotSource {
  private children = new Map<string, EndpointChild>();
  private config = new ZonemeshLoadBalancingConfig();
  private target: string | undefined;
  private state: connectivityState = connectivityState.IDLE;
  private tier: ZoneTier = 'none';
  private readyPicker: EndpointPicker | null = null;
  private updatesPaused = false;
  private lastError: string | null = null;
  private tracked = false;

  constructor(private readonly helper: experimental.ChannelControlHelper) {}

  updateAddressList(
    maybeEndpoints: experimental.StatusOr<experimental.Endpoint[]>,
    lbConfig: experimental.TypedLoadBalancingConfig,
    options: ChannelOptions,
    resolutionNote: string,
  ): boolean {
    if (!(lbConfig instanceof ZonemeshLoadBalancingConfig)) return false;
    this.config = lbConfig;
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
        const child = new EndpointChild(key, endpoint, info, cluster, this.config.zone, this.helper, leafOptions, resolutionNote, (c, previous, error) =>
          this.onChildState(c, previous, error),
        );
        next.set(key, child);
        created.push(child);
      }
    }
    for (const [key, child] of this.children) {
      if (!next.has(key)) child.leaf.destroy();
    }
    this.children = next;
    for (const child of created) child.leaf.startConnecting();
    this.updatesPaused = false;

    if (next.size === 0) {
      const message = `zonemesh: no endpoints for ${cluster}${resolutionNote ? ` (${resolutionNote})` : ''}`;
      this.report(connectivityState.TRANSIENT_FAILURE, new experimental.UnavailablePicker({ details: message }), message);
      return true;
    }
    this.recompute(true);
    return true;
  }

  exitIdle(): void {
    for (const child of this.children.values()) {
      if (child.connectivity === connectivityState.IDLE) child.leaf.exitIdle();
    }
  }

  resetBackoff(): void {
    // Leaf balancers own their backoff and expose no reset.
  }

  destroy(): void {
    for (const child of this.children.values()) child.leaf.destroy();
    this.children.clear();
    this.readyPicker = null;
    if (this.tracked) untrackCluster(this);
    this.tracked = false;
  }

  getTypeName(): string {
    return ZONEMESH_POLICY;
  }

  snapshot(): ClusterSnapshot {
    return {
      cluster: this.clusterName(),
      target: this.target,
      zone: this.config.zone,
      lbPolicy: this.config.lbPolicy,
      state: connectivityState[this.state],
      tier: this.tier,
      endpoints: [...this.children.values()].map((child) => ({
        id: child.info.id,
        address: child.key,
        zone: child.info.zone,
        local: child.local,
        state: connectivityState[child.connectivity],
        ...child.counters,
        metadata: child.info.metadata,
      })),
    };
  }

  private clusterName(): string {
    return this.config.cluster ?? this.target ?? '(unnamed)';
  }

  private onChildState(child: EndpointChild, previous: connectivityState, errorMessage: string | null): void {
    if (errorMessage) this.lastError = errorMessage;
    // A dropped connection may mean the instance went away: ask discovery for
    // fresher data (the source decides whether that costs anything).
    if (previous === connectivityState.READY && child.connectivity !== connectivityState.READY) {
      this.helper.requestReresolution();
    }
    this.recompute(false);
  }

  private recompute(force: boolean): void {
    if (this.updatesPaused) return;
    const { tier, ready } = preferLocalZone(this.children.values());
    this.tier = tier;
    if (ready.length > 0) {
      const entries = ready.map((child) => ({
        key: child.key,
        picker: child.leaf.getPicker(),
        completePick: (result: experimental.PickResult) => child.completePick(result),
      }));
      const previous = this.readyPicker;
      if (!force && previous && this.state === connectivityState.READY && previous.hasSameEntries(entries, this.config.lbPolicy)) {
        // Same endpoints, same connections: keep the picker and its cursor.
      } else {
        const start = previous ? previous.successorStart(entries) : (Math.random() * entries.length) | 0;
        this.report(connectivityState.READY, new EndpointPicker(entries, start, this.config.lbPolicy), null);
      }
    } else if (this.countIn(connectivityState.CONNECTING) > 0) {
      this.report(connectivityState.CONNECTING, new experimental.QueuePicker(this), null);
    } else if (this.countIn(connectivityState.TRANSIENT_FAILURE) > 0) {
      const message = `zonemesh: no endpoint of ${this.clusterName()} is reachable. Last error: ${this.lastError}`;
      this.report(connectivityState.TRANSIENT_FAILURE, new experimental.UnavailablePicker({ details: message }), message);
    } else {
      this.report(connectivityState.IDLE, new experimental.QueuePicker(this), null);
    }
    // Keep every endpoint connected, remote zones included, so failover is instant.
    for (const child of this.children.values()) {
      if (child.connectivity === connectivityState.IDLE) child.leaf.exitIdle();
    }
  }

  private countIn(state: connectivityState): number {
    let count = 0;
    for (const child of this.children.values()) if (child.connectivity === state) count += 1;
    return count;
  }

  private report(state: connectivityState, picker: experimental.Picker, errorMessage: string | null): void {
    if (state !== this.state) {
      experimental.trace(logVerbosity.DEBUG, TRACER, `${this.clusterName()} ${connectivityState[this.state]} -> ${connectivityState[state]} (${this.tier})`);
    }
    this.state = state;
    // The last READY picker survives other states so the cursor does too.
    if (picker instanceof EndpointPicker) this.readyPicker = picker;
    this.helper.updateState(state, picker, errorMessage);
  }
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
