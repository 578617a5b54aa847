import type { EndpointChild } from '../policy/endpoint-child.js';
import type { EndpointBalancer } from './endpoint-balancer.js';

/** Longest schedule precomputed; larger weight sums are scaled down to it. */
const MAX_SCHEDULE = 4096;

/**
 * Weighted round robin on metadata `weight` (default 1), as Spring Cloud's
 * weighted supplier reads it. The smooth weighted round-robin order (nginx's
 * algorithm, which interleaves instead of sending bursts) is precomputed at
 * rebuild, so a pick is one array read. Starts at a random offset.
 */
export class WeightedBalancer implements EndpointBalancer {
  private readonly schedule: Uint32Array;
  private next: number;

  constructor(endpoints: readonly EndpointChild[], random: () => number) {
    const raw = endpoints.map((e) => e.weight);
    const sum = raw.reduce((a, b) => a + b, 0);
    const scale = sum > MAX_SCHEDULE ? MAX_SCHEDULE / sum : 1;
    this.schedule = smoothWeightedSchedule(raw.map((w) => Math.max(1, Math.round(w * scale))));
    this.next = (random() * this.schedule.length) | 0;
  }

  choose(): number {
    const index = this.schedule[this.next]!;
    this.next = this.next + 1 >= this.schedule.length ? 0 : this.next + 1;
    return index;
  }
}

/** nginx's smooth weighted round-robin order for whole-number weights: one slot per weight unit, interleaved. */
export function smoothWeightedSchedule(weights: readonly number[]): Uint32Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const current = weights.map(() => 0);
  const schedule = new Uint32Array(total);
  for (let slot = 0; slot < total; slot += 1) {
    let best = 0;
    for (let i = 0; i < weights.length; i += 1) {
      current[i]! += weights[i]!;
      if (current[i]! > current[best]!) best = i;
    }
    current[best]! -= total;
    schedule[slot] = best;
  }
  return schedule;
}
