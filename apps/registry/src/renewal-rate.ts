import type { Clock } from './clock.js';

/**
 * Eureka's MeasuredRate: counts renewals in fixed one-minute buckets and
 * reports the last complete bucket. Buckets roll lazily from the clock, so an
 * injected clock makes self-preservation deterministic in tests.
 */
export class RenewalRate {
  private bucketStart: number;
  private current = 0;
  private last = 0;

  constructor(
    private readonly clock: Clock,
    private readonly bucketMs = 60_000,
  ) {
    this.bucketStart = clock.now();
  }

  increment(): void {
    this.roll();
    this.current++;
  }

  /** Renewals counted in the last complete bucket. */
  lastBucket(): number {
    this.roll();
    return this.last;
  }

  private roll(): void {
    const elapsed = this.clock.now() - this.bucketStart;
    if (elapsed < this.bucketMs) return;
    const periods = Math.floor(elapsed / this.bucketMs);
    // A silent bucket in between means the last complete minute saw nothing.
    this.last = periods === 1 ? this.current : 0;
    this.current = 0;
    this.bucketStart += periods * this.bucketMs;
  }
}
