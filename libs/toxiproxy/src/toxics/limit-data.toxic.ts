import { ToxicStage, type Chunk } from './toxic-stage.js';

/** Lets `bytes` bytes through in this direction, then closes the connection. */
export class LimitDataToxic extends ToxicStage {
  // Survives attribute updates, like Toxiproxy's per-stub state.
  private transmitted = 0;

  protected onWrite(chunk: Chunk): void {
    const limit = this.attributes.bytes ?? 0;
    const remaining = Math.max(0, limit - this.transmitted);
    if (remaining < chunk.data.length) {
      this.link.dropped(chunk.data.length - remaining);
      chunk = { data: chunk.data.subarray(0, remaining), readAt: chunk.readAt };
    }
    if (chunk.data.length > 0) {
      this.transmitted += chunk.data.length;
      this.emit(chunk);
    }
    if (limit - this.transmitted <= 0) this.close();
  }
}
