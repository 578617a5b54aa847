import type { InstanceFragment } from './instance-fragments.js';

/** Where one reader of a body is: part index, step inside a fragment (head, stamp, tail), byte offset in that step. */
export interface PayloadCursor {
  part: number;
  step: 0 | 1 | 2;
  offset: number;
  stamp: number;
}

/**
 * One response body as static text and instance fragments with their
 * renewal timestamps (taken when the fragment is added, so every read of
 * the body gives the same bytes): measured as it is built, then copied
 * either into one buffer (`finish`) or chunk by chunk (`fill`), so a
 * payload of 50k instances needs no intermediate object tree, string or
 * buffer list — and, streamed, not even the whole body at once.
 */
export class PayloadWriter {
  private readonly parts: Array<Buffer | InstanceFragment> = [];
  private readonly stamps: string[] = [];
  private bytesTotal = 0;

  /** The body's size in bytes (its Content-Length). */
  get length(): number {
    return this.bytesTotal;
  }

  text(text: string): this {
    return this.bytes(Buffer.from(text));
  }

  /** Pre-encoded bytes (separators): shared, not copied until read. */
  bytes(bytes: Buffer): this {
    this.parts.push(bytes);
    this.bytesTotal += bytes.length;
    return this;
  }

  fragment(fragment: InstanceFragment, lastRenewalTimestamp: number): this {
    const stamp = String(lastRenewalTimestamp);
    this.parts.push(fragment);
    this.stamps.push(stamp);
    this.bytesTotal += fragment.bytes.length + stamp.length;
    return this;
  }

  /** The whole body in one buffer. */
  finish(): Buffer {
    const out = Buffer.allocUnsafe(this.bytesTotal);
    this.fill(out, this.cursor());
    return out;
  }

  /** A reader positioned at the start of the body; readers do not share positions. */
  cursor(): PayloadCursor {
    return { part: 0, step: 0, offset: 0, stamp: 0 };
  }

  /** Copies the body's next bytes at `at` into `out` and moves `at` past them; returns how many (0 at the end). */
  fill(out: Buffer, at: PayloadCursor): number {
    let written = 0;
    while (written < out.length && at.part < this.parts.length) {
      const part = this.parts[at.part];
      if (Buffer.isBuffer(part)) {
        const n = part.copy(out, written, at.offset);
        written += n;
        at.offset += n;
        if (at.offset >= part.length) this.next(at, 0, true);
      } else if (at.step === 1) {
        // Stamps are ASCII digits: latin1 writes them byte for byte, as far as `out` has room.
        const stamp = this.stamps[at.stamp];
        const n = out.write(at.offset === 0 ? stamp : stamp.slice(at.offset), written, 'latin1');
        written += n;
        at.offset += n;
        if (at.offset >= stamp.length) {
          at.stamp++;
          this.next(at, 2, false);
        }
      } else {
        const start = at.step === 0 ? 0 : part.split;
        const end = at.step === 0 ? part.split : part.bytes.length;
        const n = part.bytes.copy(out, written, start + at.offset, end);
        written += n;
        at.offset += n;
        if (start + at.offset >= end) this.next(at, at.step === 0 ? 1 : 0, at.step === 2);
      }
    }
    return written;
  }

  private next(at: PayloadCursor, step: 0 | 1 | 2, nextPart: boolean): void {
    if (nextPart) at.part++;
    at.step = step;
    at.offset = 0;
  }
}
