import type { LbClock, LbTimer } from '../lb-clock.js';
import type { FailedInstanceCache } from './failed-instance.cache.js';

/**
 * Rebuilds the plan when the next failed-instance entry expires, so failback
 * happens on time, not on the next unrelated event.
 */
export class FailbackTimer {
  private timer: LbTimer | null = null;
  private at = 0;

  constructor(
    private readonly clock: LbClock,
    private readonly due: () => void,
  ) {}

  schedule(cache: FailedInstanceCache, now: number): void {
    const next = cache.nextExpiry(now);
    if (next === undefined) return;
    if (this.timer && this.at <= next) return;
    this.timer?.cancel();
    this.at = next;
    this.timer = this.clock.setTimer(() => {
      this.timer = null;
      this.due();
    }, next - now);
  }

  cancel(): void {
    this.timer?.cancel();
  }
}

/**
 * When a failing endpoint was last seen failing: the TTL of the failed-instance
 * cache counts from there. Evidence, not state: a failed connection attempt,
 * a connect timeout still running, an ejection, a failed health check. An
 * endpoint that answers again (health checks succeeding below
 * healthy_threshold, a connection waiting out its backoff) no longer moves it,
 * so failback comes a TTL after the outage ended, not after the recovery checks.
 *
 * `lastFailureAt`: the endpoint's own last failure (connection, ejection);
 * `checkedFailureAt`: the health view's last failed check, if it can say;
 * `unhealthy`: the health view's verdict is unhealthy.
 */
export function lastSeenFailing(lastFailureAt: number | undefined, checkedFailureAt: number | undefined, unhealthy: boolean, timedOut: boolean, now: number): number {
  if (timedOut) return now;
  // An unhealthy verdict from a view that cannot say when its checks failed: the failure is current.
  if (checkedFailureAt === undefined && unhealthy) return now;
  let seen = lastFailureAt;
  if (checkedFailureAt !== undefined) seen = seen === undefined ? checkedFailureAt : Math.max(seen, checkedFailureAt);
  return seen ?? now;
}
