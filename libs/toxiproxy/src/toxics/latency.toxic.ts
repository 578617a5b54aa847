import { HoldingStage } from './holding-stage.js';
import type { Chunk } from './toxic-stage.js';

/**
 * Delays each chunk by `latency` +/- `jitter` ms counted from when it was read,
 * so writes 50 ms apart stay 50 ms apart; order is kept even when jitter would
 * reorder chunks.
 */
export class LatencyToxic extends HoldingStage<{ due: number }> {
  protected onWrite(chunk: Chunk): void {
    this.queue.push({ chunk, due: chunk.readAt + this.delay() });
    this.pump();
  }

  protected override onEnd(): void {
    this.queue.push({ end: true, due: 0 });
    this.pump();
  }

  /** New attributes apply to held chunks too, counted from when each was read. */
  protected override onUpdate(): void {
    this.cancel();
    for (const item of this.queue.drain()) {
      this.queue.push(item.end ? item : { chunk: item.chunk, due: item.chunk.readAt + this.delay() });
    }
    this.pump();
  }

  private delay(): number {
    const latency = this.attributes.latency ?? 0;
    const jitter = this.attributes.jitter ?? 0;
    // Same distribution as Toxiproxy: latency + [-jitter, jitter).
    const offset = jitter > 0 ? Math.floor(Math.random() * 2 * jitter) - jitter : 0;
    return latency + offset;
  }

  protected pump(): void {
    if (this.waiting) return;
    for (let head = this.queue.peek(); head; head = this.queue.peek()) {
      const wait = head.due - this.link.now();
      if (wait > 0) {
        this.wakeAfter(wait);
        return;
      }
      this.queue.shift();
      if (head.end) this.close();
      else this.emit(head.chunk);
    }
  }
}
