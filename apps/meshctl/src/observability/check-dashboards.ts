import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMeshConfig, withFreePorts } from '../mesh/mesh-config.js';
import { startMesh, type RunningMesh } from '../mesh/mesh-launcher.js';
import { planMesh } from '../mesh/mesh-plan.js';
import { freePort } from '../mesh/ports.js';
import { checkDashboard, type QueryCheck } from './dashboard-check.js';
import { injectFaults } from './dashboard-faults.js';
import { DASHBOARDS } from './dashboards/index.js';
import type { Dashboard } from './dashboards/grafana-model.js';
import { driveLoad, type LoadSummary } from './mesh-load.js';
import { PrometheusApi } from './prometheus-api.js';
import { prometheusConfigForPlan, renderPrometheusConfig } from './prometheus-config.js';
import { findPrometheus, startPrometheus, type RunningPrometheus } from './prometheus-process.js';

export interface CheckDashboardsOptions {
  /** mesh.yaml to run (on free ports). */
  readonly meshFile: string;
  readonly dashboards?: Readonly<Record<string, Dashboard>>;
  /** Load duration, default 12 s. */
  readonly loadMs?: number;
  readonly log?: (line: string) => void;
  /** Where logs and the Prometheus data go; default a new temp dir. */
  readonly workDir?: string;
}

export interface CheckDashboardsResult {
  readonly results: readonly QueryCheck[];
  /** Targets Prometheus could not scrape at the end (`job instance: error`). */
  readonly downTargets: readonly string[];
  readonly load: LoadSummary;
  readonly workDir: string;
  readonly ok: boolean;
}

const SCRAPE_SECONDS = 1;

export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export async function targetHealth(api: PrometheusApi, expected: number): Promise<{ up: number; down: string[] }> {
  const targets = await api.targets();
  const down = targets.filter((t) => t.health !== 'up').map((t) => `${t.labels.job} ${t.labels.instance}: ${t.lastError || t.health}`);
  return { up: targets.length - down.length, down: targets.length < expected ? [...down, `only ${targets.length} of ${expected} targets known`] : down };
}

/**
 * `zonemesh dashboards check`: the mesh on free ports, a real Prometheus
 * scraping it every second, bounded load with faults, then every dashboard
 * variable and query evaluated. Everything started is stopped before it returns.
 */
export async function checkDashboards(options: CheckDashboardsOptions): Promise<CheckDashboardsResult> {
  const log = options.log ?? (() => undefined);
  findPrometheus();
  const workDir = options.workDir ?? (await mkdtemp(join(tmpdir(), 'zonemesh-dashboards-')));
  const loadMs = options.loadMs ?? 12_000;
  const plan = await planMesh(withFreePorts(await loadMeshConfig(options.meshFile)));
  let mesh: RunningMesh | undefined;
  let prometheus: RunningPrometheus | undefined;
  try {
    log(`starting the mesh (${plan.all.length} processes; logs in ${workDir}/logs)`);
    mesh = await startMesh(plan, { logDir: join(workDir, 'logs'), readyTimeoutMs: 90_000 });

    const configPath = join(workDir, 'prometheus.yml');
    await writeFile(configPath, renderPrometheusConfig(prometheusConfigForPlan(plan, { scrapeInterval: `${SCRAPE_SECONDS}s` })));
    const port = await freePort(plan.config.host);
    log(`starting prometheus on ${plan.config.host}:${port}`);
    prometheus = await startPrometheus({ configPath, dataDir: join(workDir, 'prometheus-data'), host: plan.config.host, port, logPath: join(workDir, 'prometheus.log') });
    const api = new PrometheusApi(prometheus.url);

    // The first scrape lands a few seconds after start: poll the targets.
    await waitFor('targets up', 30_000, async () => ((await targetHealth(api, plan.all.length)).down.length === 0 ? true : undefined));
    const start = Math.floor(Date.now() / 1000) - 2;
    log(`driving load through ${plan.gateway.url} for ${Math.round(loadMs / 1000)} s (with faults)`);
    const other = plan.config.zones.find((z) => z !== plan.gateway.zone) ?? plan.gateway.zone;
    const names = plan.proxies.map((p) => p.name);
    const restore = plan.toxiproxy
      ? await injectFaults(plan.toxiproxy.url, {
          slowed: names.find((n) => n.startsWith(`pricing-v2-${other}-`)) ?? names[0]!,
          cut: names.find((n) => n === `catalog-${plan.gateway.zone}-1`),
          stalled: names.find((n) => n === `catalog-${plan.gateway.zone}-2`),
          loadMs,
        })
      : async () => undefined;
    const load = await driveLoad({ gatewayUrl: plan.gateway.url, durationMs: loadMs });
    await restore();
    log(`load done: ${load.sent} requests ${JSON.stringify(load.byStatus)}`);

    // Done when Prometheus has scraped the gateway after the last request.
    await waitFor('last scrape', 20_000, async () => {
      const [sample] = await api.query('sum(zonemesh_http_server_requests_total{service="gateway", route!~"/(healthz|metrics)"})', Date.now() / 1000);
      return sample?.value && Number(sample.value[1]) >= load.sent ? true : undefined;
    });
    // One more scrape interval so every target has been scraped after the load.
    await new Promise((resolve) => setTimeout(resolve, 2 * SCRAPE_SECONDS * 1000));
    const end = Math.ceil(Date.now() / 1000);
    const window = { start, end, stepSeconds: SCRAPE_SECONDS, rateInterval: `${4 * SCRAPE_SECONDS * 2}s` };
    const results: QueryCheck[] = [];
    for (const dashboard of Object.values(options.dashboards ?? DASHBOARDS)) results.push(...(await checkDashboard(api, dashboard, window)));
    const { down } = await targetHealth(api, plan.all.length);
    return { results, downTargets: down, load, workDir, ok: down.length === 0 && results.every((r) => !r.problem) };
  } finally {
    await prometheus?.stop();
    await mesh?.stop();
  }
}
