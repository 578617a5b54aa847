import type { EndpointChild } from '../policy/endpoint-child.js';
import type { EndpointBalancer } from './endpoint-balancer.js';
import { smoothWeightedSchedule } from './weighted.balancer.js';

/** Weight units of an endpoint outside its ramp (a factor of 0.1 is 10 units)... */
const FULL_WEIGHT = 100;
/** ...scaled down so the schedule stays this short with many endpoints (the rebuild is O(schedule x endpoints)). */
const MAX_SCHEDULE = 4096;

/**
 * Round robin while some endpoints of the level ramp up (slow start): the
 * smooth weighted order of their current factors, precomputed at rebuild
 * (the balancer rebuilds the picker in steps while a ramp lasts), so a pick
 * stays one array read. Levels without a ramping endpoint keep the plain
 * RoundRobinBalancer.
 */
export class SlowStartRoundRobinBalancer implements EndpointBalancer {
  private readonly schedule: Uint32Array;
  private next: number;

  constructor(factors: readonly number[], random: () => number) {
    const unit = Math.min(FULL_WEIGHT, MAX_SCHEDULE / Math.max(1, factors.length));
    this.schedule = smoothWeightedSchedule(factors.map((f) => Math.max(1, Math.round(f * unit))));
    this.next = (random() * this.schedule.length) | 0;
  }

  choose(): number {
    const index = this.schedule[this.next]!;
    this.next = this.next + 1 >= this.schedule.length ? 0 : this.next + 1;
    return index;
  }
}

/**
 * Least request while some endpoints ramp up: two candidates drawn in
 * proportion to their slow-start factors, the one with fewer calls in flight
 * wins (the first drawn on a tie). The weight acts once, in the draw; Envoy
 * (weights unequal) divides weight by (in flight + 1) in an EDF schedule,
 * which comes to the same share while calls are few.
 */
export class SlowStartLeastRequestBalancer implements EndpointBalancer {
  private readonly cumulative: Float64Array;

  constructor(
    private readonly endpoints: readonly EndpointChild[],
    factors: readonly number[],
    private readonly random: () => number,
  ) {
    this.cumulative = new Float64Array(factors.length);
    let sum = 0;
    factors.forEach((f, i) => (this.cumulative[i] = sum += f));
  }

  choose(): number {
    const a = this.draw();
    const b = this.draw();
    return this.endpoints[b]!.counters.inFlight < this.endpoints[a]!.counters.inFlight ? b : a;
  }

  private draw(): number {
    const c = this.cumulative;
    const x = this.random() * c[c.length - 1]!;
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (x < c[mid]!) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}
