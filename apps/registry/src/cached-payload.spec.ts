import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CachedPayload } from './cached-payload.js';
import { PayloadWriter } from './payload-writer.js';

/** Every chunk the payload writes, copied as it comes (chunks are reused once written). */
async function readPlain(payload: CachedPayload): Promise<{ text: string; writes: number }> {
  const copies: Buffer[] = [];
  await payload.writePlain(async (chunk) => {
    copies.push(Buffer.from(chunk));
  });
  return { text: Buffer.concat(copies).toString(), writes: copies.length };
}

describe('CachedPayload', () => {
  const big = 'x'.repeat(10_000);
  const counting = (text: string) => {
    const counter = { renders: 0 };
    return { counter, render: () => (counter.renders++, new PayloadWriter().text(text)) };
  };

  it('keeps a small body whole, lays it out once and gzips it once for every reader', async () => {
    const { counter, render } = counting(big);
    const payload = new CachedPayload(render, 'application/json', 'W/"1"');
    const [a, b] = await Promise.all([payload.gzipped(), payload.gzipped()]);
    expect(a).toBe(b);
    expect(gunzipSync(a).toString()).toBe(big);
    expect(payload.body()).toBe(payload.body());
    expect(await readPlain(payload)).toEqual({ text: big, writes: 1 });
    expect(counter.renders).toBe(1);
    expect(new CachedPayload(() => new PayloadWriter().text('{}'), 'application/json', 'W/"2"').gzipWorthIt).toBe(false);
  });

  it('streams a large body to each reader from one layout, never keeping it whole, and gzips that stream', async () => {
    const large = 'y'.repeat(700_000);
    const { counter, render } = counting(large);
    const payload = new CachedPayload(render, 'application/json', 'W/"1"', 1_000);
    expect(payload.body()).toBeUndefined();
    const reads = await Promise.all([readPlain(payload), readPlain(payload)]);
    // 256 KiB chunks: the body came in three writes per reader.
    expect(reads).toEqual([{ text: large, writes: 3 }, { text: large, writes: 3 }]);
    expect(payload.byteLength).toBe(large.length);
    expect(gunzipSync(await payload.gzipped()).toString()).toBe(large);
    expect(counter.renders).toBe(1);
  });

  it('fails a streamed read when the sink fails, whichever chunk it was on', async () => {
    const payload = new CachedPayload(() => new PayloadWriter().text('z'.repeat(1_000_000)), 'application/json', 'W/"1"', 1_000);
    let writes = 0;
    await expect(payload.writePlain(async () => {
      if (++writes === 2) throw new Error('client went away');
    })).rejects.toThrow('client went away');
  });
});
