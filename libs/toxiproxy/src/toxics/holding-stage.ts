import { HeldQueue } from './held-queue.js';
import { ToxicStage, unrefTimeout } from './toxic-stage.js';

/**
 * A stage that holds data back and hands it on later (latency, bandwidth,
 * slicer): one queue of held items and at most one wake-up timer. Released
 * (toxic removed or deactivated) it hands on everything held at once, in
 * order; disposed (connection gone) it drops it.
 *
 * Subclasses hand on in `pump` what is due now and call `wakeAfter` for the
 * rest; `pump` runs again when the timer fires.
 */
export abstract class HoldingStage<T = object> extends ToxicStage {
  protected readonly queue = new HeldQueue<T>();
  private timer: NodeJS.Timeout | undefined;

  /** Hands on what is due now; schedules the rest with `wakeAfter`. */
  protected abstract pump(): void;

  /** A wake-up is pending: `pump` waits for it rather than sending early. */
  protected get waiting(): boolean {
    return this.timer !== undefined;
  }

  /** Runs `beforePump` (what the wait was for), then `pump`, after `ms`. */
  protected wakeAfter(ms: number, beforePump?: () => void): void {
    this.timer = unrefTimeout(() => {
      this.timer = undefined;
      beforePump?.();
      this.pump();
    }, ms);
  }

  protected cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  protected override onRelease(): void {
    this.cancel();
    for (const item of this.queue.drain()) {
      if (item.end) this.close();
      else this.emit(item.chunk);
    }
  }

  protected override onDispose(): void {
    this.cancel();
    this.queue.drain();
  }
}
