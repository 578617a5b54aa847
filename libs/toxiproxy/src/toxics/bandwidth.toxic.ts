import { HoldingStage } from './holding-stage.js';
import type { Chunk } from './toxic-stage.js';

/** Toxiproxy sends large chunks in slices worth 100 ms of the rate. */
const SLICE_MS = 100;

/**
 * Limits throughput to `rate` KB/s (1 KB = 1000 bytes, i.e. `rate` bytes per ms).
 * A rate of 0 delivers nothing until the toxic is changed or removed.
 */
export class BandwidthToxic extends HoldingStage {
  /** When the previous slice finished "transmitting" on the simulated wire. */
  private wireFreeAt = 0;

  protected onWrite(chunk: Chunk): void {
    this.queue.push({ chunk });
    this.pump();
  }

  protected override onEnd(): void {
    this.queue.push({ end: true });
    this.pump();
  }

  protected override onUpdate(): void {
    this.cancel();
    this.wireFreeAt = 0;
    this.pump();
  }

  protected pump(): void {
    if (this.waiting) return;
    const rate = this.attributes.rate ?? 0;
    const head = this.queue.peek();
    if (!head) return;
    if (head.end) {
      this.queue.shift();
      this.close();
      return;
    }
    if (rate <= 0) return;
    const now = this.link.now();
    const size = Math.min(head.chunk.data.length, rate * SLICE_MS);
    const due = Math.max(now, this.wireFreeAt) + size / rate;
    this.wireFreeAt = due;
    this.wakeAfter(due - now, () => this.sendSlice(size));
  }

  private sendSlice(size: number): void {
    const head = this.queue.peek();
    if (!head?.chunk) return;
    if (size >= head.chunk.data.length) {
      this.queue.shift();
      this.emit(head.chunk);
      return;
    }
    this.emit({ data: head.chunk.data.subarray(0, size), readAt: head.chunk.readAt });
    head.chunk = { data: head.chunk.data.subarray(size), readAt: head.chunk.readAt };
  }
}
