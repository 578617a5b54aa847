import type { RenderedEntity } from './content-negotiation.js';

/** Anything that tells when the registry changed (RegistryStore.generation). */
export interface ChangeCounter {
  readonly generation: number;
}

export interface ResponseCacheOptions {
  /** Eureka's read-only cache refresh (30 s); 0 disables that layer: reads see every change at once. */
  readonly readOnlyRefreshMs: number;
  /**
   * Read-write entries also expire after this long (Eureka: 180 s) even
   * without a change, because renewals (which do not invalidate) move
   * lastRenewalTimestamp.
   */
  readonly autoExpirationMs: number;
  /** Keys beyond this clear the cache (app names come from request paths). */
  readonly maxEntries?: number;
}

interface ReadWriteEntry {
  readonly generation: number;
  readonly at: number;
  readonly value: RenderedEntity | undefined;
}

type Builder = () => RenderedEntity | undefined;

/**
 * Eureka's ResponseCacheImpl, two layers: a read-write cache rebuilt after
 * every register/cancel/status change (the store's generation moved) and,
 * when enabled, a read-only copy refreshed from it on a timer, so readers
 * may see data up to readOnlyRefreshMs old — as with real Eureka.
 * `undefined` values (404s) are never kept in the read-only layer.
 */
export class ResponseCache {
  private readonly readWrite = new Map<string, ReadWriteEntry>();
  private readonly readOnly = new Map<string, RenderedEntity>();
  private readonly builders = new Map<string, Builder>();
  private readonly maxEntries: number;
  private readonly timer: NodeJS.Timeout | undefined;
  private hits = 0;
  private misses = 0;

  constructor(
    private readonly changes: ChangeCounter,
    private readonly options: ResponseCacheOptions,
  ) {
    this.maxEntries = options.maxEntries ?? 2_000;
    if (options.readOnlyRefreshMs > 0) {
      this.timer = setInterval(() => this.refreshReadOnly(), options.readOnlyRefreshMs);
      this.timer.unref();
    }
  }

  get(key: string, build: Builder): RenderedEntity | undefined {
    if (this.options.readOnlyRefreshMs <= 0) return this.fromReadWrite(key, build);
    const cached = this.readOnly.get(key);
    if (cached !== undefined) {
      this.hits++;
      return cached;
    }
    const value = this.fromReadWrite(key, build);
    if (value !== undefined) {
      if (this.readOnly.size >= this.maxEntries) {
        this.readOnly.clear();
        this.builders.clear();
      }
      this.builders.set(key, build);
      this.readOnly.set(key, value);
    }
    return value;
  }

  stats(): { readonly hits: number; readonly misses: number; readonly entries: number } {
    return { hits: this.hits, misses: this.misses, entries: this.readWrite.size };
  }

  close(): void {
    clearInterval(this.timer);
  }

  private fromReadWrite(key: string, build: Builder): RenderedEntity | undefined {
    const now = Date.now();
    const entry = this.readWrite.get(key);
    if (entry !== undefined && entry.generation === this.changes.generation && now - entry.at < this.options.autoExpirationMs) {
      this.hits++;
      return entry.value;
    }
    this.misses++;
    const generation = this.changes.generation;
    const value = build();
    if (this.readWrite.size >= this.maxEntries) this.readWrite.clear();
    this.readWrite.set(key, { generation, at: now, value });
    return value;
  }

  private refreshReadOnly(): void {
    for (const key of [...this.readOnly.keys()]) {
      const build = this.builders.get(key);
      const value = build === undefined ? undefined : this.fromReadWrite(key, build);
      if (value === undefined) {
        this.readOnly.delete(key);
        this.builders.delete(key);
      } else {
        this.readOnly.set(key, value);
      }
    }
  }
}
