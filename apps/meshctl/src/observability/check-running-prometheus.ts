import { waitFor, targetHealth } from './check-dashboards.js';
import { checkDashboard, type QueryCheck } from './dashboard-check.js';
import { injectFaults } from './dashboard-faults.js';
import { DASHBOARDS } from './dashboards/index.js';
import type { Dashboard } from './dashboards/grafana-model.js';
import { driveLoad, type LoadSummary } from './mesh-load.js';
import { PrometheusApi } from './prometheus-api.js';

export interface CheckRunningOptions {
  /** A Prometheus that already scrapes a mesh (the compose one: http://127.0.0.1:9090). */
  readonly prometheusUrl: string;
  /** When given, bounded load goes through this gateway first (with faults if toxiproxyUrl is given). */
  readonly gatewayUrl?: string;
  readonly toxiproxyUrl?: string;
  readonly loadMs: number;
  /** Without a gateway: how far back the window reaches, in seconds. */
  readonly lookbackSeconds: number;
  readonly dashboards?: Readonly<Record<string, Dashboard>>;
  readonly log?: (line: string) => void;
}

export interface CheckRunningResult {
  readonly results: readonly QueryCheck[];
  readonly downTargets: readonly string[];
  readonly load?: LoadSummary;
  readonly ok: boolean;
}

const GATEWAY_REQUESTS = 'sum(zonemesh_http_server_requests_total{service="gateway", route!~"/(healthz|metrics)"})';

const seconds = (duration: string | undefined): number => {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(duration ?? '');
  return m ? Number(m[1]) * (m[2] === 'ms' ? 0.001 : m[2] === 'm' ? 60 : 1) : 15;
};

/**
 * `zonemesh dashboards check --prometheus URL`: the same checks as the local
 * mode, against a Prometheus that is already running (compose's, or any
 * other scraping a zonemesh). It starts nothing; with --gateway it drives
 * bounded load (and, with --toxiproxy, the same two short faults, undone
 * afterwards) so every panel has fresh data.
 */
export async function checkRunningPrometheus(options: CheckRunningOptions): Promise<CheckRunningResult> {
  const log = options.log ?? (() => undefined);
  const api = new PrometheusApi(options.prometheusUrl.replace(/\/+$/, ''));
  const targets = await api.targets().catch((error: Error) => {
    throw new Error(`no Prometheus API at ${options.prometheusUrl} (${error.message})`);
  });
  if (targets.length === 0) throw new Error(`Prometheus at ${options.prometheusUrl} has no active targets`);
  const scrape = Math.max(...targets.map((t) => seconds((t as { scrapeInterval?: string }).scrapeInterval)));
  log(`${targets.length} targets, scrape interval ${scrape} s`);
  await waitFor('targets up', 6 * scrape * 1000, async () => ((await targetHealth(api, targets.length)).down.length === 0 ? true : undefined));

  let load: LoadSummary | undefined;
  let start = Math.floor(Date.now() / 1000) - options.lookbackSeconds;
  if (options.gatewayUrl) {
    const value = async () => Number((await api.query(GATEWAY_REQUESTS, Date.now() / 1000))[0]?.value?.[1] ?? 0);
    const before = await value();
    start = Math.floor(Date.now() / 1000) - 2;
    log(`driving load through ${options.gatewayUrl} for ${Math.round(options.loadMs / 1000)} s${options.toxiproxyUrl ? ' (with faults)' : ''}`);
    let restore = async () => undefined as void;
    if (options.toxiproxyUrl) {
      const names = Object.keys((await (await fetch(`${options.toxiproxyUrl}/proxies`, { signal: AbortSignal.timeout(5_000) })).json()) as object).sort();
      restore = await injectFaults(options.toxiproxyUrl, {
        slowed: names.filter((n) => n.startsWith('pricing-v2-')).pop() ?? names[0]!,
        cut: names.find((n) => /^catalog-.*-1$/.test(n)),
        stalled: names.find((n) => /^catalog-.*-2$/.test(n)),
        loadMs: options.loadMs,
      });
    }
    try {
      load = await driveLoad({ gatewayUrl: options.gatewayUrl, durationMs: options.loadMs });
    } finally {
      await restore();
    }
    log(`load done: ${load.sent} requests ${JSON.stringify(load.byStatus)}`);
    // Done when Prometheus has scraped the gateway after the last request, then one more interval for the rest.
    const sent = load.sent;
    await waitFor('last scrape', 6 * scrape * 1000, async () => ((await value()) >= before + sent ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, scrape * 1000));
  }
  const end = Math.ceil(Date.now() / 1000);
  const window = { start, end, stepSeconds: scrape, rateInterval: `${4 * scrape * 2}s` };
  const results: QueryCheck[] = [];
  for (const dashboard of Object.values(options.dashboards ?? DASHBOARDS)) results.push(...(await checkDashboard(api, dashboard, window)));
  const { down } = await targetHealth(api, targets.length);
  return { results, downTargets: down, ...(load ? { load } : {}), ok: down.length === 0 && results.every((r) => !r.problem) };
}
