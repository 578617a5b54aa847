import type { LatencySpillConfig } from '../cluster/cluster-config.js';
import type { LbClock, LbTimer } from '../lb-clock.js';
import { slowEndpoints, type LatencySample } from './latency-spill.js';

/** How often latencies are compared: health checks refresh them about once per interval. */
const EVALUATE_EVERY_MS = 1_000;

/**
 * Re-evaluates zone_failover.latency once a second while it is configured
 * and tells the balancer when the set of slow endpoints changed, or while it
 * is not empty (each sighting restarts their failed-instance TTL, so a zone
 * fails back failed_instance_ttl after it was last seen slow).
 */
export class LatencyWatch {
  private timer: LbTimer | null = null;
  private config: LatencySpillConfig | undefined;
  slow: ReadonlySet<string> = new Set();

  constructor(
    private readonly clock: LbClock,
    private readonly samples: () => readonly LatencySample[],
    private readonly changed: () => void,
  ) {}

  configure(config: LatencySpillConfig | undefined): void {
    this.config = config;
    if (!config) {
      this.stop();
      this.slow = new Set();
    } else if (!this.timer) this.schedule();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  /** Compares now (also what the timer runs); returns whether any endpoint is slow. */
  evaluate(): boolean {
    if (!this.config) return false;
    const before = this.slow;
    const next = slowEndpoints(this.samples(), this.config, before);
    this.slow = next;
    if (next.size > 0 || before.size > 0) this.changed();
    return next.size > 0;
  }

  private schedule(): void {
    this.timer = this.clock.setTimer(() => {
      this.timer = null;
      this.evaluate();
      if (this.config) this.schedule();
    }, EVALUATE_EVERY_MS);
  }
}
