/** Health of one zone as Envoy's priority/locality load calculation sees it. */
export interface ZoneHealth {
  readonly healthy: number;
  readonly total: number;
}

/**
 * Envoy's priority load with overprovisioning: a level's health is its
 * healthy share divided by `healthyThreshold` (1/overprovisioning factor,
 * 0.72 ≈ 1/1.4), capped at 1. Levels take load in order, each at most its
 * health, until 100% is assigned; when the healths add up to less than 100%
 * the loads are scaled up proportionally (Envoy's normalisation).
 */
export function zoneLoads(levels: readonly ZoneHealth[], healthyThreshold: number): number[] {
  const loads = levels.map(() => 0);
  let remaining = 1;
  for (let i = 0; i < levels.length && remaining > 0; i += 1) {
    const { healthy, total } = levels[i]!;
    const health = total === 0 ? 0 : Math.min(1, healthy / total / healthyThreshold);
    const load = Math.min(remaining, health);
    loads[i] = load;
    remaining -= load;
  }
  const assigned = 1 - remaining;
  if (assigned > 0 && assigned < 1) for (let i = 0; i < loads.length; i += 1) loads[i]! /= assigned;
  // Float noise must not make "100% local" look like a spill.
  return loads.map((l) => (Math.abs(l - 1) < 1e-9 ? 1 : Math.abs(l) < 1e-9 ? 0 : l));
}
