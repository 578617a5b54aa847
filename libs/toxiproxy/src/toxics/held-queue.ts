import type { Chunk } from './toxic-stage.js';

/** An item held by a delaying stage: data, or the end of the stream queued behind it. */
export type HeldItem<T = object> = ({ chunk: Chunk; end?: undefined } | { chunk?: undefined; end: true }) & T;

/**
 * FIFO of held items. Delaying stages keep end-of-stream in the same queue as
 * data so a close never overtakes bytes read before it.
 */
export class HeldQueue<T = object> {
  private items: HeldItem<T>[] = [];

  get length(): number {
    return this.items.length;
  }

  push(item: HeldItem<T>): void {
    this.items.push(item);
  }

  peek(): HeldItem<T> | undefined {
    return this.items[0];
  }

  shift(): HeldItem<T> | undefined {
    return this.items.shift();
  }

  /** Empty the queue, returning everything in order. */
  drain(): HeldItem<T>[] {
    const items = this.items;
    this.items = [];
    return items;
  }
}
