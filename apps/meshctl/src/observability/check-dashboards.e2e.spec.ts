import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from '../workspace.js';
import { checkDashboards } from './check-dashboards.js';
import { formatCheckTable } from './dashboard-check.js';
import { PROMETHEUS_BINARY } from './prometheus-process.js';

const hasPrometheus = existsSync(process.env.ZONEMESH_PROMETHEUS_BINARY || PROMETHEUS_BINARY);
if (!hasPrometheus) console.log(`dashboards check skipped: no prometheus at ${PROMETHEUS_BINARY} (apt-get install prometheus)`);

/**
 * `zonemesh dashboards check` end to end: the real mesh, a real Prometheus,
 * load with faults; every variable and panel query of every dashboard must
 * return data. Needs the workspace built (npm run build), like mesh.e2e.
 */
describe.skipIf(!hasPrometheus)('dashboards check (real Prometheus, real mesh)', () => {
  it('every dashboard variable and panel query returns data, every target is up', async () => {
    const lines: string[] = [];
    const result = await checkDashboards({ meshFile: join(WORKSPACE_ROOT, 'mesh.yaml'), loadMs: 8_000, log: (l) => lines.push(l) });
    const report = `${formatCheckTable(result.results)}\n${result.downTargets.map((t) => `down: ${t}`).join('\n')}`;
    expect(result.load.sent, lines.join('\n')).toBeGreaterThan(50);
    // The mix reached v2 and the error path.
    expect(result.load.byStatus['404'], JSON.stringify(result.load.byStatus)).toBeGreaterThan(0);
    expect(result.downTargets, report).toEqual([]);
    expect(result.results.filter((r) => r.problem).map((r) => `${r.dashboard} / ${r.what}: ${r.problem}`), report).toEqual([]);
    expect(result.results.length).toBeGreaterThan(30);
  }, 170_000);
});
