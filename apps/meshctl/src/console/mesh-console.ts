import { join } from 'node:path';
import { startConsole, type ConsoleTopology, type ProcessKind, type RunningConsole, type TopologyProcess } from '@zonemesh/console';
import { MeshProcessControl } from '../chaos/mesh-process-control.js';
import type { RunningMesh } from '../mesh/mesh-launcher.js';
import type { AppName, MeshPlan, ProcessSpec } from '../mesh/mesh-plan.js';
import { WORKSPACE_ROOT } from '../workspace.js';

const KINDS: Record<AppName, ProcessKind> = {
  toxiproxy: 'fault-proxy',
  registry: 'registry',
  gateway: 'gateway',
  catalog: 'service',
  pricing: 'service',
  inventory: 'service',
  reviews: 'legacy',
  'registry-sync': 'syncer',
};

/** The processes that balance calls of their own, so have an LB view: the gateway (-> catalog) and catalog (-> pricing, inventory). */
const CALLERS: ReadonlySet<AppName> = new Set(['gateway', 'catalog']);

function adminUrl(spec: ProcessSpec): string | undefined {
  if (!CALLERS.has(spec.app)) return undefined;
  // The gateway serves it beside its API; a gRPC service on its metrics port.
  return spec.app === 'gateway' ? `${spec.url}/admin/clusters` : spec.metricsUrl.replace(/\/metrics$/, '/admin/clusters');
}

/** The plan as the console draws it: every process, its zone, its fault proxy, and which ones have an LB view. */
export function consoleTopology(plan: MeshPlan): ConsoleTopology {
  const processes = plan.all.map((spec): TopologyProcess => {
    const admin = adminUrl(spec);
    return {
      name: spec.name,
      kind: KINDS[spec.app],
      service: spec.app === 'toxiproxy' ? 'fault proxy' : spec.app,
      ...(KINDS[spec.app] === 'service' && spec.version ? { version: spec.version } : {}),
      zone: spec.zone,
      url: spec.url,
      ...(admin ? { adminUrl: admin, metricsUrl: spec.metricsUrl } : {}),
      ...(spec.proxy ? { proxy: spec.proxy.name } : {}),
    };
  });
  return {
    zones: plan.config.zones,
    processes,
    gatewayUrl: plan.gateway.url,
    toxiproxyUrl: plan.toxiproxyUrl ?? '',
    registryUrls: Object.fromEntries(plan.registries.map((r) => [r.zone, r.url])),
  };
}

export interface MeshConsoleOptions {
  readonly host: string;
  readonly port: number;
  readonly prometheusUrl?: string;
  /** How long a crashed process stays down (default 5 s). */
  readonly crashRestartMs?: number;
  /** The registry write credential (`user:pass`): console actions need it too. */
  readonly actionCredential?: string;
}

/**
 * The console for a mesh this CLI runs: crash buttons and kill scenarios act
 * on its processes (as `zonemesh chaos run` does on a private mesh), the
 * shipped scenarios and dashboards come from the workspace, reports go to
 * reports/ like the CLI's.
 */
export function startMeshConsole(mesh: RunningMesh, options: MeshConsoleOptions): Promise<RunningConsole> {
  return startConsole({
    topology: consoleTopology(mesh.plan),
    host: options.host,
    port: options.port,
    processes: new MeshProcessControl(mesh),
    processStates: () =>
      Object.fromEntries(mesh.processes.map((p) => [p.spec.name, p.hasExited ? 'exited' : p.state === 'starting' ? 'starting' : 'running'] as const)),
    ...(options.crashRestartMs !== undefined ? { crashRestartMs: options.crashRestartMs } : {}),
    scenarioDir: join(WORKSPACE_ROOT, 'chaos', 'scenarios'),
    reportDir: join(WORKSPACE_ROOT, 'reports'),
    dashboardsDir: join(WORKSPACE_ROOT, 'infra', 'grafana', 'dashboards'),
    ...(options.prometheusUrl ? { prometheusUrl: options.prometheusUrl } : {}),
    ...(options.actionCredential ? { actionCredential: options.actionCredential } : {}),
  });
}
