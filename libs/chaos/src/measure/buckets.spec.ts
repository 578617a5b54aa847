import { describe, expect, it } from 'vitest';
import { syntheticRecords } from '../testing/synthetic.js';
import { bucketize } from './buckets.js';
import { percentile } from './percentile.js';
import { zoneShare } from './window-stats.js';

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i); // 100..1, unsorted
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 99)).toBeUndefined();
  });
});

describe('bucketize', () => {
  it('slices by due time into 250 ms buckets with rps, errors, percentiles and zone shares', () => {
    // 40 rps for 1 s: 10 per bucket. Bucket 1 fails every third request; bucket 2 is served by zone-b.
    const records = syntheticRecords(1000, 40, (t) => {
      const i = Math.round(t / 25);
      if (t >= 250 && t < 500 && i % 3 === 0) return { error: 'ECONNRESET', latencyMs: 5 };
      return { zone: t >= 500 && t < 750 ? 'zone-b' : 'zone-a', latencyMs: 10 + (i % 10) };
    });
    const buckets = bucketize(records, 1000);
    expect(buckets.map((b) => b.t)).toEqual([0, 250, 500, 750]);
    expect(buckets.map((b) => b.rps)).toEqual([40, 40, 40, 40]);
    expect(buckets.map((b) => b.errors)).toEqual([0, 3, 0, 0]);
    expect(buckets[1]!.errorRate).toBeCloseTo(0.3);
    expect(buckets[0]!.p50Ms).toBe(14);
    expect(buckets[0]!.p99Ms).toBe(19);
    expect(zoneShare(buckets[0]!.served, 'zone-a', 'catalog')).toBe(1);
    expect(zoneShare(buckets[2]!.served, 'zone-b', 'catalog')).toBe(1);
    expect(buckets[2]!.served).toEqual({ catalog: { 'zone-b': 10 }, pricing: { 'zone-b': 10 }, inventory: { 'zone-b': 10 } });
  });

  it('keeps empty buckets so charts show a gap in time, not a squeezed axis', () => {
    const buckets = bucketize([{ t: 900, latencyMs: 3, status: 200, shape: 0 }], 1000);
    expect(buckets).toHaveLength(4);
    expect(buckets[0]).toMatchObject({ requests: 0, rps: 0, errorRate: 0 });
    expect(buckets[0]!.p99Ms).toBeUndefined();
    expect(buckets[3]).toMatchObject({ requests: 1, rps: 4 });
  });
});
