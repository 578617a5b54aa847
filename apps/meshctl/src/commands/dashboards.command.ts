import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { checkDashboards } from '../observability/check-dashboards.js';
import { checkRunningPrometheus } from '../observability/check-running-prometheus.js';
import { formatCheckTable, type QueryCheck } from '../observability/dashboard-check.js';
import { writeDashboards } from '../observability/render-dashboards.js';
import { WORKSPACE_ROOT } from '../workspace.js';
import { UsageError } from '../cli/usage-error.js';

export const DASHBOARDS_USAGE = `zonemesh dashboards render
  Writes infra/grafana/dashboards/*.json from the typed dashboard code.
zonemesh dashboards check [--config mesh.yaml] [--load-seconds 12]
  Runs the mesh on free ports under load with a real Prometheus (/usr/bin/prometheus)
  and evaluates every dashboard variable and panel query; exit 1 if any returns no data.
zonemesh dashboards check --prometheus URL [--gateway URL [--toxiproxy URL] [--load-seconds 20]] [--lookback 10m]
  The same checks against a Prometheus that is already running (e.g. compose's); starts
  nothing. With --gateway it first drives bounded load (and with --toxiproxy two short
  faults, undone after); without, it checks the last --lookback of data.`;

export async function dashboardsCommand(argv: string[]): Promise<number> {
  const [action, ...rest] = argv;
  if (action === 'render') {
    parseArgs({ args: rest, options: {}, strict: true });
    const changed = await writeDashboards();
    console.log(changed.length === 0 ? 'dashboards up to date' : changed.map((p) => `wrote ${relative(WORKSPACE_ROOT, p)}`).join('\n'));
    return 0;
  }
  if (action === 'check') {
    const { values } = parseArgs({
      args: rest,
      options: {
        config: { type: 'string', default: 'mesh.yaml' },
        'load-seconds': { type: 'string' },
        prometheus: { type: 'string' },
        gateway: { type: 'string' },
        toxiproxy: { type: 'string' },
        lookback: { type: 'string', default: '10m' },
      },
      strict: true,
    });
    const seconds = Number(values['load-seconds'] ?? (values.prometheus ? '20' : '12'));
    if (!Number.isFinite(seconds) || seconds < 1 || seconds > 300) throw new UsageError(`--load-seconds: expected 1-300, got "${values['load-seconds']}"`);
    const log = (line: string) => console.error(`dashboards: ${line}`);
    if (values.prometheus === undefined) {
      if (values.gateway || values.toxiproxy) throw new UsageError('--gateway and --toxiproxy go with --prometheus (without it the check runs its own mesh)');
    } else {
      for (const flag of ['prometheus', 'gateway', 'toxiproxy'] as const) {
        if (values[flag] !== undefined && !/^https?:\/\/[^/\s]+\/?$/.test(values[flag]!)) throw new UsageError(`--${flag}: expected a URL like http://127.0.0.1:9090, got "${values[flag]}"`);
      }
      if (values.toxiproxy && !values.gateway) throw new UsageError('--toxiproxy needs --gateway (faults only make sense under load)');
      const lookback = /^(\d+)(s|m|h)$/.exec(values.lookback!);
      if (!lookback) throw new UsageError(`--lookback: expected a duration like 10m, got "${values.lookback}"`);
      let result;
      try {
        result = await checkRunningPrometheus({
          prometheusUrl: values.prometheus,
          ...(values.gateway ? { gatewayUrl: values.gateway.replace(/\/$/, '') } : {}),
          ...(values.toxiproxy ? { toxiproxyUrl: values.toxiproxy.replace(/\/$/, '') } : {}),
          loadMs: seconds * 1000,
          lookbackSeconds: Number(lookback[1]) * { s: 1, m: 60, h: 3600 }[lookback[2] as 's' | 'm' | 'h'],
          log,
        });
      } catch (error) {
        throw new UsageError(`dashboards check: ${(error as Error).message}`);
      }
      return reportCheck(result, `Prometheus ${values.prometheus}`);
    }
    const result = await checkDashboards({ meshFile: values.config!, loadMs: seconds * 1000, log });
    return reportCheck(result, `work dir ${result.workDir}`);
  }
  console.error(DASHBOARDS_USAGE);
  return 2;
}

/** Prints the table, the down targets and failures, and the verdict line; the exit code. */
function reportCheck(result: { results: readonly QueryCheck[]; downTargets: readonly string[]; ok: boolean }, where: string): number {
  console.log(formatCheckTable(result.results));
  for (const target of result.downTargets) console.log(`target down: ${target}`);
  const failed = result.results.filter((r) => r.problem);
  for (const r of failed) console.log(`FAIL ${r.dashboard} / ${r.what}: ${r.problem}\n  ${r.expr}`);
  console.log(
    result.ok
      ? `dashboards check passed: ${result.results.length} queries returned data`
      : `dashboards check FAILED: ${failed.length} of ${result.results.length} queries without data, ${result.downTargets.length} targets down (${where})`,
  );
  return result.ok ? 0 : 1;
}
