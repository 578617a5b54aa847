import { HeldQueue } from './held-queue.js';
import { ToxicStage, unrefTimeout, type Chunk } from './toxic-stage.js';

/**
 * Delays each chunk by `latency` +/- `jitter` ms counted from when it was read,
 * so writes 50 ms apart stay 50 ms apart; order is kept even when jitter would
 * reorder chunks.
 */
export class LatencyToxic extends ToxicStage {
  private readonly queue = new HeldQueue<{ due: number }>();
  private timer: NodeJS.Timeout | undefined;

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

  private delay(): number {
    const latency = this.attributes.latency ?? 0;
    const jitter = this.attributes.jitter ?? 0;
    // Same distribution as Toxiproxy: latency + [-jitter, jitter).
    const offset = jitter > 0 ? Math.floor(Math.random() * 2 * jitter) - jitter : 0;
    return latency + offset;
  }

  private pump(): void {
    if (this.timer) return;
    for (let head = this.queue.peek(); head; head = this.queue.peek()) {
      const wait = head.due - this.link.now();
      if (wait > 0) {
        this.timer = unrefTimeout(() => {
          this.timer = undefined;
          this.pump();
        }, wait);
        return;
      }
      this.queue.shift();
      if (head.end) this.close();
      else this.emit(head.chunk);
    }
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
