import { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CachedPayload } from './cached-payload.js';
import { PayloadWriter } from './payload-writer.js';

async function read(body: Buffer | Readable): Promise<string> {
  if (Buffer.isBuffer(body)) return body.toString();
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
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
    expect(await read(payload.body())).toBe(big);
    expect(counter.renders).toBe(1);
    expect(new CachedPayload(() => new PayloadWriter().text('{}'), 'application/json', 'W/"2"').gzipWorthIt).toBe(false);
  });

  it('streams a large body to each reader from one layout, never holding it whole, and gzips that stream', async () => {
    const { counter, render } = counting(big);
    const payload = new CachedPayload(render, 'application/json', 'W/"1"', 1_000);
    const first = payload.body();
    const second = payload.body();
    expect(first).toBeInstanceOf(Readable);
    expect(first).not.toBe(second);
    expect(await Promise.all([read(first), read(second)])).toEqual([big, big]);
    expect(payload.byteLength).toBe(big.length);
    expect(gunzipSync(await payload.gzipped()).toString()).toBe(big);
    expect(counter.renders).toBe(1);
  });
});
