import { connectivityState, experimental, type ChannelOptions } from '@grpc/grpc-js';
import type { ResolvedEndpoint } from './endpoint.js';
import { notifyComplete, notifyStartRequest, type LbCallTarget } from './lb-lifecycle.js';

type ConnectivityState = connectivityState;

/** Per-endpoint call counters, read by `clusterSnapshots()`. */
export interface EndpointCounters {
  picks: number;
  inFlight: number;
  succeeded: number;
  failed: number;
}

/**
 * One endpoint of a zonemesh balancer: a grpc-js leaf balancer that keeps a
 * connection to it, what the resolver knows about it, and its call counters.
 * The call hooks are created once per endpoint, so a pick allocates only its
 * result object.
 */
export class EndpointChild {
  readonly leaf: experimental.LeafLoadBalancer;
  readonly counters: EndpointCounters = { picks: 0, inFlight: 0, succeeded: 0, failed: 0 };
  private state: ConnectivityState = connectivityState.IDLE;
  private target: LbCallTarget;

  constructor(
    readonly key: string,
    endpoint: experimental.Endpoint,
    info: ResolvedEndpoint,
    cluster: string,
    callerZone: string | undefined,
    helper: experimental.ChannelControlHelper,
    options: ChannelOptions,
    resolutionNote: string,
    onStateChange: (child: EndpointChild, previous: ConnectivityState, errorMessage: string | null) => void,
  ) {
    this.target = makeTarget(cluster, info, callerZone);
    const childHelper = experimental.createChildChannelControlHelper(helper, {
      updateState: (state, _picker, errorMessage) => {
        const previous = this.state;
        this.state = state;
        onStateChange(this, previous, errorMessage);
      },
    });
    this.leaf = new experimental.LeafLoadBalancer(endpoint, childHelper, options, resolutionNote);
  }

  get info(): ResolvedEndpoint {
    return this.target.endpoint;
  }

  get local(): boolean {
    return this.target.local;
  }

  get connectivity(): ConnectivityState {
    return this.state;
  }

  get callTarget(): LbCallTarget {
    return this.target;
  }

  /** A re-resolution may bring new metadata (zone, id) for the same address. */
  updateInfo(info: ResolvedEndpoint, cluster: string, callerZone: string | undefined): boolean {
    const current = this.target;
    if (current.cluster === cluster && sameInfo(current.endpoint, info) && current.local === isLocal(info, callerZone)) return false;
    this.target = makeTarget(cluster, info, callerZone);
    return true;
  }

  /** Wraps the leaf's COMPLETE pick so the call reports back to this endpoint. */
  completePick(result: experimental.PickResult): experimental.PickResult {
    this.counters.picks += 1;
    const innerStarted = result.onCallStarted;
    const innerEnded = result.onCallEnded;
    return {
      pickResultType: result.pickResultType,
      subchannel: result.subchannel,
      status: null,
      onCallStarted: innerStarted ? () => (innerStarted(), this.onCallStarted()) : this.onCallStarted,
      onCallEnded: innerEnded ? (code, details, md) => (innerEnded(code, details, md), this.onCallEnded(code, details)) : this.onCallEnded,
    };
  }

  private readonly onCallStarted = (): void => {
    this.counters.inFlight += 1;
    notifyStartRequest(this.target);
  };

  private readonly onCallEnded = (code: number, details: string): void => {
    this.counters.inFlight -= 1;
    if (code === 0) this.counters.succeeded += 1;
    else this.counters.failed += 1;
    notifyComplete(this.target, { code, details });
  };
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
