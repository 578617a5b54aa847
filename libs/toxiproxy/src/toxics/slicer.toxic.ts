import { HoldingStage } from './holding-stage.js';
import type { Chunk } from './toxic-stage.js';

/**
 * Splits chunks into pieces of about `average_size` +/- `size_variation` bytes,
 * waiting `delay` microseconds after each piece.
 */
export class SlicerToxic extends HoldingStage {
  protected onWrite(chunk: Chunk): void {
    for (const [start, end] of sliceOffsets(chunk.data.length, this.attributes.average_size ?? 0, this.attributes.size_variation ?? 0)) {
      this.queue.push({ chunk: { data: chunk.data.subarray(start, end), readAt: chunk.readAt } });
    }
    this.pump();
  }

  protected override onEnd(): void {
    this.queue.push({ end: true });
    this.pump();
  }

  protected pump(): void {
    while (!this.waiting) {
      const head = this.queue.shift();
      if (!head) return;
      if (head.end) {
        this.close();
        return;
      }
      this.emit(head.chunk);
      const delayMs = (this.attributes.delay ?? 0) / 1000;
      if (delayMs > 0) this.wakeAfter(delayMs);
    }
  }
}

/**
 * Offsets of the pieces of a `size`-byte chunk: split roughly in half (shifted
 * by up to the variation) until pieces are within the variation of the
 * average, as Toxiproxy does, so no end is biased to small pieces.
 */
export function sliceOffsets(size: number, average: number, variation: number): Array<[number, number]> {
  const pieces: Array<[number, number]> = [];
  if (size === 0) return pieces;
  const stack: Array<[number, number]> = [[0, size]];
  while (stack.length > 0) {
    const [start, end] = stack.pop()!;
    if (end - start - average <= variation || end - start < 2) {
      pieces.push([start, end]);
      continue;
    }
    const shift = variation > 0 ? Math.floor(Math.random() * 2 * variation) - variation : 0;
    const mid = Math.min(end - 1, Math.max(start + 1, start + Math.floor((end - start) / 2) + shift));
    // Right half first so the left half is popped (and emitted) first.
    stack.push([mid, end], [start, mid]);
  }
  return pieces;
}
