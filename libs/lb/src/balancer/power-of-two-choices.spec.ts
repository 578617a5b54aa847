import { describe, expect, it } from 'vitest';
import type { EndpointChild } from '../policy/endpoint-child.js';
import { LeastRequestBalancer } from './least-request.balancer.js';
import { PeakEwmaBalancer } from './peak-ewma.balancer.js';

/** Only what P2C reads of an endpoint: calls in flight and the peak-EWMA cost. */
const endpoint = (inFlight: number, cost = 0) => ({ counters: { inFlight }, cost: () => cost }) as unknown as EndpointChild;

/** A random source that returns the given draws in turn. */
const draws = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

describe('power of two choices', () => {
  it('returns the only endpoint without drawing', () => {
    const balancer = new LeastRequestBalancer([endpoint(3)], () => {
      throw new Error('drew');
    });
    expect(balancer.choose()).toBe(0);
  });

  it('draws two distinct endpoints: the second draw skips the first', () => {
    // First draw: index 1 of 3; second: index 1 of the 2 others, i.e. endpoint 2.
    const balancer = new LeastRequestBalancer([endpoint(0), endpoint(5), endpoint(1)], draws(0.5, 0.5));
    expect(balancer.choose()).toBe(2);
  });

  it('keeps the first drawn on a tie and when the second is worse', () => {
    expect(new LeastRequestBalancer([endpoint(1), endpoint(1)], draws(0, 0)).choose()).toBe(0);
    expect(new LeastRequestBalancer([endpoint(1), endpoint(2)], draws(0, 0)).choose()).toBe(0);
  });

  it('least_request prefers fewer calls in flight; peak_ewma the lower cost, read at one instant', () => {
    expect(new LeastRequestBalancer([endpoint(4), endpoint(2)], draws(0, 0)).choose()).toBe(1);
    let clockReads = 0;
    const ewma = new PeakEwmaBalancer([endpoint(0, 9), endpoint(9, 3)], draws(0, 0), () => ++clockReads);
    expect(ewma.choose()).toBe(1);
    expect(clockReads).toBe(1);
  });
});
