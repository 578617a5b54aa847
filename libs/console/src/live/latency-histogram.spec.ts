import { describe, expect, it } from 'vitest';
import { histogramDelta, quantileMs, sumHistograms } from './latency-histogram.js';

const exposition = (caller: string, counts: [le: string, n: number][]) =>
  counts.map(([le, n]) => `zonemesh_grpc_client_request_duration_seconds_bucket{cluster="catalog",le="${le}",service="gateway",instance="${caller}"} ${n}`).join('\n');

describe('latency histograms from /metrics', () => {
  it('sums every caller of a cluster into one histogram and ignores other metrics', () => {
    const a = exposition('a', [['0.01', 5], ['0.1', 9], ['+Inf', 10]]);
    const b = `${exposition('b', [['0.01', 1], ['0.1', 1], ['+Inf', 2]])}\nzonemesh_other_bucket{cluster="catalog",le="0.01"} 99`;
    const catalog = sumHistograms([a, b], 'zonemesh_grpc_client_request_duration_seconds', 'cluster').get('catalog')!;
    expect(catalog.count).toBe(12);
    expect(catalog.buckets.get(0.01)).toBe(6);
    expect(catalog.buckets.get(Infinity)).toBe(12);
  });

  it('interpolates quantiles inside the bucket, as histogram_quantile does', () => {
    const h = { buckets: new Map([[0.01, 50], [0.1, 100], [Infinity, 100]]), count: 100 };
    expect(quantileMs(h, 0.5)).toBeCloseTo(10);
    expect(quantileMs(h, 0.99)).toBeCloseTo(98.2);
    expect(quantileMs({ buckets: new Map(), count: 0 }, 0.5)).toBeUndefined();
  });

  it('takes the calls between two scrapes; a restarted caller (counter reset) never gives negative counts', () => {
    const before = { buckets: new Map([[0.01, 10], [Infinity, 20]]), count: 20 };
    const now = { buckets: new Map([[0.01, 12], [Infinity, 5]]), count: 5 };
    const delta = histogramDelta(now, before);
    expect(delta.buckets.get(0.01)).toBe(2);
    expect(delta.count).toBe(0);
  });
});
