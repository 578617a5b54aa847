import { describe, expect, it } from 'vitest';
import { ManualLbClock } from '../lb-clock.js';
import type { LatencySample } from './latency-spill.js';
import { LOAD_FOLLOW_HOLD_MS, LatencyWatch } from './latency.watch.js';

const config = { factor: 4, minAddedMs: 200 };
const zones = (a: number, b: number): LatencySample[] => [
  { key: 'a1', zone: 'zone-a', latencyMs: a },
  { key: 'a2', zone: 'zone-a', latencyMs: a },
  { key: 'b1', zone: 'zone-b', latencyMs: b },
  { key: 'b2', zone: 'zone-b', latencyMs: b },
];

function watch(): { clock: ManualLbClock; set(a: number, b: number): void; w: LatencyWatch; holds: Array<{ zones: readonly (string | undefined)[]; until: number }> } {
  const clock = new ManualLbClock();
  let current = zones(5, 5);
  const holds: Array<{ zones: readonly (string | undefined)[]; until: number }> = [];
  const w = new LatencyWatch(clock, () => current, () => undefined, (z, until) => holds.push({ zones: z, until }));
  w.configure(config);
  return { clock, w, holds, set: (a, b) => (current = zones(a, b)) };
}

describe('LatencyWatch', () => {
  it('marks nothing for a spike: a zone slow for one or two evaluations keeps its traffic', () => {
    const { clock, w, set } = watch();
    set(400, 5);
    clock.advance(2000);
    set(5, 5);
    clock.advance(1000);
    set(400, 5);
    clock.advance(2000);
    expect(w.slow.size).toBe(0);
  });

  it('keeps a merely slow zone spilled for as long as it is slow, the zone that took its traffic staying fast', () => {
    const { clock, w, holds, set } = watch();
    set(400, 5);
    clock.advance(2000);
    expect(w.slow.size).toBe(0); // two evaluations: not sustained yet
    clock.advance(1000);
    expect([...w.slow].sort()).toEqual(['a1', 'a2']);
    set(400, 9); // zone-b carries the traffic and stays fast
    for (let i = 0; i < 5; i++) clock.advance(1000);
    expect([...w.slow].sort()).toEqual(['a1', 'a2']);
    set(5, 9); // the fault is gone
    clock.advance(1000);
    expect(w.slow.size).toBe(0);
    expect(holds).toEqual([]);
    expect(w.isHeld()).toBe(false);
  });

  it('holds the zone rule off when the slowness followed the traffic (load), then applies it again', () => {
    const { clock, w, holds, set } = watch();
    set(400, 5); // zone-a loaded with everything
    clock.advance(3000);
    expect([...w.slow].sort()).toEqual(['a1', 'a2']);
    set(5, 400); // spilled: zone-a idle and fast, zone-b now carries the queue
    clock.advance(1000);
    expect(w.slow.size).toBe(0);
    expect(holds).toEqual([{ zones: ['zone-a'], until: clock.now() + LOAD_FOLLOW_HOLD_MS }]);
    expect(w.isHeld()).toBe(true);
    set(400, 5); // back in zone-a: loaded again, but no spill while held
    clock.advance(LOAD_FOLLOW_HOLD_MS - 1000);
    expect(w.slow.size).toBe(0);
    clock.advance(4000); // the hold is over, and the zone is slow for three evaluations again
    expect(w.isHeld()).toBe(false);
    expect([...w.slow].sort()).toEqual(['a1', 'a2']);
  });

  it('still marks an endpoint slow against its own zone while the zone rule is held', () => {
    const clock = new ManualLbClock();
    let current = zones(400, 5);
    const w = new LatencyWatch(clock, () => current, () => undefined);
    w.configure(config);
    clock.advance(3000);
    current = zones(5, 400);
    clock.advance(1000);
    expect(w.isHeld()).toBe(true);
    current = zones(5, 5).map((s) => (s.key === 'b2' ? { ...s, latencyMs: 900 } : s));
    clock.advance(3000);
    expect([...w.slow]).toEqual(['b2']);
  });
});
