import type { InstanceInfo } from './instance-info.js';

/**
 * Eureka's `apps__hashcode`: instance counts per status, sorted by status
 * name, as `STATUS_count_` (e.g. `DOWN_1_UP_2_`); `""` when empty. Clients
 * compare it with their local copy after applying a delta and fall back to a
 * full fetch when it differs, so it is always computed over the full registry.
 */
export function appsHashcode(instances: Iterable<InstanceInfo>): string {
  const counts = new Map<string, number>();
  for (const instance of instances) counts.set(instance.status, (counts.get(instance.status) ?? 0) + 1);
  return [...counts.keys()]
    .sort()
    .map((status) => `${status}_${counts.get(status)}_`)
    .join('');
}
