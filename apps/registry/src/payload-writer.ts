import type { InstanceFragment } from './instance-fragments.js';

/**
 * Builds one response body from static text and instance fragments with
 * their live renewal timestamps, in two passes (measure, then copy into one
 * buffer), so a payload of 50k instances is a single allocation and a few
 * memcpy per instance — no intermediate object tree, string or buffer list.
 */
export class PayloadWriter {
  private readonly parts: Array<Buffer | InstanceFragment> = [];
  private readonly stamps: string[] = [];
  private length = 0;

  text(text: string): this {
    return this.bytes(Buffer.from(text));
  }

  /** Pre-encoded bytes (separators): shared, not copied until finish(). */
  bytes(bytes: Buffer): this {
    this.parts.push(bytes);
    this.length += bytes.length;
    return this;
  }

  fragment(fragment: InstanceFragment, lastRenewalTimestamp: number): this {
    const stamp = String(lastRenewalTimestamp);
    this.parts.push(fragment);
    this.stamps.push(stamp);
    this.length += fragment.bytes.length + stamp.length;
    return this;
  }

  finish(): Buffer {
    const out = Buffer.allocUnsafe(this.length);
    let offset = 0;
    let stamp = 0;
    for (const part of this.parts) {
      if (Buffer.isBuffer(part)) {
        offset += part.copy(out, offset);
        continue;
      }
      offset += part.bytes.copy(out, offset, 0, part.split);
      offset += out.write(this.stamps[stamp++], offset, 'latin1');
      offset += part.bytes.copy(out, offset, part.split);
    }
    return out;
  }
}
