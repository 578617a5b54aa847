/** The label value every value beyond the bound is counted under. */
export const OTHER_LABEL = 'other';

/**
 * Label values taken from what clients register (app names, metadata
 * zones), bounded: the first `max` distinct values keep their name for the
 * life of the process, every later one is `other`. Without it, 100,000
 * made-up zones would be 100,000 Prometheus series; with it, the series
 * count is at most (max apps + 1) × (max zones + 1) × statuses.
 */
export class BoundedLabels {
  private readonly kept = new Set<string>();

  constructor(private readonly max: number) {}

  label(value: string): string {
    if (this.kept.has(value)) return value;
    if (this.kept.size < this.max) {
      this.kept.add(value);
      return value;
    }
    return OTHER_LABEL;
  }
}
