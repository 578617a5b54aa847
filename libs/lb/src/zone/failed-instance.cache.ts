/**
 * Instances that failed recently (connect failure, connect timeout, failed
 * health check, ejection), remembered for a TTL counted from the last time
 * each was seen failing — the seed's Caffeine `expireAfterWrite` cache. While
 * cached, an instance is not preferred even if it looks fine again, so
 * failback to it is deliberate (after the TTL), never a flap.
 */
export class FailedInstanceCache {
  private readonly expiries = new Map<string, number>();

  constructor(private ttlMs: number) {}

  /** zone_failover.failed_instance_ttl now (a reload may change it). */
  get ttl(): number {
    return this.ttlMs;
  }

  setTtl(ttlMs: number): void {
    this.ttlMs = ttlMs;
  }

  /**
   * Records a failure last seen at `seenAt` (default: now); returns true if
   * the key was not cached before. An older sighting never shortens the entry.
   */
  mark(key: string, now: number, seenAt: number = now): boolean {
    const until = seenAt + this.ttlMs;
    if (until <= now) return false;
    const fresh = !this.has(key, now);
    const current = this.expiries.get(key);
    if (current === undefined || until > current) this.expiries.set(key, until);
    return fresh;
  }

  has(key: string, now: number): boolean {
    const until = this.expiries.get(key);
    return until !== undefined && until > now;
  }

  /** When the entry expires (clock ms), or undefined when not cached. */
  until(key: string, now: number): number | undefined {
    return this.has(key, now) ? this.expiries.get(key) : undefined;
  }

  /** Drops expired entries and returns their keys. */
  expire(now: number): string[] {
    const expired: string[] = [];
    for (const [key, until] of this.expiries) {
      if (until <= now) {
        this.expiries.delete(key);
        expired.push(key);
      }
    }
    return expired;
  }

  /** The earliest future expiry, to schedule the next failback check. */
  nextExpiry(now: number): number | undefined {
    let next: number | undefined;
    for (const until of this.expiries.values()) if (until > now && (next === undefined || until < next)) next = until;
    return next;
  }

  delete(key: string): void {
    this.expiries.delete(key);
  }
}
