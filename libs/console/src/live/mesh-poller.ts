import type { ConsoleTopology, ProcessStates } from '../console-options.js';
import { fetchJson, fetchText } from './fetch-json.js';
import { sumHistograms } from './latency-histogram.js';
import type { CallerView, MeshSample, ProxyState, ViewCluster } from './mesh-sample.js';

const LATENCY_METRIC = 'zonemesh_grpc_client_request_duration_seconds';

/**
 * Takes one sample of the whole mesh: every caller's /admin/clusters and
 * /metrics, the fault proxy's /proxies and every registry's /eureka/apps, all
 * at once. One poller serves every open page, so ten browsers cost the mesh
 * what one does.
 */
export class MeshPoller {
  constructor(
    private readonly topology: ConsoleTopology,
    private readonly processStates?: ProcessStates,
    private readonly timeoutMs = 1_000,
  ) {}

  async sample(): Promise<MeshSample> {
    const callers = this.topology.processes.filter((p) => p.adminUrl);
    const [views, texts, proxies, registries] = await Promise.all([
      Promise.all(callers.map(async (p) => toView(p.name, await fetchJson(p.adminUrl!, this.timeoutMs)))),
      Promise.all(callers.filter((p) => p.metricsUrl).map((p) => fetchText(p.metricsUrl!, this.timeoutMs))),
      fetchJson(`${this.topology.toxiproxyUrl}/proxies`, this.timeoutMs),
      Promise.all(
        Object.entries(this.topology.registryUrls).map(
          async ([zone, url]) => [zone, toStatuses(await fetchJson(`${url}/eureka/apps`, this.timeoutMs))] as const,
        ),
      ),
    ]);
    return {
      t: Date.now(),
      views: views.filter((v): v is CallerView => v !== undefined),
      latency: sumHistograms(texts.filter((t): t is string => t !== undefined), LATENCY_METRIC, 'cluster'),
      proxies: toProxies(proxies),
      registries: Object.fromEntries(registries.filter(([, s]) => s !== undefined)) as Record<string, Record<string, string>>,
      processes: this.processStates?.(),
    };
  }
}

function toView(caller: string, document: unknown): CallerView | undefined {
  const clusters = (document as { clusters?: unknown } | undefined)?.clusters;
  if (!Array.isArray(clusters)) return undefined;
  return { caller, clusters: clusters.filter((c): c is ViewCluster => typeof c?.cluster === 'string' && Array.isArray(c?.endpoints)) };
}

function toProxies(document: unknown): Record<string, ProxyState> | undefined {
  if (!document || typeof document !== 'object') return undefined;
  const out: Record<string, ProxyState> = {};
  for (const [name, proxy] of Object.entries(document as Record<string, { enabled?: boolean; toxics?: { type?: string }[] }>)) {
    out[name] = { enabled: proxy.enabled !== false, toxics: (proxy.toxics ?? []).map((t) => String(t.type)) };
  }
  return out;
}

/** Eureka's JSON apps document -> instance id -> status; undefined when the registry did not answer. */
function toStatuses(document: unknown): Record<string, string> | undefined {
  const apps = (document as { applications?: { application?: unknown } } | undefined)?.applications?.application;
  if (apps === undefined) return document === undefined ? undefined : {};
  const out: Record<string, string> = {};
  for (const app of [apps].flat() as { instance?: unknown }[]) {
    for (const instance of [app.instance ?? []].flat() as { instanceId?: string; status?: string }[]) {
      if (instance.instanceId) out[instance.instanceId] = instance.status ?? 'UNKNOWN';
    }
  }
  return out;
}
