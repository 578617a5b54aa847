import { Metadata, experimental, status, type ChannelOptions } from '@grpc/grpc-js';
import { endpointAddress, type ResolvedEndpoint } from '../endpoint.js';
import {
  endpointSourceFactory,
  type EndpointSource,
  type EndpointSourceTarget,
  type EndpointUpdate,
} from './endpoint-source.js';
import { capEndpoints } from './endpoint-cap.js';
import { LIVE_CONFIG_KEY, liveServiceConfig, watchServiceConfig } from './live-service-config.js';
import { ENDPOINTS_ATTRIBUTE, TARGET_ATTRIBUTE } from './resolver-attributes.js';
import { STATIC_SCHEME } from './static.source.js';

const TRACER = 'zonemesh_resolver';

/** `eureka:///CATALOG?x=1` as a source sees it: path `CATALOG`, query `x=1`. */
export function sourceTargetOf(target: experimental.GrpcUri): EndpointSourceTarget {
  const questionMark = target.path.indexOf('?');
  const rawPath = questionMark < 0 ? target.path : target.path.slice(0, questionMark);
  return {
    path: rawPath.replace(/^\/+/, ''),
    query: new URLSearchParams(questionMark < 0 ? '' : target.path.slice(questionMark + 1)),
  };
}

/**
 * The grpc-js resolver for every scheme of the endpoint-source registry. It
 * starts the scheme's EndpointSource on the channel's first resolution
 * request, turns each pushed list into grpc-js endpoints and passes the
 * ResolvedEndpoint details to the LB policy as resolver attributes.
 * Errors before the first list fail calls with UNAVAILABLE; later errors are
 * ignored so the channel keeps balancing over the last list it knew.
 */
export class ZonemeshResolver implements experimental.Resolver {
  private readonly sourceTarget: EndpointSourceTarget;
  private readonly targetText: string;
  private source: EndpointSource | null = null;
  private started = false;
  private hasList = false;
  /** Bumped by destroy() so late pushes from a stopped source are dropped. */
  private generation = 0;
  /** The channel follows published service configs under this key (LIVE_CONFIG_KEY). */
  private readonly liveKey: string | undefined;
  private unwatch: (() => void) | null = null;
  private lastEndpoints: readonly ResolvedEndpoint[] | undefined;

  constructor(
    private readonly target: experimental.GrpcUri,
    private readonly listener: experimental.ResolverListener,
    channelOptions: ChannelOptions,
  ) {
    this.sourceTarget = sourceTargetOf(target);
    this.targetText = experimental.uriToString(target);
    const key = channelOptions[LIVE_CONFIG_KEY];
    this.liveKey = typeof key === 'string' ? key : undefined;
    // Created now so a malformed target fails the channel's construction.
    this.source = this.createSource();
  }

  static getDefaultAuthority(target: experimental.GrpcUri): string {
    const { path } = sourceTargetOf(target);
    return target.scheme === STATIC_SCHEME ? path.split(',')[0] : path;
  }

  updateResolution(): void {
    if (this.started && this.source) {
      this.source.refresh();
      return;
    }
    const generation = this.generation;
    try {
      this.source ??= this.createSource();
    } catch (error) {
      process.nextTick(() => generation === this.generation && this.deliver({ error: error as Error }));
      return;
    }
    this.started = true;
    if (this.liveKey !== undefined && !this.unwatch) {
      // A reload: the same endpoints again, with the new service config.
      this.unwatch = watchServiceConfig(this.liveKey, () => {
        const endpoints = this.lastEndpoints;
        if (endpoints) process.nextTick(() => generation === this.generation && this.deliver({ endpoints }));
      });
    }
    this.source.start((update) => {
      // The resolver contract forbids calling the listener synchronously
      // from updateResolution(); static sources push inside start().
      process.nextTick(() => generation === this.generation && this.deliver(update));
    });
  }

  destroy(): void {
    this.generation += 1;
    this.unwatch?.();
    this.unwatch = null;
    this.lastEndpoints = undefined;
    this.source?.stop();
    this.source = null;
    this.started = false;
    this.hasList = false;
  }

  private createSource(): EndpointSource {
    const factory = this.target.scheme === undefined ? undefined : endpointSourceFactory(this.target.scheme);
    if (!factory) throw new Error(`no endpoint source registered for scheme "${this.target.scheme}"`);
    return factory(this.sourceTarget);
  }

  private deliver(update: EndpointUpdate): void {
    if ('error' in update) {
      if (this.hasList) {
        experimental.trace(0, TRACER, `${this.targetText}: keeping the last list after error: ${update.error.message}`);
        return;
      }
      const details = `zonemesh: cannot resolve ${this.targetText}: ${update.error.message}`;
      this.listener(
        experimental.statusOrFromError({ code: status.UNAVAILABLE, details, metadata: new Metadata() }),
        {},
        null,
        details,
      );
      return;
    }
    // Capped before grpc-js sees the list: beyond the cap no subchannel is ever created.
    const endpoints = capEndpoints(uniqueByAddress(update.endpoints), this.targetText);
    this.hasList = true;
    this.lastEndpoints = endpoints;
    // null: the channel's own `grpc.service_config`, until a reload published one.
    const live = this.liveKey === undefined ? undefined : liveServiceConfig(this.liveKey);
    this.listener(
      experimental.statusOrFromValue(endpoints.map((e) => ({ addresses: [{ host: e.host, port: e.port }] }))),
      { [ENDPOINTS_ATTRIBUTE]: endpoints, [TARGET_ATTRIBUTE]: this.targetText },
      live === undefined ? null : (experimental.statusOrFromValue(live) as Parameters<experimental.ResolverListener>[2]),
      endpoints.length === 0 ? `${this.targetText} has no endpoints` : '',
    );
  }
}

/** grpc-js keys children by address; two instances on one address would collide. */
function uniqueByAddress(endpoints: readonly ResolvedEndpoint[]): ResolvedEndpoint[] {
  const seen = new Set<string>();
  return endpoints.filter((e) => {
    const address = endpointAddress(e);
    if (seen.has(address)) return false;
    seen.add(address);
    return true;
  });
}
