import type { ResolvedEndpoint } from '@zonemesh/lb';
import { decodeInstanceEndpoint } from './eureka-app.decoder.js';

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);

interface LocalInstance {
  readonly status: string;
  /** Undefined when the instance has no usable address: counted in the hash, never handed out. */
  readonly endpoint: ResolvedEndpoint | undefined;
}

/** A registry body was not `{"applications":{...}}`. */
export class RegistryBodyError extends Error {}

function applicationsOf(body: unknown): Json {
  const applications = isObject(body) ? body.applications : undefined;
  if (!isObject(applications)) throw new RegistryBodyError('expected {"applications":{...}}');
  return applications;
}

function* instancesOf(applications: Json): Iterable<{ app: string; raw: Json }> {
  for (const application of asArray(applications.application)) {
    if (!isObject(application)) continue;
    for (const raw of asArray(application.instance)) {
      if (!isObject(raw)) continue;
      const app = String(application.name ?? raw.app ?? '').toUpperCase();
      if (app !== '') yield { app, raw };
    }
  }
}

function idOf(raw: Json): string | undefined {
  const id = raw.instanceId ?? raw.hostName;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * The client's copy of the whole registry (Eureka DiscoveryClient's
 * localRegionApps): replaced by a full fetch, patched by deltas
 * (ADDED/MODIFIED replace, DELETED removes), and checked against the
 * server's `apps__hashcode` after each delta.
 */
export class LocalRegistry {
  private apps = new Map<string, Map<string, LocalInstance>>();

  /** Replaces everything with a `GET /apps` body; returns the server's apps__hashcode. */
  applyFull(body: unknown): string {
    const applications = applicationsOf(body);
    const next = new Map<string, Map<string, LocalInstance>>();
    for (const { app, raw } of instancesOf(applications)) this.put(next, app, raw);
    this.apps = next;
    return String(applications.apps__hashcode ?? '');
  }

  /** Merges a `GET /apps/delta` body; returns the server's apps__hashcode (over its full registry). */
  applyDelta(body: unknown): string {
    const applications = applicationsOf(body);
    for (const { app, raw } of instancesOf(applications)) {
      if (raw.actionType === 'DELETED') {
        const id = idOf(raw);
        const instances = this.apps.get(app);
        if (id !== undefined && instances !== undefined) {
          instances.delete(id);
          if (instances.size === 0) this.apps.delete(app);
        }
      } else {
        this.put(this.apps, app, raw);
      }
    }
    return String(applications.apps__hashcode ?? '');
  }

  /** Eureka's reconcile hash code: `STATUS_count_` per status, sorted by status name. */
  hashcode(): string {
    const counts = new Map<string, number>();
    for (const instances of this.apps.values()) {
      for (const instance of instances.values()) counts.set(instance.status, (counts.get(instance.status) ?? 0) + 1);
    }
    return [...counts.keys()]
      .sort()
      .map((status) => `${status}_${counts.get(status)}_`)
      .join('');
  }

  /** The UP instances of `app` as endpoints, sorted by id so equal registries give equal lists. */
  upEndpoints(app: string): ResolvedEndpoint[] {
    const endpoints: ResolvedEndpoint[] = [];
    for (const instance of this.apps.get(app.toUpperCase())?.values() ?? []) {
      if (instance.status === 'UP' && instance.endpoint !== undefined) endpoints.push(instance.endpoint);
    }
    return endpoints.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  size(): number {
    let count = 0;
    for (const instances of this.apps.values()) count += instances.size;
    return count;
  }

  private put(apps: Map<string, Map<string, LocalInstance>>, app: string, raw: Json): void {
    const id = idOf(raw);
    if (id === undefined) return;
    let instances = apps.get(app);
    if (instances === undefined) apps.set(app, (instances = new Map()));
    instances.set(id, { status: String(raw.status ?? 'UNKNOWN').toUpperCase(), endpoint: decodeInstanceEndpoint(raw) });
  }
}
