import type { EndpointListener, EndpointSource, ResolvedEndpoint } from '@zonemesh/lb';
import type { LocalRegistry } from './local-registry.js';
import { type FetchOutcome, type RegistryFetcher, type RegistryFetcherOptions, acquireRegistryFetcher } from './registry-fetcher.js';

export interface EurekaAppSourceOptions extends RegistryFetcherOptions {
  /** Called after every poll with the registry that answered, or the errors; for metrics and tests. */
  readonly onPoll?: (outcome: FetchOutcome) => void;
}

/**
 * Feeds the load balancer with the UP instances of one application (zone
 * and metadata included) from the process-wide RegistryFetcher for its
 * options: full fetch, then deltas, own zone's registry first with
 * quarantine and session failback (see RegistryFetcher, RegistryClient).
 * Fallback: when every registry fails, it keeps the last good list (pushing
 * nothing); only before the first list does it report an error. The same
 * list is never pushed twice in a row.
 */
export class EurekaAppSource implements EndpointSource {
  private listener: EndpointListener | undefined;
  private fetcher: RegistryFetcher | undefined;
  private release: (() => void) | undefined;
  private unsubscribe: (() => void) | undefined;
  private lastKey: string | undefined;

  constructor(
    readonly app: string,
    private readonly options: EurekaAppSourceOptions,
  ) {
    if (options.registries.length === 0) throw new Error(`EurekaAppSource(${app}): no registries configured`);
  }

  start(listener: EndpointListener): void {
    if (this.unsubscribe !== undefined) this.stop();
    this.listener = listener;
    const { fetcher, release } = acquireRegistryFetcher(this.options);
    this.fetcher = fetcher;
    this.release = release;
    this.unsubscribe = fetcher.subscribe((registry, outcome) => this.onFetch(registry, outcome));
  }

  /** Asks the shared fetcher to poll now (unless a poll is running). */
  refresh(): void {
    this.fetcher?.refresh();
  }

  stop(): void {
    this.unsubscribe?.();
    this.release?.();
    this.unsubscribe = undefined;
    this.release = undefined;
    this.fetcher = undefined;
    this.listener = undefined;
  }

  private onFetch(registry: LocalRegistry | undefined, outcome: FetchOutcome): void {
    const listener = this.listener;
    if (listener === undefined) return;
    if (registry !== undefined && outcome.errors.length === 0) {
      this.deliver(listener, registry.upEndpoints(this.app));
    } else if (this.lastKey === undefined && registry === undefined) {
      listener({ error: new Error(`eureka: no registry answered for ${this.app}: ${outcome.errors.join('; ')}`) });
    }
    this.options.onPoll?.(outcome);
  }

  private deliver(listener: EndpointListener, endpoints: ResolvedEndpoint[]): void {
    const key = JSON.stringify(endpoints);
    if (key === this.lastKey) return;
    this.lastKey = key;
    listener({ endpoints });
  }
}
