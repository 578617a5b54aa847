import { Metadata, connectivityState, experimental, type ChannelOptions } from '@grpc/grpc-js';
import type { ResolvedEndpoint } from '../endpoint.js';
import type { LbCallTarget } from '../lifecycle/lb-lifecycle.js';
import { newOutlierState, type OutlierHostState } from '../outlier/outlier-state.js';

type ConnectivityState = connectivityState;

/** Per-endpoint call counters, read by `clusterSnapshots()`. */
export interface EndpointCounters {
  picks: number;
  inFlight: number;
  succeeded: number;
  failed: number;
}

/** How an endpoint's calls report back to its balancer. */
export interface CallObserver {
  onCallStarted(child: EndpointChild): void;
  onCallEnded(child: EndpointChild, code: number, details: string): void;
}

/** Peak-EWMA round-trip estimate, Linkerd's default RTT before the first response. */
const DEFAULT_RTT_MS = 30;
/** Linkerd's decay: an observation's weight halves in ~7 s. */
const EWMA_DECAY_MS = 10_000;
/** Asks a READY leaf's picker for its subchannel once; pick_first's picker ignores the arguments. */
const PROBE_PICK: experimental.PickArgs = { metadata: new Metadata(), extraPickInfo: {} };

/**
 * One endpoint of a zonemesh balancer: a grpc-js leaf balancer that keeps a
 * connection to it, what the resolver and the health checks know about it,
 * its outlier state and its call counters. While READY it keeps one pick
 * result with the endpoint's shared call hooks, so a plain pick allocates
 * nothing.
 */
export class EndpointChild {
  readonly leaf: experimental.LeafLoadBalancer;
  readonly counters: EndpointCounters = { picks: 0, inFlight: 0, succeeded: 0, failed: 0 };
  readonly outlier: OutlierHostState = newOutlierState();
  /** The leaf's latest picker (a subchannel pick once READY). */
  leafPicker: experimental.Picker;
  /** While READY: the connected subchannel and the shared result for plain picks. */
  readySubchannel: experimental.SubchannelInterface | null = null;
  readyPick: experimental.PickResult | null = null;
  /** Clock time of the last failure seen (failed connection attempt, connect timeout, ejection). */
  lastFailureAt: number | undefined = undefined;
  /** From the EndpointHealthView at the last rebuild; undefined = unknown (treated as healthy). */
  health: boolean | undefined = undefined;
  /** Was failing (TF, connect timeout, unhealthy or ejected) at the last rebuild. */
  failing = false;
  /** When the current CONNECTING attempt began (connect_timeout), else undefined. */
  connectingSince: number | undefined = undefined;
  /** Peak-EWMA cost state. */
  rttMs = DEFAULT_RTT_MS;
  rttAt = 0;
  weight = 1;
  private state: ConnectivityState = connectivityState.IDLE;
  private target: LbCallTarget;
  /** The leaf's latest subchannel per address, to reset its reconnect backoff. */
  private readonly subchannels = new Map<string, experimental.SubchannelInterface>();

  constructor(
    readonly key: string,
    endpoint: experimental.Endpoint,
    info: ResolvedEndpoint,
    cluster: string,
    callerZone: string | undefined,
    helper: experimental.ChannelControlHelper,
    options: ChannelOptions,
    resolutionNote: string,
    private readonly observer: CallObserver,
    onStateChange: (child: EndpointChild, previous: ConnectivityState, errorMessage: string | null) => void,
  ) {
    this.target = makeTarget(cluster, info, callerZone);
    this.weight = weightOf(info);
    this.leafPicker = new experimental.QueuePicker({ exitIdle: () => this.leaf.exitIdle() } as experimental.LoadBalancer);
    const childHelper = experimental.createChildChannelControlHelper(helper, {
      createSubchannel: (address, subchannelOptions) => {
        const subchannel = helper.createSubchannel(address, subchannelOptions);
        this.subchannels.set(experimental.subchannelAddressToString(address), subchannel);
        return subchannel;
      },
      updateState: (state, picker, errorMessage) => {
        const previous = this.state;
        this.state = state;
        this.leafPicker = picker;
        this.cacheReadyPick(state, picker);
        onStateChange(this, previous, errorMessage);
      },
    });
    this.leaf = new experimental.LeafLoadBalancer(endpoint, childHelper, options, resolutionNote);
  }

  get info(): ResolvedEndpoint {
    return this.target.endpoint;
  }

  get zone(): string | undefined {
    return this.target.endpoint.zone;
  }

  get local(): boolean {
    return this.target.local;
  }

