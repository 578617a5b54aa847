// Test fixture (the `.test.ts` suffix keeps it out of the build and out of vitest's run).
import { ManualLbClock } from '../../lb-clock.js';
import type { HealthCheckClock, HealthCheckTimer } from '../health-check.clock.js';

/** Lets pending promise callbacks (a probe's answer) run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * The balancers' manual clock, stepped so that promises settle before and
 * after each timer: a probe's answer (a promise) is recorded before the next
 * timer fires.
 */
export class ManualClock implements HealthCheckClock {
  private readonly clock: ManualLbClock;

  constructor(start = Date.UTC(2024, 0, 1)) {
    this.clock = new ManualLbClock(start);
  }

  now(): number {
    return this.clock.now();
  }

  setTimer(callback: () => void, delayMs: number): HealthCheckTimer {
    return this.clock.setTimer(callback, delayMs);
  }

  async advance(ms: number): Promise<void> {
    const end = this.clock.now() + ms;
    await flush();
    while (this.clock.runNextDue(end)) await flush();
    // Nothing is due any more: this only moves time to `end`.
    this.clock.advance(end - this.clock.now());
  }

  /** Delays of the timers still pending, from now. */
  pendingDelays(): number[] {
    return this.clock.pendingDelays();
  }
}
