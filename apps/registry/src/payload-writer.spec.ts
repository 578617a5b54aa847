import { describe, expect, it } from 'vitest';
import type { InstanceFragment } from './instance-fragments.js';
import { PayloadWriter } from './payload-writer.js';

const fragment = (head: string, tail: string): InstanceFragment => ({ bytes: Buffer.from(head + tail), split: Buffer.byteLength(head) });

function sample(): { writer: PayloadWriter; expected: string } {
  const writer = new PayloadWriter().text('[');
  let expected = '[';
  for (let i = 0; i < 50; i++) {
    // Multi-byte text, so a chunk boundary can fall inside a UTF-8 sequence too.
    writer.fragment(fragment(`{"n":${i},"é":"ü","t":`, `}${i < 49 ? ',' : ''}`), 1_700_000_000_000 + i);
    expected += `{"n":${i},"é":"ü","t":${1_700_000_000_000 + i}}${i < 49 ? ',' : ''}`;
  }
  writer.text(']');
  return { writer, expected: `${expected}]` };
}

describe('PayloadWriter', () => {
  it('copies the same bytes whole or in chunks of any size, each reader from its own position', () => {
    const { writer, expected } = sample();
    expect(writer.finish().toString()).toBe(expected);
    expect(writer.length).toBe(Buffer.byteLength(expected));
    for (const size of [1, 2, 3, 7, 13, 64, 1_000, 100_000]) {
      const cursor = writer.cursor();
      const chunks: Buffer[] = [];
      for (;;) {
        const chunk = Buffer.alloc(size);
        const copied = writer.fill(chunk, cursor);
        if (copied === 0) break;
        chunks.push(chunk.subarray(0, copied));
      }
      expect(Buffer.concat(chunks).toString(), `chunks of ${size}`).toBe(expected);
    }
  });
});
