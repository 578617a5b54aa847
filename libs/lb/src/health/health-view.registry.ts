import type { EndpointHealthView } from './endpoint-health.view.js';

const views = new Map<string, EndpointHealthView>();
const watchers = new Map<string, Set<() => void>>();

/**
 * Lets an application (or a test) supply the health of a cluster's endpoints
 * from outside, e.g. one ActiveHealthChecker shared by several channels. The
 * zonemesh balancers of channels whose cluster has this name combine it with
 * their own `health_checks`. Returns the removal.
 */
export function registerEndpointHealthView(cluster: string, view: EndpointHealthView): () => void {
  views.set(cluster, view);
  notify(cluster);
  return () => {
    if (views.get(cluster) !== view) return;
    views.delete(cluster);
    notify(cluster);
  };
}

export function registeredHealthView(cluster: string): EndpointHealthView | undefined {
  return views.get(cluster);
}

/** Calls `onChange` whenever the registered view of `cluster` is replaced or removed. */
export function watchHealthViewRegistration(cluster: string, onChange: () => void): () => void {
  let set = watchers.get(cluster);
  if (!set) watchers.set(cluster, (set = new Set()));
  set.add(onChange);
  return () => set.delete(onChange);
}

function notify(cluster: string): void {
  for (const watcher of watchers.get(cluster) ?? []) watcher();
}

/**
 * Health across several views (one per configured health check, plus a
 * registered one): unhealthy if any says unhealthy, healthy if any says
 * healthy and none unhealthy, unknown otherwise.
 */
export class CombinedHealthView implements EndpointHealthView {
  constructor(private readonly views: readonly EndpointHealthView[]) {}

  isHealthy(endpointId: string): boolean | undefined {
    let result: boolean | undefined;
    for (const view of this.views) {
      const healthy = view.isHealthy(endpointId);
      if (healthy === false) return false;
      if (healthy === true) result = true;
    }
    return result;
  }

  /** The latest failed check any view knows of; undefined if an unhealthy view cannot say (the failure then counts as current). */
  lastFailureAt(endpointId: string): number | undefined {
    let latest: number | undefined;
    for (const view of this.views) {
      const at = view.lastFailureAt?.(endpointId);
      if (at === undefined && view.isHealthy(endpointId) === false) return undefined;
      if (at !== undefined) latest = latest === undefined ? at : Math.max(latest, at);
    }
    return latest;
  }

  onChange(listener: (endpointId: string) => void): () => void {
    const removals = this.views.map((view) => view.onChange((id: string) => listener(id)));
    return () => removals.forEach((remove) => remove());
  }
}
