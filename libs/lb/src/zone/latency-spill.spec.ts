import { describe, expect, it } from 'vitest';
import { slowEndpoints, slownessFollowedTraffic, type LatencySample } from './latency-spill.js';

const config = { factor: 3, minAddedMs: 50 };
const zoneA = (ms: number | undefined): LatencySample[] => [
  { key: 'a1', zone: 'zone-a', latencyMs: ms },
  { key: 'a2', zone: 'zone-a', latencyMs: ms },
];
const zoneB = (ms: number): LatencySample[] => [
  { key: 'b1', zone: 'zone-b', latencyMs: ms },
  { key: 'b2', zone: 'zone-b', latencyMs: ms },
];

describe('slowEndpoints (zone_failover.latency)', () => {
  it('marks every endpoint of a zone factor x slower than the fastest zone and min_added above it', () => {
    expect(slowEndpoints([...zoneA(300), ...zoneB(2)], config, new Set())).toEqual(new Set(['a1', 'a2']));
  });

  it('needs both: 3x on a fast machine (1 ms vs 4 ms) is noise, +60 ms on a slow one (200 vs 260 ms) is not 3x', () => {
    expect(slowEndpoints([...zoneA(4), ...zoneB(1)], config, new Set())).toEqual(new Set());
    expect(slowEndpoints([...zoneA(260), ...zoneB(200)], config, new Set())).toEqual(new Set());
  });

  it('has hysteresis: a slow zone stays slow until under 2x (halfway), so it does not flap at the line', () => {
    const slow = new Set(['a1', 'a2']);
    // 2.5x: not enough to enter, enough to stay.
    expect(slowEndpoints([...zoneA(250), ...zoneB(100)], { factor: 3, minAddedMs: 50 }, new Set())).toEqual(new Set());
    expect(slowEndpoints([...zoneA(250), ...zoneB(100)], { factor: 3, minAddedMs: 50 }, slow)).toEqual(slow);
    expect(slowEndpoints([...zoneA(190), ...zoneB(100)], { factor: 3, minAddedMs: 50 }, slow)).toEqual(new Set());
  });

  it('marks a single endpoint far slower than its zone\'s median, and ignores endpoints without a latency yet', () => {
    const samples = [{ key: 'a1', zone: 'zone-a', latencyMs: 400 }, { key: 'a2', zone: 'zone-a', latencyMs: 2 }, ...zoneB(2), { key: 'b3', zone: 'zone-b', latencyMs: undefined }];
    expect(slowEndpoints(samples, config, new Set())).toEqual(new Set(['a1']));
  });

  it('a cluster that is slow everywhere has nothing to spill to: nothing is marked', () => {
    expect(slowEndpoints([...zoneA(300), ...zoneB(310)], config, new Set())).toEqual(new Set());
  });

  it('compares an endpoint with its own zone only: a preferred zone carrying everything is no outlier of an idle one', () => {
    // Zone rule off (held): 300 ms in zone-a against 2 ms in zone-b marks nothing.
    expect(slowEndpoints([...zoneA(300), ...zoneB(2)], config, new Set(), false)).toEqual(new Set());
  });
});

describe('slownessFollowedTraffic', () => {
  const spilled = new Set(['zone-a']);
  it('is true when the spilled zone is fast now and the zone that took its traffic is slow', () => {
    expect(slownessFollowedTraffic([...zoneA(3), ...zoneB(280)], config, spilled, new Set())).toBe(true);
  });
  it('is false while the spilled zone is still slow (a slow zone stays slow without traffic)', () => {
    expect(slownessFollowedTraffic([...zoneA(300), ...zoneB(280)], config, spilled, new Set(['zone-a']))).toBe(false);
  });
  it('is false when the other zone carries the traffic and stays fast (the spill helped)', () => {
    expect(slownessFollowedTraffic([...zoneA(3), ...zoneB(6)], config, spilled, new Set())).toBe(false);
  });
  it('is false with nothing spilled', () => {
    expect(slownessFollowedTraffic([...zoneA(3), ...zoneB(280)], config, new Set(), new Set())).toBe(false);
  });
});
