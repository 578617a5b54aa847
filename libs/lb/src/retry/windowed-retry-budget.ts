import type { WindowedBudgetConfig } from '../cluster/cluster-config.js';

/** The window is kept as this many slots; a slot older than the window leaves it whole. */
const SLOTS = 10;

/**
 * A time-windowed retry budget after Linkerd's (linkerd2-proxy's TpsBudget,
 * itself Finagle's RetryBudget): over the last `window`, retries may number
 * at most `ratio` x the first attempts plus `minPerSecond` x the window.
 *
 * Why not Envoy's concurrency budget (retries in flight <= 20% of the calls
 * in flight): a zone dying under load fails every call in flight at the same
 * moment, so every active call needs its retry at once, five times what that
 * budget allows (issue 12: 13 of 16 concurrent callers failed). Counted over
 * time, the same burst is a small share of the window's requests; a storm
 * (every zone failing every call) is still held to `ratio` once the reserve
 * is spent.
 *
 * Fallback: with no requests in the window only the reserve is available;
 * with `ratio` and `minPerSecond` both 0, no retry ever is.
 * Where it differs from Linkerd: the window slides in tenths (Linkerd's
 * slots too), and a retry is admitted when one whole retry fits, never on credit.
 */
export class WindowedRetryBudget {
  private readonly requests = new Float64Array(SLOTS);
  private readonly retries = new Float64Array(SLOTS);
  private slot = 0;
  private slotEnds: number;
  private requestsInWindow = 0;
  private retriesInWindow = 0;

  constructor(
    private config: WindowedBudgetConfig,
    private readonly clock: { now(): number },
  ) {
    this.slotEnds = clock.now() + config.windowMs / SLOTS;
  }

  setConfig(config: WindowedBudgetConfig): void {
    this.config = config;
  }

  /** A first attempt started: it adds `ratio` of a retry to the budget. */
  deposit(): void {
    this.advance();
    this.requests[this.slot] += 1;
    this.requestsInWindow += 1;
  }

  /** Whether one more retry fits now. */
  admits(): boolean {
    this.advance();
    return this.retriesInWindow + 1 <= this.limit();
  }

  /** A retry started. */
  withdraw(): void {
    this.advance();
    this.retries[this.slot] += 1;
    this.retriesInWindow += 1;
  }

  /** Retries still allowed now, and the window's counts (snapshots, tests). */
  state(): { remaining: number; requests: number; retries: number } {
    this.advance();
    return { remaining: Math.max(0, Math.floor(this.limit() - this.retriesInWindow)), requests: this.requestsInWindow, retries: this.retriesInWindow };
  }

  private limit(): number {
    const { ratio, minPerSecond, windowMs } = this.config;
    return minPerSecond * (windowMs / 1000) + ratio * this.requestsInWindow;
  }

  /** Moves to the slot of now, emptying every slot that fell out of the window on the way. */
  private advance(): void {
    const now = this.clock.now();
    if (now < this.slotEnds) return;
    const slotMs = this.config.windowMs / SLOTS;
    const passed = Math.floor((now - this.slotEnds) / slotMs) + 1;
    for (let i = 0; i < Math.min(passed, SLOTS); i += 1) {
      this.slot = (this.slot + 1) % SLOTS;
      this.requestsInWindow -= this.requests[this.slot]!;
      this.retriesInWindow -= this.retries[this.slot]!;
      this.requests[this.slot] = 0;
      this.retries[this.slot] = 0;
    }
    this.slotEnds += passed * slotMs;
  }
}
