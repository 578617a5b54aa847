import type { BenchClient } from './bench-clients.js';

export interface ClosedLoopResult {
  readonly ok: number;
  readonly errors: number;
  readonly seconds: number;
  readonly callsPerSecond: number;
}

/** `concurrency` callers, each starting its next call when the previous one ends, for `durationMs`. */
export async function closedLoop(client: BenchClient, concurrency: number, durationMs: number): Promise<ClosedLoopResult> {
  let ok = 0;
  let errors = 0;
  const start = performance.now();
  const end = start + durationMs;
  const worker = async (): Promise<void> => {
    while (performance.now() < end) {
      try {
        await client.who(5_000);
        ok += 1;
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  return { ok, errors, seconds, callsPerSecond: ok / seconds };
}

/** One call of an open-loop run: when it started and ended (ms on the run's clock) and who served it. */
export interface CallRecord {
  readonly startMs: number;
  readonly endMs: number;
  /** Server id, or undefined when the call failed. */
  readonly servedBy: string | undefined;
  readonly error: string | undefined;
}

export interface OpenLoop {
  /** Stops issuing calls and waits (bounded) for those in flight. */
  stop(): Promise<void>;
  readonly records: CallRecord[];
  /** Calls not issued because `maxInFlight` calls were already waiting. */
  readonly skipped: () => number;
}

/**
 * Calls at a fixed rate whatever the latency (open loop), on a 10 ms tick
 * that catches up to `rate x elapsed`; bounded by `maxInFlight` so a stalled
 * policy cannot pile up unbounded work.
 */
export function openLoop(client: BenchClient, options: { rate: number; deadlineMs: number; maxInFlight: number; clock: () => number }): OpenLoop {
  const records: CallRecord[] = [];
  let issued = 0;
  let skipped = 0;
  let inFlight = 0;
  const started = options.clock();
  const drained: Array<() => void> = [];
  const fire = (): void => {
    const startMs = options.clock();
    inFlight += 1;
    client.who(options.deadlineMs).then(
      (id) => records.push({ startMs, endMs: options.clock(), servedBy: id, error: undefined }),
      (error: { code?: number; details?: string }) =>
        records.push({ startMs, endMs: options.clock(), servedBy: undefined, error: `${error.code ?? '?'} ${error.details ?? String(error)}` }),
    ).finally(() => {
      inFlight -= 1;
      if (inFlight === 0) drained.splice(0).forEach((resolve) => resolve());
    });
  };
  const timer = setInterval(() => {
    const due = Math.floor(((options.clock() - started) / 1000) * options.rate);
    while (issued < due) {
      issued += 1;
      if (inFlight >= options.maxInFlight) skipped += 1;
      else fire();
    }
  }, 10);
  return {
    records,
    skipped: () => skipped,
    stop: async () => {
      clearInterval(timer);
      if (inFlight === 0) return;
      await Promise.race([new Promise<void>((resolve) => drained.push(resolve)), new Promise((resolve) => setTimeout(resolve, options.deadlineMs + 1_000).unref())]);
    },
  };
}

/**
 * `callers` concurrent callers, each starting its next call when the previous
 * one ends, recorded like an open loop (a zone kill meets exactly `callers`
 * calls in flight); runs until stop().
 */
export function closedLoopRecorded(client: BenchClient, options: { callers: number; deadlineMs: number; clock: () => number }): OpenLoop {
  const records: CallRecord[] = [];
  let stopped = false;
  const caller = async (): Promise<void> => {
    while (!stopped) {
      const startMs = options.clock();
      try {
        const id = await client.who(options.deadlineMs);
        records.push({ startMs, endMs: options.clock(), servedBy: id, error: undefined });
      } catch (error) {
        const e = error as { code?: number; details?: string };
        records.push({ startMs, endMs: options.clock(), servedBy: undefined, error: `${e.code ?? '?'} ${e.details ?? String(error)}` });
      }
    }
  };
  const running = Promise.all(Array.from({ length: options.callers }, caller));
  return {
    records,
    skipped: () => 0,
    stop: async () => {
      stopped = true;
      await running;
    },
  };
}
