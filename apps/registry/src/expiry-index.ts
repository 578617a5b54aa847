/**
 * Leases filed by the second at which they would expire if never renewed
 * again. Renewals only push a lease's expiry later and are not refiled (the
 * hot path stays a field write); an eviction run takes the due seconds only,
 * evicts what really expired and refiles the rest at their current expiry.
 * So a run costs the leases that came due — about n x run interval / lease
 * duration — instead of a walk over all n leases (6-17 ms at 50k on 2 cores,
 * every 2 s in the fast profile).
 */
export class ExpiryIndex<L> {
  private readonly bySecond = new Map<number, L[]>();

  /** Files `lease` under the second of `expiresAtMs`. */
  add(lease: L, expiresAtMs: number): void {
    const second = Math.floor(expiresAtMs / 1000);
    const filed = this.bySecond.get(second);
    if (filed === undefined) this.bySecond.set(second, [lease]);
    else filed.push(lease);
  }

  /** Removes and returns every lease filed under a second that began at or before `nowMs`. */
  takeDue(nowMs: number): L[] {
    const due: L[] = [];
    // Distinct seconds are few (at most the longest lease duration): walking the keys is cheap.
    for (const [second, leases] of this.bySecond) {
      if (second * 1000 > nowMs) continue;
      this.bySecond.delete(second);
      for (const lease of leases) due.push(lease);
    }
    return due;
  }
}
