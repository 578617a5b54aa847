import { describe, expect, it } from 'vitest';
import { parseRouteList } from './route.config.parse.js';
import { RouteTable } from './route-table.js';
import { seededRandom } from './seeded-random.js';
import { WeightedVersion } from './weighted-version.js';

describe('weighted versions (canary)', () => {
  it('splits 90/10 within +/-3 points over 10,000 requests matched through the route table (seeded)', () => {
    const [route] = new RouteTable(
      parseRouteList([{ name: 'canary', match: { path: { prefix: '/api/' } }, action: { version_weights: { v1: 90, v2: 10 } } }]),
    ).routes;
    for (const seed of [1, 42, 20240601]) {
      const random = seededRandom(seed);
      const counts: Record<string, number> = { v1: 0, v2: 0 };
      for (let i = 0; i < 10_000; i++) counts[route!.pickVersion(random())]!++;
      expect(counts.v1! + counts.v2!).toBe(10_000);
      expect(Math.abs(counts.v2! / 100 - 10), `seed ${seed}: v2 got ${counts.v2}`).toBeLessThanOrEqual(3);
    }
  });

  it('maps the unit interval onto cumulative weights and never picks a zero weight', () => {
    const weighted = new WeightedVersion([
      { version: 'v1', weight: 90 },
      { version: 'v3', weight: 0 },
      { version: 'v2', weight: 10 },
    ]);
    expect(weighted.versions).toEqual(['v1', 'v2']);
    expect(weighted.pick(0)).toBe('v1');
    expect(weighted.pick(0.8999)).toBe('v1');
    expect(weighted.pick(0.9)).toBe('v2');
    expect(weighted.pick(0.999999)).toBe('v2');
  });

  it('is reproducible from a seed', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const first = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });
});
