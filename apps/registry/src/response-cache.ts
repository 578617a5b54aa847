import type { CachedPayload } from './cached-payload.js';

export interface ResponseCacheOptions {
  /** Eureka's read-only cache refresh (30 s); 0 disables that layer: reads see every change at once. */
  readonly readOnlyRefreshMs: number;
  /**
   * Read-write entries are also rebuilt after this long (Eureka: 180 s)
   * even without a change, because renewals (which are not changes) move
   * lastRenewalTimestamp. A rebuild only re-copies cached fragments.
   */
  readonly autoExpirationMs: number;
  /** Keys beyond this clear the cache (app names come from request paths). */
  readonly maxEntries?: number;
}

/**
 * How to build one cache key: `version()` names the registry state the
 * payload shows (a store generation or delta tag), cheap to read; `build()`
 * makes the payload of the current state (undefined for a 404).
 */
export interface PayloadSource {
  readonly version: () => string;
  readonly build: (version: string) => CachedPayload | undefined;
}

interface ReadWriteEntry {
  readonly version: string;
  readonly at: number;
  readonly value: CachedPayload | undefined;
}

/**
 * Eureka's ResponseCacheImpl, two layers: a read-write cache rebuilt when
 * the registry version moved (register/cancel/status change) and, when
 * enabled, a read-only copy refreshed from it on a timer, so readers may see
 * data up to readOnlyRefreshMs old — as with real Eureka. So each payload is
 * built at most once per version (and per auto-expiration) whatever the
 * number of readers. `undefined` values (404s) are never kept in the
 * read-only layer.
 */
export class ResponseCache {
  private readonly readWrite = new Map<string, ReadWriteEntry>();
  private readonly readOnly = new Map<string, CachedPayload>();
  private readonly sources = new Map<string, PayloadSource>();
  private readonly maxEntries: number;
  private readonly timer: NodeJS.Timeout | undefined;
  private hits = 0;
  private misses = 0;

  constructor(private readonly options: ResponseCacheOptions) {
    this.maxEntries = options.maxEntries ?? 2_000;
    if (options.readOnlyRefreshMs > 0) {
      this.timer = setInterval(() => this.refreshReadOnly(), options.readOnlyRefreshMs);
      this.timer.unref();
    }
  }

  get(key: string, source: PayloadSource): CachedPayload | undefined {
    if (this.options.readOnlyRefreshMs <= 0) return this.fromReadWrite(key, source);
    const cached = this.readOnly.get(key);
    if (cached !== undefined) {
      this.hits++;
      return cached;
    }
    const value = this.fromReadWrite(key, source);
    if (value !== undefined) {
      if (this.readOnly.size >= this.maxEntries) {
        this.readOnly.clear();
        this.sources.clear();
      }
      this.sources.set(key, source);
      this.readOnly.set(key, value);
    }
    return value;
  }

  /**
   * The payload a read of `key` would be served, if it is known to show the
   * current version without building anything (even when due for its
   * auto-expiration): what lets an up-to-date client get a 304 in constant time.
   */
  peek(key: string, source: PayloadSource): CachedPayload | undefined {
    if (this.options.readOnlyRefreshMs > 0) return this.readOnly.get(key);
    const entry = this.readWrite.get(key);
    return entry !== undefined && entry.version === source.version() ? entry.value : undefined;
  }

  stats(): { readonly hits: number; readonly misses: number; readonly entries: number } {
    return { hits: this.hits, misses: this.misses, entries: this.readWrite.size };
  }

  close(): void {
    clearInterval(this.timer);
  }

  private fromReadWrite(key: string, source: PayloadSource): CachedPayload | undefined {
    const now = Date.now();
    const version = source.version();
    const entry = this.readWrite.get(key);
    if (entry !== undefined && entry.version === version && now - entry.at < this.options.autoExpirationMs) {
      this.hits++;
      return entry.value;
    }
    this.misses++;
    const value = source.build(version);
    if (this.readWrite.size >= this.maxEntries) this.readWrite.clear();
    this.readWrite.set(key, { version, at: now, value });
    return value;
  }

  private refreshReadOnly(): void {
    for (const key of [...this.readOnly.keys()]) {
      const source = this.sources.get(key);
      const value = source === undefined ? undefined : this.fromReadWrite(key, source);
      if (value === undefined) {
        this.readOnly.delete(key);
        this.sources.delete(key);
      } else {
        this.readOnly.set(key, value);
      }
    }
  }
}
