import type { EndpointListener, EndpointSource, ResolvedEndpoint } from '@zonemesh/lb';
import { decodeAppEndpoints } from './eureka-app.decoder.js';
import { RegistryUnavailableError, eurekaRequest } from './eureka-http.js';
import { type RegistryEndpoint, orderRegistriesForZone } from './registry-urls.js';

export interface EurekaAppSourceOptions {
  readonly registries: readonly RegistryEndpoint[];
  /** The caller's zone: its registries are asked first. */
  readonly zone: string;
  /** Poll period (Eureka clients: 30 000; the testbed uses a few seconds). */
  readonly fetchIntervalMs?: number;
  readonly requestTimeoutMs?: number;
  /** Called after every poll with the registry that answered, or the errors; for metrics and tests. */
  readonly onPoll?: (outcome: { readonly registry?: RegistryEndpoint; readonly errors: readonly string[] }) => void;
}

/**
 * Feeds the load balancer with the UP instances of one application by
 * polling `GET {registry}/apps/{APP}` (404 = no instances), own zone's
 * registry first, failing over to the others per poll.
 * Fallback: when every registry fails, it keeps the last good list (pushing
 * nothing); only before the first list does it report an error.
 */
export class EurekaAppSource implements EndpointSource {
  private readonly ordered: RegistryEndpoint[];
  private readonly intervalMs: number;
  private readonly timeoutMs: number;
  private readonly onPoll: EurekaAppSourceOptions['onPoll'];
  private listener: EndpointListener | undefined;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private lastKey: string | undefined;
  private stopped = false;

  constructor(
    readonly app: string,
    options: EurekaAppSourceOptions,
  ) {
    if (options.registries.length === 0) throw new Error(`EurekaAppSource(${app}): no registries configured`);
    this.ordered = orderRegistriesForZone(options.registries, options.zone);
    this.intervalMs = options.fetchIntervalMs ?? 30_000;
    this.timeoutMs = options.requestTimeoutMs ?? 2_000;
    this.onPoll = options.onPoll;
  }

  start(listener: EndpointListener): void {
    this.listener = listener;
    this.stopped = false;
    this.poll();
  }

  /** Fetches now unless a fetch is already running; the periodic schedule restarts from here. */
  refresh(): void {
    if (this.listener !== undefined && !this.stopped) this.poll();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private poll(): void {
    if (this.inFlight !== undefined) return;
    clearTimeout(this.timer);
    this.inFlight = this.fetchOnce().finally(() => {
      this.inFlight = undefined;
      if (this.stopped) return;
      this.timer = setTimeout(() => this.poll(), this.intervalMs);
      this.timer.unref();
    });
  }

  private async fetchOnce(): Promise<void> {
    const errors: string[] = [];
    for (const registry of this.ordered) {
      let endpoints: ResolvedEndpoint[];
      try {
        const response = await eurekaRequest(`${registry.url}/apps/${encodeURIComponent(this.app)}`, {
          method: 'GET',
          timeoutMs: this.timeoutMs,
        });
        if (response.status === 404) endpoints = [];
        else if (response.status === 200) endpoints = decodeAppEndpoints(JSON.parse(response.body));
        else throw new RegistryUnavailableError(`GET ${registry.url}/apps/${this.app}: HTTP ${response.status}`);
      } catch (error) {
        errors.push((error as Error).message);
        continue;
      }
      this.deliver(endpoints);
      this.onPoll?.({ registry, errors });
      return;
    }
    if (this.lastKey === undefined && !this.stopped) {
      this.listener?.({ error: new Error(`eureka: no registry answered for ${this.app}: ${errors.join('; ')}`) });
    }
    this.onPoll?.({ errors });
  }

  private deliver(endpoints: ResolvedEndpoint[]): void {
    const key = JSON.stringify(endpoints);
    if (this.stopped || key === this.lastKey) return;
    this.lastKey = key;
    this.listener?.({ endpoints });
  }
}
