import { LocalRegistry } from './local-registry.js';
import { RegistryClient, type RegistryClientOptions } from './registry-client.js';
import type { RegistryEndpoint } from './registry-urls.js';

export interface RegistryFetcherOptions
  extends Pick<
    RegistryClientOptions,
    'registries' | 'zone' | 'requestTimeoutMs' | 'maxAttempts' | 'quarantineRefreshPercentage' | 'sessionDurationMs' | 'sessionJitter'
  > {
  /** Poll period (Eureka clients: 30 000; the testbed uses a few seconds). */
  readonly fetchIntervalMs?: number;
  /** Fetch `/apps/delta` after the first full fetch (default true), like the Java client. */
  readonly useDelta?: boolean;
}

/** The result of one poll, for metrics and tests. */
export interface FetchOutcome {
  /** The registry that answered; undefined when none did. */
  readonly registry?: RegistryEndpoint;
  readonly errors: readonly string[];
  /** `full`, `delta`, or `delta+full` when the delta's hash disagreed and a full fetch followed. */
  readonly kind?: 'full' | 'delta' | 'delta+full';
}

export interface RegistryFetcherStats {
  readonly fullFetches: number;
  readonly deltaFetches: number;
  /** Deltas after which the local hash differed from apps__hashcode (each one triggered a full fetch). */
  readonly hashMismatches: number;
  readonly failedPolls: number;
}

/** Called after every poll; `registry` is undefined until one fetch succeeded. */
export type FetchListener = (registry: LocalRegistry | undefined, outcome: FetchOutcome) => void;

/**
 * Eureka DiscoveryClient's cache refresh for one registry list: a full
 * `GET /apps` first, then `GET /apps/delta` merged into the local copy; if
 * the local hash then differs from the server's `apps__hashcode` (missed
 * or reordered deltas, a different server after failover), a full fetch
 * replaces the copy. Polls only while someone listens; one fetcher serves
 * every app a process watches.
 */
export class RegistryFetcher {
  private readonly client: RegistryClient;
  private readonly local = new LocalRegistry();
  private readonly intervalMs: number;
  private readonly useDelta: boolean;
  private readonly listeners = new Set<FetchListener>();
  private hasData = false;
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private counters = { fullFetches: 0, deltaFetches: 0, hashMismatches: 0, failedPolls: 0 };

  constructor(options: RegistryFetcherOptions) {
    this.client = new RegistryClient(options);
    this.intervalMs = options.fetchIntervalMs ?? 30_000;
    this.useDelta = options.useDelta ?? true;
  }

  /** Starts polling with the first listener; the returned function unsubscribes (the last one stops polling). */
  subscribe(listener: FetchListener): () => void {
    this.listeners.add(listener);
    if (this.hasData) listener(this.local, { errors: [] });
    if (this.listeners.size === 1) this.poll();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
    };
  }

  /** Polls now unless a poll is running. */
  refresh(): void {
    if (this.listeners.size > 0) this.poll();
  }

  stats(): RegistryFetcherStats {
    return { ...this.counters };
  }

  get transport(): RegistryClient {
    return this.client;
  }

  private poll(): void {
    if (this.inFlight !== undefined) return;
    clearTimeout(this.timer);
    this.inFlight = this.fetchOnce().finally(() => {
      this.inFlight = undefined;
      if (this.listeners.size === 0) return;
      this.timer = setTimeout(() => this.poll(), this.intervalMs);
      this.timer.unref();
    });
  }

  private async fetchOnce(): Promise<void> {
    let outcome: FetchOutcome;
    try {
      outcome = this.hasData && this.useDelta ? await this.fetchDelta() : await this.fetchFull('full');
    } catch (error) {
      this.counters.failedPolls++;
      outcome = { errors: [(error as Error).message] };
    }
    for (const listener of [...this.listeners]) listener(this.hasData ? this.local : undefined, outcome);
  }

  private async fetchFull(kind: 'full' | 'delta+full'): Promise<FetchOutcome> {
    const response = await this.client.execute('GetApplications', 'GET', '/apps');
    this.local.applyFull(JSON.parse(response.body));
    this.counters.fullFetches++;
    this.hasData = true;
    return { registry: response.registry, errors: [], kind };
  }

  private async fetchDelta(): Promise<FetchOutcome> {
    const response = await this.client.execute('GetDelta', 'GET', '/apps/delta');
    // 403/404: this server serves no delta (yet); take everything instead.
    if (response.status !== 200) return this.fetchFull('full');
    const serverHash = this.local.applyDelta(JSON.parse(response.body));
    this.counters.deltaFetches++;
    if (this.local.hashcode() === serverHash) return { registry: response.registry, errors: [], kind: 'delta' };
    this.counters.hashMismatches++;
    return this.fetchFull('delta+full');
  }
}

const shared = new Map<string, { fetcher: RegistryFetcher; users: number }>();

/**
 * The process-wide fetcher for these options (registries, zone, timings):
 * every EurekaAppSource with equal options shares one poll. `release()`
 * when done; the fetcher is dropped with its last user.
 */
export function acquireRegistryFetcher(options: RegistryFetcherOptions): { fetcher: RegistryFetcher; release: () => void } {
  const key = JSON.stringify([
    options.registries,
    options.zone,
    options.fetchIntervalMs,
    options.useDelta,
    options.requestTimeoutMs,
    options.maxAttempts,
    options.quarantineRefreshPercentage,
    options.sessionDurationMs,
    options.sessionJitter,
  ]);
  let entry = shared.get(key);
  if (entry === undefined) shared.set(key, (entry = { fetcher: new RegistryFetcher(options), users: 0 }));
  entry.users++;
  let released = false;
  const current = entry;
  return {
    fetcher: entry.fetcher,
    release: () => {
      if (released) return;
      released = true;
      if (--current.users === 0 && shared.get(key) === current) shared.delete(key);
    },
  };
}
