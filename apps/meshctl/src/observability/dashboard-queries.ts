import type { Dashboard, PrometheusAnnotation, QueryVariable } from './dashboards/grafana-model.js';

/** One query a dashboard will run: a panel target or an annotation. */
export interface DashboardQuery {
  readonly dashboard: string;
  /** `Panel title [A]` or `annotation: Fault windows`. */
  readonly what: string;
  readonly expr: string;
  /** Range queries draw time series and annotations; instant ones feed stat panels. */
  readonly range: boolean;
}

/** Every query of a dashboard, panels in layout order, then annotations. */
export function dashboardQueries(dashboard: Dashboard): DashboardQuery[] {
  const queries: DashboardQuery[] = [];
  for (const panel of dashboard.panels) {
    if (panel.type === 'row') continue;
    for (const target of panel.targets) {
      const what = panel.targets.length > 1 ? `${panel.title} [${target.refId}]` : panel.title;
      queries.push({ dashboard: dashboard.title, what, expr: target.expr, range: target.range });
    }
  }
  for (const a of dashboard.annotations.list) {
    if ('expr' in a) queries.push({ dashboard: dashboard.title, what: `annotation: ${(a as PrometheusAnnotation).name}`, expr: a.expr, range: true });
  }
  return queries;
}

/** `label_values(metric, label)` parsed; the only variable query zonemesh dashboards use. */
export function parseLabelValues(variable: QueryVariable): { metric: string; label: string } {
  const match = /^label_values\(\s*([^,]+?)\s*,\s*([A-Za-z_][A-Za-z0-9_]*)\s*\)$/.exec(variable.query.query);
  if (!match) throw new Error(`variable ${variable.name}: unsupported query ${JSON.stringify(variable.query.query)}`);
  return { metric: match[1]!, label: match[2]! };
}

const escapeRegex = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&');

/**
 * Replaces `$name` / `${name}` the way Grafana does for a multi-value
 * variable inside a regex matcher: `(v1|v2)` with regex characters escaped;
 * and the built-in `$__rate_interval`.
 */
export function substitute(expr: string, values: Readonly<Record<string, readonly string[]>>, rateInterval: string): string {
  let out = expr.replaceAll('$__rate_interval', rateInterval);
  for (const [name, list] of Object.entries(values)) {
    const text = list.length === 1 ? escapeRegex(list[0]!) : `(${list.map(escapeRegex).join('|')})`;
    out = out.replace(new RegExp(`\\$\\{${name}\\}|\\$${name}\\b`, 'g'), () => text);
  }
  return out;
}

/** Variables left unsubstituted (a typo in a panel, or a variable the dashboard does not define). */
export function unresolvedVariables(expr: string): string[] {
  return [...expr.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g)].map((m) => m[1]!);
}
