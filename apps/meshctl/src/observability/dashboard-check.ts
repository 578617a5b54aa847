import type { Dashboard } from './dashboards/grafana-model.js';
import { dashboardQueries, parseLabelValues, substitute, unresolvedVariables } from './dashboard-queries.js';
import { seriesWithData, type PrometheusApi } from './prometheus-api.js';

/** The outcome of one panel query (or variable) against a live Prometheus. */
export interface QueryCheck {
  readonly dashboard: string;
  readonly what: string;
  /** The query as sent, variables substituted. */
  readonly expr: string;
  readonly series: number;
  /** Why it failed; undefined when it returned data. */
  readonly problem?: string;
}

export interface CheckWindow {
  /** Unix seconds. */
  readonly start: number;
  readonly end: number;
  readonly stepSeconds: number;
  /** What `$__rate_interval` becomes, e.g. `10s` for a 1 s scrape interval. */
  readonly rateInterval: string;
}

/**
 * Evaluates every variable and every panel/annotation query of `dashboard`:
 * a variable must have values; each query, with the variables set to all
 * their values, must succeed and return at least one series with a finite
 * sample in the window (range queries) or at its end (instant queries).
 */
export async function checkDashboard(api: PrometheusApi, dashboard: Dashboard, window: CheckWindow): Promise<QueryCheck[]> {
  const results: QueryCheck[] = [];
  const values: Record<string, readonly string[]> = {};
  for (const variable of dashboard.templating.list) {
    const what = `variable $${variable.name}`;
    try {
      const { metric, label } = parseLabelValues(variable);
      const found = await api.labelValues(label, metric, window.start, window.end);
      values[variable.name] = found;
      results.push({ dashboard: dashboard.title, what, expr: variable.query.query, series: found.length, ...(found.length === 0 ? { problem: 'no values' } : {}) });
    } catch (error) {
      values[variable.name] = [];
      results.push({ dashboard: dashboard.title, what, expr: variable.query.query, series: 0, problem: (error as Error).message });
    }
  }
  for (const query of dashboardQueries(dashboard)) {
    const expr = substitute(query.expr, values, window.rateInterval);
    const left = unresolvedVariables(expr);
    if (left.length > 0) {
      results.push({ dashboard: query.dashboard, what: query.what, expr, series: 0, problem: `undefined variable(s): ${left.join(', ')}` });
      continue;
    }
    try {
      const result = query.range ? await api.queryRange(expr, window.start, window.end, window.stepSeconds) : await api.query(expr, window.end);
      const series = seriesWithData(result);
      results.push({ dashboard: query.dashboard, what: query.what, expr, series, ...(series === 0 ? { problem: 'no data' } : {}) });
    } catch (error) {
      results.push({ dashboard: query.dashboard, what: query.what, expr, series: 0, problem: `query failed: ${(error as Error).message}` });
    }
  }
  return results;
}

/** A fixed-width table: dashboard, panel, series count and OK/the problem. */
export function formatCheckTable(results: readonly QueryCheck[]): string {
  const rows = results.map((r) => [r.dashboard.replace(/^zonemesh \/ /, ''), r.what, String(r.series), r.problem ? `FAIL ${r.problem}` : 'ok']);
  const header = ['dashboard', 'panel / query', 'series', 'result'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
