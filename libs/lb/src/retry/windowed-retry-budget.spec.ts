import { describe, expect, it } from 'vitest';
import { ManualLbClock } from '../lb-clock.js';
import { WindowedRetryBudget } from './windowed-retry-budget.js';

function spend(budget: WindowedRetryBudget): number {
  let n = 0;
  while (budget.admits() && n < 10_000) {
    budget.withdraw();
    n += 1;
  }
  return n;
}

describe('WindowedRetryBudget (Linkerd retry budget)', () => {
  it('admits the reserve (min_per_second x window) with no traffic, then nothing', () => {
    const budget = new WindowedRetryBudget({ ratio: 0.2, minPerSecond: 10, windowMs: 10_000 }, new ManualLbClock());
    expect(spend(budget)).toBe(100);
    expect(budget.admits()).toBe(false);
  });

  it('absorbs a burst: every one of 64 calls in flight may retry at once when the window saw traffic', () => {
    const budget = new WindowedRetryBudget({ ratio: 0.2, minPerSecond: 10, windowMs: 10_000 }, new ManualLbClock());
    for (let i = 0; i < 64; i += 1) budget.deposit();
    expect(spend(budget)).toBeGreaterThanOrEqual(64);
  });

  it('caps a storm at ratio x requests once the reserve is spent', () => {
    const budget = new WindowedRetryBudget({ ratio: 0.2, minPerSecond: 0, windowMs: 10_000 }, new ManualLbClock());
    for (let i = 0; i < 1_000; i += 1) budget.deposit();
    expect(spend(budget)).toBe(200);
    // Each new request earns a fifth of a retry.
    for (let i = 0; i < 10; i += 1) budget.deposit();
    expect(spend(budget)).toBe(2);
  });

  it('forgets requests and retries older than the window, a tenth at a time', () => {
    const clock = new ManualLbClock();
    const budget = new WindowedRetryBudget({ ratio: 1, minPerSecond: 0, windowMs: 10_000 }, clock);
    for (let i = 0; i < 10; i += 1) budget.deposit();
    clock.advance(5_000);
    for (let i = 0; i < 10; i += 1) budget.deposit();
    expect(budget.state()).toMatchObject({ requests: 20, remaining: 20 });
    expect(spend(budget)).toBe(20);
    // The first ten requests leave the window; the retries, made later, stay.
    clock.advance(5_500);
    expect(budget.state()).toMatchObject({ requests: 10, retries: 20, remaining: 0 });
    // Everything is older than the window: a fresh start.
    clock.advance(60_000);
    expect(budget.state()).toEqual({ requests: 0, retries: 0, remaining: 0 });
  });

  it('admits no retry at all with ratio and min_per_second both 0', () => {
    const budget = new WindowedRetryBudget({ ratio: 0, minPerSecond: 0, windowMs: 10_000 }, new ManualLbClock());
    for (let i = 0; i < 100; i += 1) budget.deposit();
    expect(budget.admits()).toBe(false);
  });
});
