import { parseClusterList } from '@zonemesh/lb';
import { describe, expect, it } from 'vitest';
import { drainPeriodMs, serviceExitBudgetMs, stopBudgetMs } from './drain-period.js';

describe('drainPeriodMs', () => {
  it('is the fetch interval when callers have no health checks', () => {
    expect(drainPeriodMs(1_000, undefined)).toBe(1_000);
  });

  it("adds the callers' slowest health check: interval with its jitter, plus the timeout", () => {
    const [cluster] = parseClusterList(
      [
        {
          name: 'catalog',
          type: 'eureka',
          app: 'CATALOG',
          health_checks: [
            { grpc_health_check: {}, interval: '1s', timeout: '500ms', interval_jitter_percent: 10 },
            { grpc_health_check: {}, interval: '2s', timeout: '100ms', interval_jitter: '300ms' },
          ],
        },
      ],
      'clusters',
    );
    // max(1000 * 1.1 + 500, 2000 + 300 + 100) = 2400, after the 1 s fetch interval
    expect(drainPeriodMs(1_000, cluster)).toBe(3_400);
  });

  it('gives a supervisor a bound past the drain and every shutdown step', () => {
    expect(stopBudgetMs(3_000, 2_000)).toBe(7_000);
    expect(stopBudgetMs(0, 2_000)).toBe(6_000);
    expect(serviceExitBudgetMs(3_000, 2_000)).toBeGreaterThan(stopBudgetMs(3_000, 2_000));
  });
});
