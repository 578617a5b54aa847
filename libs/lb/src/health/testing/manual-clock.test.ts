// Test fixture (the `.test.ts` suffix keeps it out of the build and out of vitest's run).
import type { HealthCheckClock, HealthCheckTimer } from '../health-check.clock.js';

/** Lets pending promise callbacks (a probe's answer) run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A clock that moves only when told. `advance` runs every timer due, in
 * order, and lets promises settle after each, so a probe's answer (a
 * promise) is recorded before the next timer fires.
 */
export class ManualClock implements HealthCheckClock {
  private time: number;
  private timers: Array<{ at: number; seq: number; callback: () => void; cancelled: boolean }> = [];
  private seq = 0;

  constructor(start = Date.UTC(2024, 0, 1)) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(callback: () => void, delayMs: number): HealthCheckTimer {
    const timer = { at: this.time + Math.max(0, delayMs), seq: this.seq++, callback, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    await flush();
    for (;;) {
      this.timers = this.timers.filter((t) => !t.cancelled);
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.time = Math.max(this.time, due.at);
      due.cancelled = true;
      due.callback();
      await flush();
    }
    this.time = end;
  }

  /** Delays of the timers still pending, from now. */
  pendingDelays(): number[] {
    return this.timers.filter((t) => !t.cancelled).map((t) => t.at - this.time).sort((a, b) => a - b);
  }
}