  get connectivity(): ConnectivityState {
    return this.state;
  }

  get ready(): boolean {
    return this.state === connectivityState.READY;
  }

  get callTarget(): LbCallTarget {
    return this.target;
  }

  get ejected(): boolean {
    return this.outlier.ejectedUntil !== undefined;
  }

  /** A re-resolution may bring new metadata (zone, id, weight) for the same address. */
  updateInfo(info: ResolvedEndpoint, cluster: string, callerZone: string | undefined): boolean {
    const current = this.target;
    if (current.cluster === cluster && sameInfo(current.endpoint, info) && current.local === isLocal(info, callerZone)) return false;
    this.target = makeTarget(cluster, info, callerZone);
    this.weight = weightOf(info);
    return true;
  }

  /**
   * Peak-EWMA cost of one more call: the RTT estimate, decayed toward zero
   * while no response arrives (as tower's PeakEwma does, so a slow endpoint
   * gets probed again), times the calls it would queue behind.
   */
  cost(now: number): number {
    const elapsed = now - this.rttAt;
    const rtt = elapsed > 0 && this.rttAt > 0 ? this.rttMs * Math.exp(-elapsed / EWMA_DECAY_MS) : this.rttMs;
    return rtt * (this.counters.inFlight + 1);
  }

  /** Folds one observed round trip into the peak-EWMA estimate: peaks are taken at once, decay is gradual. */
  observeRtt(rttMs: number, now: number): void {
    const current = this.rttAt > 0 ? this.rttMs * Math.exp(-Math.max(0, now - this.rttAt) / EWMA_DECAY_MS) : this.rttMs;
    if (rttMs > current) {
      this.rttMs = rttMs;
    } else {
      const w = Math.exp(-Math.max(0, now - this.rttAt) / EWMA_DECAY_MS);
      this.rttMs = current * w + rttMs * (1 - w);
    }
    this.rttAt = now;
  }

  /**
   * Reconnects now instead of at the end of the reconnect backoff: called
   * when something else (a health check) sees the endpoint answering again.
   */
  resetBackoff(): void {
    if (this.state === connectivityState.READY) return;
    for (const subchannel of this.subchannels.values()) subchannel.getRealSubchannel().resetBackoff();
  }

  /** A call attempt started on this endpoint (every attempt, shared or tracked). */
  attemptStarted(): void {
    this.counters.inFlight += 1;
    this.observer.onCallStarted(this);
  }

  /** A call attempt on this endpoint ended. */
  attemptEnded(code: number, details: string): void {
    this.counters.inFlight -= 1;
    if (code === 0) this.counters.succeeded += 1;
    else this.counters.failed += 1;
    this.observer.onCallEnded(this, code, details);
  }

  private cacheReadyPick(state: ConnectivityState, picker: experimental.Picker): void {
    this.readySubchannel = null;
    this.readyPick = null;
    if (state !== connectivityState.READY) return;
    const probe = picker.pick(PROBE_PICK);
    if (probe.pickResultType !== experimental.PickResultType.COMPLETE || !probe.subchannel || probe.onCallStarted || probe.onCallEnded) return;
    this.readySubchannel = probe.subchannel;
    this.readyPick = {
      pickResultType: experimental.PickResultType.COMPLETE,
      subchannel: probe.subchannel,
      status: null,
      onCallStarted: () => this.attemptStarted(),
      onCallEnded: (code, details) => this.attemptEnded(code, details),
    };
  }
}

function weightOf(info: ResolvedEndpoint): number {
  const raw = info.metadata.weight;
  const weight = raw === undefined ? 1 : Number(raw);
  // A bad weight must not take an endpoint out of rotation: fall back to 1.
  return Number.isFinite(weight) && weight > 0 ? weight : 1;
}

function isLocal(info: ResolvedEndpoint, callerZone: string | undefined): boolean {
  return callerZone !== undefined && info.zone === callerZone;
}

function makeTarget(cluster: string, endpoint: ResolvedEndpoint, callerZone: string | undefined): LbCallTarget {
  return { cluster, endpoint, local: isLocal(endpoint, callerZone) };
}

function sameInfo(a: ResolvedEndpoint, b: ResolvedEndpoint): boolean {
  if (a === b) return true;
  if (a.id !== b.id || a.host !== b.host || a.port !== b.port || a.zone !== b.zone) return false;
  const keysA = Object.keys(a.metadata);
  return keysA.length === Object.keys(b.metadata).length && keysA.every((k) => a.metadata[k] === b.metadata[k]);
}
