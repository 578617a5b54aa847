/** A scheduled callback that can be cancelled; cancelling twice or after it ran is harmless. */
export interface HealthCheckTimer {
  cancel(): void;
}

/**
 * Time as the health checker sees it. Injected so threshold and interval
 * logic runs deterministically in tests (see testing/manual-clock.test.ts).
 */
export interface HealthCheckClock {
  /** Wall-clock milliseconds since the epoch (event-log timestamps, snapshots). */
  now(): number;
  /** Runs `callback` once after `delayMs`; must never keep the process alive. */
  setTimer(callback: () => void, delayMs: number): HealthCheckTimer;
}

/** The real clock: `Date.now()` and unref()ed `setTimeout`s. */
export const systemHealthCheckClock: HealthCheckClock = {
  now: () => Date.now(),
  setTimer(callback, delayMs) {
    const handle = setTimeout(callback, delayMs);
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
};
