import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { MeshError } from '../mesh/mesh-error.js';
import { checkDashboards } from '../observability/check-dashboards.js';
import { formatCheckTable } from '../observability/dashboard-check.js';
import { writeDashboards } from '../observability/render-dashboards.js';
import { WORKSPACE_ROOT } from '../workspace.js';

export const DASHBOARDS_USAGE = `zonemesh dashboards render
  Writes infra/grafana/dashboards/*.json from the typed dashboard code.
zonemesh dashboards check [--config mesh.yaml] [--load-seconds 12]
  Runs the mesh on free ports under load with a real Prometheus (/usr/bin/prometheus)
  and evaluates every dashboard variable and panel query; exit 1 if any returns no data.`;

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
      options: { config: { type: 'string', default: 'mesh.yaml' }, 'load-seconds': { type: 'string', default: '12' } },
      strict: true,
    });
    const seconds = Number(values['load-seconds']);
    if (!Number.isFinite(seconds) || seconds < 1 || seconds > 300) throw new MeshError(`--load-seconds: expected 1-300, got "${values['load-seconds']}"`);
    const result = await checkDashboards({ meshFile: values.config!, loadMs: seconds * 1000, log: (line) => console.error(`dashboards: ${line}`) });
    console.log(formatCheckTable(result.results));
    for (const target of result.downTargets) console.log(`target down: ${target}`);
    const failed = result.results.filter((r) => r.problem);
    for (const r of failed) console.log(`FAIL ${r.dashboard} / ${r.what}: ${r.problem}\n  ${r.expr}`);
    console.log(
      result.ok
        ? `dashboards check passed: ${result.results.length} queries returned data`
        : `dashboards check FAILED: ${failed.length} of ${result.results.length} queries without data, ${result.downTargets.length} targets down (work dir ${result.workDir})`,
    );
    return result.ok ? 0 : 1;
  }
  console.error(DASHBOARDS_USAGE);
  return 2;
}
