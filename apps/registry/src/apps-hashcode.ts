import type { InstanceStatus } from './instance-info.js';

/**
 * Eureka's `apps__hashcode`: instance counts per status, sorted by status
 * name, as `STATUS_count_` (e.g. `DOWN_1_UP_2_`); `""` when empty. Clients
 * compare it with their local copy after applying a delta and fall back to a
 * full fetch when it differs, so it describes the FULL registry — kept here
 * as counts the store moves on every status change, never recounted.
 */
export class AppsHashcode {
  private readonly counts = new Map<InstanceStatus, number>();
  private text: string | undefined = '';
  private total = 0;

  add(status: InstanceStatus): void {
    this.counts.set(status, (this.counts.get(status) ?? 0) + 1);
    this.total++;
    this.text = undefined;
  }

  remove(status: InstanceStatus): void {
    const left = (this.counts.get(status) ?? 0) - 1;
    if (left > 0) this.counts.set(status, left);
    else this.counts.delete(status);
    this.total--;
    this.text = undefined;
  }

  /** Instances counted, whatever their status. */
  get size(): number {
    return this.total;
  }

  get value(): string {
    this.text ??= [...this.counts.keys()]
      .sort()
      .map((status) => `${status}_${this.counts.get(status)}_`)
      .join('');
    return this.text;
  }
}
