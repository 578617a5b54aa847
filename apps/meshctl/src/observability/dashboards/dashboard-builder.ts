import type {
  BuiltInAnnotation,
  Dashboard,
  DashboardPanel,
  DataSourceRef,
  FieldConfig,
  Panel,
  PrometheusAnnotation,
  PrometheusTarget,
  QueryVariable,
  Unit,
} from './grafana-model.js';

/** The datasource provisioned by infra/grafana/provisioning/datasources/prometheus.yml. */
export const PROMETHEUS: DataSourceRef = { type: 'prometheus', uid: 'zonemesh-prometheus' };

/** One query of a panel, before refIds are assigned. */
export interface QuerySpec {
  readonly expr: string;
  readonly legend?: string;
}

export interface PanelSpec {
  readonly title: string;
  readonly description: string;
  readonly queries: readonly QuerySpec[];
  readonly unit?: Unit;
  readonly kind?: 'timeseries' | 'stat';
  /** Grid columns, default 12 (half width); 24 is full width. */
  readonly width?: number;
  readonly height?: number;
  readonly stacked?: boolean;
  readonly max?: number;
}

export interface RowSpec {
  readonly row: string;
  readonly panels: readonly PanelSpec[];
}

export interface DashboardSpec {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly variables: readonly QueryVariable[];
  readonly annotations?: readonly PrometheusAnnotation[];
  readonly rows: readonly RowSpec[];
}

/** A multi-value `label_values(metric, label)` variable defaulting to All. */
export function labelVariable(name: string, label: string, metric: string): QueryVariable {
  const definition = `label_values(${metric}, ${name})`;
  return {
    type: 'query',
    name,
    label,
    datasource: PROMETHEUS,
    query: { query: definition, refId: `${name}-values` },
    definition,
    refresh: 1,
    multi: true,
    includeAll: true,
    allValue: '.*',
    current: { text: 'All', value: ['$__all'] },
    sort: 1,
  };
}

/** Annotation regions wherever `expr` has samples (e.g. a fault being active). */
export function annotation(name: string, expr: string, titleFormat: string, iconColor = 'red'): PrometheusAnnotation {
  return { name, datasource: PROMETHEUS, enable: true, hide: false, iconColor, expr, step: '5s', titleFormat, textFormat: '', tagKeys: 'proxy', useValueForTime: false };
}

const BUILT_IN: BuiltInAnnotation = {
  name: 'Annotations & Alerts',
  builtIn: 1,
  datasource: { type: 'grafana', uid: '-- Grafana --' },
  enable: true,
  hide: true,
  iconColor: 'rgba(0, 211, 255, 1)',
  type: 'dashboard',
};

function fieldConfig(spec: PanelSpec): FieldConfig {
  return {
    defaults: {
      ...(spec.unit ? { unit: spec.unit } : {}),
      ...(spec.unit === 'percentunit' ? { min: 0, max: spec.max ?? 1 } : spec.max !== undefined ? { max: spec.max } : {}),
      ...(spec.kind === 'stat' ? {} : { custom: { drawStyle: 'line', fillOpacity: spec.stacked ? 30 : 10, stacking: { mode: spec.stacked ? 'normal' : 'none' } } }),
    },
    overrides: [],
  };
}

function panel(spec: PanelSpec, id: number, x: number, y: number): Panel {
  const stat = spec.kind === 'stat';
  const targets: PrometheusTarget[] = spec.queries.map((q, i) => ({
    refId: String.fromCharCode(65 + i),
    datasource: PROMETHEUS,
    expr: q.expr,
    ...(q.legend ? { legendFormat: q.legend } : {}),
    range: !stat,
    instant: stat,
  }));
  const base = {
    id,
    title: spec.title,
    description: spec.description,
    gridPos: { x, y, w: spec.width ?? 12, h: spec.height ?? (stat ? 4 : 8) },
    datasource: PROMETHEUS,
    targets,
    fieldConfig: fieldConfig(spec),
  };
  if (stat) {
    return {
      ...base,
      type: 'stat',
      options: {
        reduceOptions: { calcs: ['lastNotNull'], fields: '', values: false },
        colorMode: 'value',
        graphMode: 'area',
        textMode: 'value_and_name',
      },
    };
  }
  return {
    ...base,
    type: 'timeseries',
    options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'desc' } },
  };
}

/**
 * Lays rows and panels out left to right, wrapping at 24 columns, with
 * stable ids: the rendered JSON only changes when the spec does.
 */
export function buildDashboard(spec: DashboardSpec): Dashboard {
  const panels: DashboardPanel[] = [];
  let id = 1;
  let y = 0;
  for (const row of spec.rows) {
    panels.push({ id: id++, type: 'row', title: row.row, gridPos: { x: 0, y, w: 24, h: 1 }, collapsed: false, panels: [] });
    y += 1;
    let x = 0;
    let rowHeight = 0;
    for (const p of row.panels) {
      const w = p.width ?? 12;
      if (x + w > 24) {
        y += rowHeight;
        x = 0;
        rowHeight = 0;
      }
      const built = panel(p, id++, x, y);
      panels.push(built);
      x += w;
      rowHeight = Math.max(rowHeight, built.gridPos.h);
    }
    y += rowHeight;
  }
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['zonemesh'],
    schemaVersion: 39,
    version: 1,
    editable: true,
    graphTooltip: 1,
    refresh: '10s',
    time: { from: 'now-30m', to: 'now' },
    timezone: 'browser',
    templating: { list: spec.variables },
    annotations: { list: [BUILT_IN, ...(spec.annotations ?? [])] },
    panels,
    links: [],
  };
}
