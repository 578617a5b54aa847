/** A scheduled callback; cancelling twice or after it ran is harmless. */
export interface LbTimer {
  cancel(): void;
}

/**
 * Time as the balancers see it (ejection times, failed-instance TTLs,
 * outlier intervals, connect timeouts). Same shape as the health checker's
 * clock, so one manual clock drives both in tests.
 */
export interface LbClock {
  now(): number;
  /** Runs `callback` once after `delayMs`; must never keep the process alive. */
  setTimer(callback: () => void, delayMs: number): LbTimer;
}

export const systemLbClock: LbClock = {
  now: () => Date.now(),
  setTimer(callback, delayMs) {
    const handle = setTimeout(callback, Math.max(0, delayMs));
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
};

let current: LbClock = systemLbClock;
let currentRandom: () => number = Math.random;

/** The clock new zonemesh balancers use. */
export function lbClock(): LbClock {
  return current;
}

/** The random source new zonemesh balancers use (zone spill draws, random and P2C picks). */
export function lbRandom(): () => number {
  return currentRandom;
}

/**
 * Makes balancers created from now on use `clock` (and `random`), for tests
 * of time-dependent behaviour. Returns the function that restores the real ones.
 */
export function useLbClock(clock: LbClock, random?: () => number): () => void {
  const previous = current;
  const previousRandom = currentRandom;
  current = clock;
  if (random) currentRandom = random;
  return () => {
    current = previous;
    currentRandom = previousRandom;
  };
}

/**
 * A clock that moves only when told: `advance(ms)` runs every timer due, in
 * order. Timers scheduled by callbacks during an advance run too if due.
 */
export class ManualLbClock implements LbClock {
  private time: number;
  private timers: Array<{ at: number; seq: number; callback: () => void; cancelled: boolean }> = [];
  private seq = 0;

  constructor(start = 1_700_000_000_000) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(callback: () => void, delayMs: number): LbTimer {
    const timer = { at: this.time + Math.max(0, delayMs), seq: this.seq++, callback, cancelled: false };
    this.timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  advance(ms: number): void {
    const end = this.time + ms;
    while (this.runNextDue(end));
    this.time = end;
  }

  /**
   * Runs the earliest timer due by `end`, moving time to it; false when none
   * is due. One step of `advance`, for callers that let promises settle
   * between timers (the health checker's manual clock).
   */
  runNextDue(end: number): boolean {
    this.timers = this.timers.filter((t) => !t.cancelled);
    const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
    if (!due) return false;
    this.time = Math.max(this.time, due.at);
    due.cancelled = true;
    due.callback();
    return true;
  }

  /** Timers not yet run or cancelled. */
  get pending(): number {
    return this.timers.filter((t) => !t.cancelled).length;
  }

  /** Delays of the timers still pending, from now, shortest first. */
  pendingDelays(): number[] {
    return this.timers
      .filter((t) => !t.cancelled)
      .map((t) => t.at - this.time)
      .sort((a, b) => a - b);
  }
}
