import { describe, expect, it } from 'vitest';
import { bounded } from './bounded.js';

describe('bounded', () => {
  it('reports work that finishes', async () => {
    expect(await bounded(async () => 1, 5_000)).toBe('done');
  });

  it('swallows failures so later steps still run', async () => {
    expect(await bounded(() => Promise.reject(new Error('registry down')), 5_000)).toBe('failed');
    expect(await bounded(() => { throw new Error('sync'); }, 5_000)).toBe('failed');
  });

  it('gives up on work that hangs', async () => {
    expect(await bounded(() => new Promise(() => undefined), 50)).toBe('timeout');
  });
});
