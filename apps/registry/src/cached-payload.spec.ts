import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CachedPayload } from './cached-payload.js';

describe('CachedPayload', () => {
  const big = 'x'.repeat(10_000);

  it('gzips once for every reader and renders the plain body again only if it was released unwanted', async () => {
    let renders = 0;
    const payload = new CachedPayload(() => (renders++, Buffer.from(big)), 'application/json', 'W/"1"');
    const [a, b] = await Promise.all([payload.gzipped(), payload.gzipped()]);
    expect(a).toBe(b);
    expect(gunzipSync(a).toString()).toBe(big);
    expect(renders).toBe(1);
    // Nobody asked for the plain body before it was compressed: it was released, so this renders again, once.
    expect(payload.body().toString()).toBe(big);
    expect(payload.body().toString()).toBe(big);
    expect(renders).toBe(2);
  });

  it('keeps the plain body when it was asked for, and never gzips what is too small to gain', async () => {
    let renders = 0;
    const payload = new CachedPayload(() => (renders++, Buffer.from(big)), 'application/json', 'W/"1"');
    payload.body();
    await payload.gzipped();
    payload.body();
    expect(renders).toBe(1);
    expect(new CachedPayload(() => Buffer.from('{}'), 'application/json', 'W/"2"').gzipWorthIt).toBe(false);
  });
});
