import type { InstanceInfo } from './instance-info.js';

export interface InstanceCount {
  readonly app: string;
  readonly zone: string;
  readonly status: string;
  count: number;
}

/**
 * Instances per application, instance zone (metadata `zone`) and status,
 * moved by the store on every add, removal and replacement: a metrics
 * scrape reads a few groups instead of walking 50k instances on the event
 * loop (which took tens of milliseconds per scrape).
 */
export class InstanceCounts {
  private readonly groups = new Map<string, InstanceCount>();

  add(instance: InstanceInfo): void {
    const key = groupKey(instance);
    const group = this.groups.get(key);
    if (group !== undefined) group.count++;
    else this.groups.set(key, { app: instance.app, zone: zoneOf(instance), status: instance.status, count: 1 });
  }

  remove(instance: InstanceInfo): void {
    const key = groupKey(instance);
    const group = this.groups.get(key);
    if (group === undefined) return;
    if (--group.count === 0) this.groups.delete(key);
  }

  snapshot(): InstanceCount[] {
    return [...this.groups.values()].map((group) => ({ ...group }));
  }
}

function zoneOf(instance: InstanceInfo): string {
  return instance.metadata?.zone ?? 'none';
}

function groupKey(instance: InstanceInfo): string {
  return `${instance.app}\u0000${zoneOf(instance)}\u0000${instance.status}`;
}
