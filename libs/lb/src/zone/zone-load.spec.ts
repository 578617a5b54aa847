import { describe, expect, it } from 'vitest';
import { zoneLoads } from './zone-load.js';

describe('zoneLoads (Envoy priority load with overprovisioning)', () => {
  it('keeps 100% in the first zone while its healthy share is at least the threshold', () => {
    expect(zoneLoads([{ healthy: 4, total: 4 }, { healthy: 4, total: 4 }], 0.72)).toEqual([1, 0]);
    expect(zoneLoads([{ healthy: 3, total: 4 }, { healthy: 4, total: 4 }], 0.72)).toEqual([1, 0]);
  });

  it('spills proportionally below the threshold, in zone order', () => {
    const [own, next, last] = zoneLoads([{ healthy: 1, total: 2 }, { healthy: 2, total: 2 }, { healthy: 2, total: 2 }], 0.72);
    expect(own).toBeCloseTo(0.5 / 0.72, 6);
    expect(next).toBeCloseTo(1 - 0.5 / 0.72, 6);
    expect(last).toBe(0);
  });

  it('sends everything onward when the own zone has no healthy endpoint', () => {
    expect(zoneLoads([{ healthy: 0, total: 2 }, { healthy: 2, total: 2 }], 0.72)).toEqual([0, 1]);
  });

  it('scales loads up when all zones together are short of 100% (normalisation)', () => {
    const loads = zoneLoads([{ healthy: 1, total: 4 }, { healthy: 1, total: 4 }], 0.72);
    expect(loads[0]).toBeCloseTo(0.5, 6);
    expect(loads[1]).toBeCloseTo(0.5, 6);
  });
});
